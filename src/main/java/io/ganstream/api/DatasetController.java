package io.ganstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.table.Column;
import io.ganstream.schema.DatasetNames;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.InvalidRecordException;
import io.ganstream.schema.ImageColumn;
import io.ganstream.schema.InvalidSchemaException;
import io.ganstream.schema.ModeledColumn;
import io.ganstream.schema.RecordCodec;
import io.ganstream.schema.TrainingSettings;
import io.ganstream.engine.train.TrainerStatus;
import io.ganstream.service.DatasetModels;
import io.ganstream.service.DatasetRegistry;
import io.ganstream.service.RecordImputation;
import io.ganstream.io.ImageGrid;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.service.SyntheticPublisher;
import java.util.HashMap;
import java.util.Map;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The dataset endpoints of the public contract. Blocking work runs off the event loop. */
@Controller("/datasets")
@ExecuteOn(TaskExecutors.BLOCKING)
public class DatasetController {
    private static final int MAX_SAMPLES = 100_000;
    private static final int MAX_IMAGES = 1024;
    private static final java.util.Set<String> IMAGE_PARAMETERS = java.util.Set.of("count", "scale", "seed");
    private final DatasetRegistry registry;
    private final DatasetModels models;
    private final RecordImputation imputation;

    public DatasetController(DatasetRegistry registry, DatasetModels models, RecordImputation imputation) {
        this.registry = registry;
        this.models = models;
        this.imputation = imputation;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public List<String> list() {
        return registry.names();
    }

    @Put(value = "/{name}", consumes = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN},
            produces = MediaType.APPLICATION_JSON)
    public HttpResponse<ObjectNode> register(String name, @Body String schemaText) {
        checkName(name);
        if (schemaText == null || schemaText.isBlank()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "the request body must be the dataset's JSON Schema");
        }
        boolean existed = registry.find(name).isPresent();
        try {
            DatasetSchema schema = registry.register(name, schemaText);
            ObjectNode body = describe(schema);
            return existed ? HttpResponse.ok(body) : HttpResponse.created(body);
        } catch (InvalidSchemaException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    @Get(value = "/{name}", produces = MediaType.APPLICATION_JSON)
    public ObjectNode get(String name) {
        return describe(require(name));
    }

    @Post(value = "/{name}/impute", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public JsonNode impute(String name, @Body String body) {
        DatasetSchema schema = require(name);
        JsonNode input;
        try {
            input = body == null || body.isBlank() ? null : RecordCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "body is not JSON: " + e.getMessage());
        }
        if (input == null || !(input.isObject() || input.isArray())) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "body must be a record (JSON object) or an array of records");
        }
        List<JsonNode> records = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(records::add);
        } else {
            records.add(input);
        }
        try {
            List<ObjectNode> out = imputation.impute(schema, records);
            if (input.isObject()) {
                return out.get(0);
            }
            var array = JsonNodeFactory.instance.arrayNode();
            out.forEach(array::add);
            return array;
        } catch (InvalidRecordException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /** N synthetic records, optionally all of given categories; 409 while no synthesizer model exists. */
    @Post(value = "/{name}/samples", consumes = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN},
            produces = MediaType.APPLICATION_JSON)
    public HttpResponse<JsonNode> samples(String name, @QueryValue(defaultValue = "100") int count,
                                          @QueryValue @Nullable Long seed, @Body @Nullable String body) {
        DatasetSchema schema = require(name);
        if (count < 1 || count > MAX_SAMPLES) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "count must be 1.." + MAX_SAMPLES);
        }
        Map<Integer, Integer> conditions = conditions(schema, body);
        SynthModel model = models.synthesizer(schema).orElseThrow(() -> new HttpStatusException(HttpStatus.CONFLICT,
                "no synthesizer model for '" + name + "' yet: it is trained from the records that flow through "
                        + name + ".raw (synthesis is off when syntheticPerRecord is 0)"));
        double[][] rows = model.sample(count, conditions, seed != null ? seed : System.nanoTime());
        var array = JsonNodeFactory.instance.arrayNode();
        for (double[] row : rows) {
            array.add(SyntheticPublisher.toObject(schema, row));
        }
        return HttpResponse.ok((JsonNode) array).header("ganstream-model", model.version());
    }

    private static Map<Integer, Integer> conditions(DatasetSchema schema, String body) {
        Map<Integer, Integer> out = new HashMap<>();
        if (body == null || body.isBlank()) {
            return out;
        }
        JsonNode json;
        try {
            json = RecordCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "body is not JSON: " + e.getMessage());
        }
        JsonNode given = json == null ? null : json.get("conditions");
        if (given == null || given.isNull()) {
            return out;
        }
        if (!given.isObject()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "\"conditions\" must be an object of column: value");
        }
        var fields = given.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            String label = e.getValue().isBoolean() ? Boolean.toString(e.getValue().asBoolean()) : e.getValue().asText();
            condition(schema, e.getKey(), label, out);
        }
        return out;
    }

    /** Adds the condition {@code column = label} as cell index -> category index; 400 when it is not one. */
    private static void condition(DatasetSchema schema, String column, String label, Map<Integer, Integer> out) {
        int index = schema.indexOf(column);
        if (index < 0 || !schema.modeled().get(index).column().isCategorical()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "column '" + column
                    + "' is not a categorical column of " + schema.name());
        }
        ModeledColumn mc = schema.modeled().get(index);
        int category = mc.column().categories().indexOf(label);
        if (category < 0) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "column '" + column + "': unknown category \""
                    + label + "\", expected one of " + mc.column().categories());
        }
        out.put(schema.spec().offset(index), category);
    }

    /**
     * A PNG grid of {@code count} synthetic images of the dataset's image column; every other query parameter is
     * a categorical condition ({@code ?label=7}). 400 without an image column, 409 while no model is trained.
     */
    @Get(value = "/{name}/samples.png", produces = "image/png")
    public HttpResponse<byte[]> samplesPng(String name, HttpRequest<?> request,
                                           @QueryValue(defaultValue = "64") int count,
                                           @QueryValue(defaultValue = "2") int scale,
                                           @QueryValue @Nullable Long seed) {
        DatasetSchema schema = require(name);
        ImageColumn image = ImageColumn.of(schema).orElseThrow(() -> new HttpStatusException(HttpStatus.BAD_REQUEST,
                "dataset '" + name + "' has no image column (a vector with \"x-ganstream-image\")"));
        if (count < 1 || count > MAX_IMAGES) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "count must be 1.." + MAX_IMAGES);
        }
        if (scale < 1 || scale > 8) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "scale must be 1..8");
        }
        Map<Integer, Integer> conditions = new HashMap<>();
        for (String parameter : request.getParameters().names()) {
            if (!IMAGE_PARAMETERS.contains(parameter)) {
                condition(schema, parameter, request.getParameters().get(parameter), conditions);
            }
        }
        SynthModel model = models.synthesizer(schema).orElseThrow(() -> new HttpStatusException(HttpStatus.CONFLICT,
                "no synthesizer model for '" + name + "' yet: it is trained from the records that flow through "
                        + name + ".raw"));
        double[][] rows = model.sample(count, conditions, seed != null ? seed : System.nanoTime());
        byte[] png = ImageGrid.png(ImageGrid.grid(List.of(rows), image, ImageGrid.columnsFor(count), scale));
        return HttpResponse.ok(png).contentType("image/png").header("ganstream-model", model.version());
    }

    private DatasetSchema require(String name) {
        checkName(name);
        return registry.find(name).orElseThrow(() ->
                new HttpStatusException(HttpStatus.NOT_FOUND, "no dataset named '" + name + "'"));
    }

    private static void checkName(String name) {
        if (!DatasetNames.isValid(name)) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "invalid dataset name '" + name
                    + "': names match [a-z0-9][a-z0-9_-]{0,62}");
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

    private ObjectNode describe(DatasetSchema schema) {
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
            ObjectNode losses = model.putObject("losses");
            putFinite(losses, "generator", t.loss(0));
            putFinite(losses, "discriminator", t.loss(1));
            putFinite(losses, "reconstruction", t.loss(2));
            ObjectNode quality = model.putObject("quality");
            putFinite(quality, "imputationRmse", t.figure(0));
            putFinite(quality, "fallbackImputationRmse", t.figure(1));
            quality.put("heldOutCells", (long) t.figure(2));
        }
        if (training.synthesizerState() != null) {
            ObjectNode synthesizer = out.putObject("synthesizer");
            synthesizer.put("state", training.synthesizerState().wireName());
            models.synthesizer(schema).ifPresent(synth -> synthesizer.put("version", synth.version()));
            if (training.synthesizer() != null) {
                TrainerStatus t = training.synthesizer();
                putTraining(synthesizer, t);
                putFinite(synthesizer, "quality", t.figure(0));
                putFinite(synthesizer, "columnShapes", t.figure(1));
                putFinite(synthesizer, "columnPairTrends", t.figure(2));
                putFinite(synthesizer, "detectionAuc", t.figure(3));
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
