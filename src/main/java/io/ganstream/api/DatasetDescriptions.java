package io.ganstream.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.train.TrainerStatus;
import io.ganstream.metrics.GanstreamMetrics;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ModeledColumn;
import io.ganstream.schema.TrainingSettings;
import io.ganstream.service.DatasetModels;
import java.util.function.IntToDoubleFunction;

/**
 * The JSON description of a dataset that the dataset endpoints answer with: schema, columns, settings, and the
 * status and figures of both models under the names of the public contract ({@link DatasetDescription} is its
 * OpenAPI shape).
 */
final class DatasetDescriptions {
    private final DatasetModels models;
    private final GanstreamMetrics metrics;

    DatasetDescriptions(DatasetModels models, GanstreamMetrics metrics) {
        this.models = models;
        this.metrics = metrics;
    }

    /** Figures {@code first, first + 1, ...} of {@code figures} under {@code names}, in that order. */
    private static void putFigures(ObjectNode node, IntToDoubleFunction figures, int first, String... names) {
        for (int i = 0; i < names.length; i++) {
            putFinite(node, names[i], figures.applyAsDouble(first + i));
        }
    }

    /** JSON has no NaN: a figure not measured yet is null. */
    private static void putFinite(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    /** The dataset as GET /datasets/{name} answers it ({@link DatasetDescription}). */
    ObjectNode describe(DatasetSchema schema) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        out.put("name", schema.name());
        out.put("schemaHash", schema.hash());
        out.set("schema", schema.document());
        var columns = out.putArray("columns");
        for (ModeledColumn mc : schema.modeled()) {
            Column c = mc.column();
            ObjectNode col = columns.addObject();
            col.put("name", c.name());
            col.put("kind", c.kind().name().toLowerCase());
            if (c.width() > 1) {
                col.put("width", c.width());
            }
            if (c.isCategorical()) {
                var cats = col.putArray("categories");
                c.categories().forEach(cats::add);
            }
        }
        TrainingSettings s = schema.settings();
        out.set("settings", f.pojoNode(s));
        ObjectNode model = out.putObject("model");
        model.put("version", models.currentVersion(schema));
        models.checkpointProblem(schema.name()).ifPresent(p -> model.put("checkpointProblem", p));
        DatasetModels.TrainingView training = models.training(schema);
        model.put("state", training.imputerState().wireName());
        if (training.imputer() != null) {
            TrainerStatus t = training.imputer();
            putTraining(model, t);
            putFigures(model.putObject("losses"), t::loss, 0, "generator", "discriminator", "reconstruction");
            ObjectNode quality = model.putObject("quality");
            putFigures(quality, t::figure, 0, "imputationRmse", "fallbackImputationRmse");
            quality.put("heldOutCells", (long) t.figure(2));
        }
        if (training.synthesizerState() != null) {
            ObjectNode synthesizer = out.putObject("synthesizer");
            synthesizer.put("state", training.synthesizerState().wireName());
            models.synthesizer(schema).ifPresent(synth -> synthesizer.put("version", synth.version()));
            if (training.synthesizer() != null) {
                TrainerStatus t = training.synthesizer();
                putTraining(synthesizer, t);
                putFigures(synthesizer, t::figure, 0, "quality", "columnShapes", "columnPairTrends", "detectionAuc");
                ObjectNode privacy = synthesizer.putObject("privacy");
                putFigures(privacy, t::figure, 4, "dcrShare", "copies", "medianSyntheticToTrain",
                        "medianHoldoutToTrain");
                privacy.put("filtered", (long) metrics.privacyFiltered(schema.name()).count());
                putFigures(synthesizer.putObject("coverage"), t::figure, 8, "categories", "modes", "minVarianceRatio");
            }
        }
        return out;
    }

    /** The training figures of one model, as the contract names them. */
    private static void putTraining(ObjectNode node, TrainerStatus t) {
        node.put("steps", t.steps());
        node.put("recordsSeen", t.rowsLearned());
        ObjectNode rows = node.putObject("rows");
        rows.put("offered", t.rowsOffered());
        rows.put("learned", t.rowsLearned());
        rows.put("buffered", t.rowsInBuffer());
        rows.put("sampledOut", t.rowsSampledOut());
        rows.put("pending", t.rowsPending());
        rows.put("heldOut", t.heldOutRows());
        ObjectNode heldOut = node.putObject("heldOut");
        putFinite(heldOut, "measure", t.measure());
        putFinite(heldOut, "best", t.bestMeasure());
        putFinite(heldOut, "converged", t.convergedMeasure());
        putFinite(heldOut, "trend", t.trend());
        putFinite(node, "drift", t.drift());
        node.put("wakes", t.wakes());
        node.put("driftWakes", t.driftWakes());
        node.put("failures", t.failures());
    }
}
