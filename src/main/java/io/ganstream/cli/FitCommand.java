package io.ganstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.config.SoftwareVersion;
import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.synth.SynthConfig;
import io.ganstream.engine.synth.SynthLearner;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.engine.train.Trainer;
import io.ganstream.engine.train.TrainerSettings;
import io.ganstream.engine.train.TrainerStatus;
import io.ganstream.engine.train.TrainingBudget;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.InvalidRecordException;
import io.ganstream.schema.ModelConfigs;
import io.ganstream.schema.RecordCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ganstream fit}: trains a dataset's imputer (and its synthesizer, when the schema asks for synthesis) on
 * a file's rows with the service's engine and settings, and writes the model file: a {@link ModelCheckpoint}, the
 * same bytes the service publishes and serves.
 *
 * <p>Every row is added to the learners before the first step (in the file's order), and each learner's
 * {@link Trainer} then only steps, measures and converges on its own thread: with the same seed, the same file
 * gives the same models, whatever the threads' timing.
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the imputer and the synthesizer of a dataset on a file's rows (no Kafka) until they "
                + "converge or the step budget ends, and write the model file.",
                "Rows are CSV (vector elements as name[0]..name[n-1]) or JSON lines, optionally .gz; missing cells "
                        + "are allowed; invalid rows are skipped and counted."})
public class FitCommand implements Callable<Integer> {

    @Option(names = "--schema", required = true, paramLabel = "S",
            description = "the dataset's JSON Schema file (e.g. schemas/datasets/cars.schema.json)")
    Path schemaFile;

    @Option(names = "--file", required = true, paramLabel = "F", description = "the training rows: .csv, .jsonl/"
            + ".ndjson or .json, optionally .gz")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "M", description = "the model file to write")
    Path out;

    @Option(names = "--max-steps", paramLabel = "N", description = "most training steps per model, checked at each held-out "
            + "measurement (default: the service's budget, 200000); a model that converges stops earlier")
    Long maxSteps;

    @Option(names = "--seed", paramLabel = "N", description = "training seed (default: the schema's, "
            + "x-ganstream.seed); the same seed and file give the same models")
    Long seed;

    @Option(names = "--dataset", paramLabel = "D", description = "dataset name recorded in the model (default: "
            + "the schema file's name without .schema.json)")
    String dataset;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (maxSteps != null && maxSteps < 1) {
            throw new CliError("--max-steps must be at least 1");
        }
        DatasetSchema schema = ModelFiles.schema(schemaFile, dataset);
        List<ObjectNode> records = ModelFiles.records(file, schema);
        List<double[]> rows = new ArrayList<>(records.size());
        int invalid = 0;
        String firstInvalid = null;
        for (int i = 0; i < records.size(); i++) {
            try {
                rows.add(RecordCodec.read(schema, records.get(i)).cells());
            } catch (InvalidRecordException e) {
                if (invalid++ == 0) {
                    firstInvalid = "row " + (i + 1) + ": " + e.getMessage();
                }
            }
        }
        records = null;
        if (invalid > 0) {
            System.err.println("Skipped " + invalid + " invalid row" + (invalid == 1 ? "" : "s") + " of " + file
                    + " (first: " + firstInvalid + ")");
        }
        if (rows.isEmpty()) {
            throw new CliError("no valid row to train on in " + file);
        }
        long trainingSeed = seed != null ? seed : schema.settings().seed();
        String name = schema.name();

        GainConfig gainConfig = ModelConfigs.gainConfig(schema, trainingSeed);
        GainLearner gain = new GainLearner(schema.spec(), gainConfig);
        SynthLearner synth = null;
        if (ModelConfigs.synthesizes(schema)) {
            synth = new SynthLearner(schema.spec(), ModelConfigs.synthConfig(schema, trainingSeed));
        }
        // Every row reaches the learners here, in the file's order, before any step (see the class comment).
        for (double[] row : rows) {
            gain.add(row.clone());
            if (synth != null) {
                synth.add(row.clone());
            }
        }
        if (!gain.ready()) {
            throw new CliError("too few rows to train the imputer on (" + rows.size() + ")");
        }
        if (synth != null && !synth.ready()) {
            throw new CliError("too few rows to train the synthesizer on (" + rows.size() + ")");
        }

        TrainingBudget budget = TrainingBudget.unlimited();
        Trainer<GainModel> imputer = new Trainer<>(name + "/imputer", gain,
                settings(schema, gainConfig.stepsPerWindow()), budget, null, null);
        Trainer<SynthModel> synthesizer = null;
        if (synth != null) {
            SynthConfig synthConfig = synth.config();
            synthesizer = new Trainer<>(name + "/synthesizer", synth,
                    settings(schema, synthConfig.stepsPerWindow()).withDrift(1.5, 100), budget, null, null);
        }
        try {
            train(imputer, synthesizer);
        } finally {
            imputer.close();
            if (synthesizer != null) {
                synthesizer.close();
            }
        }
        TrainerStatus i = imputer.status();
        TrainerStatus s = synthesizer == null ? null : synthesizer.status();
        ModelCheckpoint checkpoint = new ModelCheckpoint(name, schema.hash(), SoftwareVersion.current(),
                System.currentTimeMillis(), gain.version(), trainingSeed, gain.checkpoint(),
                synth == null ? 0 : synth.version(), synth == null ? null : synth.checkpoint(), i.state(),
                s == null ? null : s.state(), schema.text());
        byte[] bytes = checkpoint.toBytes();
        ModelFiles.writeBytes(out, bytes);
        System.err.println("Wrote " + out + " (" + bytes.length + " bytes): dataset " + name + ", " + rows.size()
                + " rows, seed " + trainingSeed + "; imputer version " + gain.version() + " after " + i.steps()
                + " steps, " + imputerFigures(i) + (s == null ? "; no synthesizer (syntheticPerRecord is 0)"
                : "; synthesizer version " + synth.version() + " after " + s.steps() + " steps, "
                + synthFigures(s)));
        return 0;
    }

    /** The service's trainer settings, except that it starts at once: every row is already in the learner. */
    private TrainerSettings settings(DatasetSchema schema, int evalEverySteps) {
        TrainerSettings settings = TrainerSettings.defaults(schema.settings().windowRecords(), evalEverySteps)
                .withQuiet(0);
        return maxSteps == null ? settings : settings.withStepBudget(maxSteps);
    }

    /**
     * Waits for both trainers to converge. The bar counts steps against the most steps left: each model's step
     * budget while it learns, the steps it took once it has converged.
     */
    private void train(Trainer<GainModel> imputer, Trainer<SynthModel> synthesizer) throws InterruptedException {
        long budget = stepBudget();
        Progress progress = quiet ? null : new Progress("fit " + imputer.name().replace("/imputer", ""),
                budget * (synthesizer == null ? 1 : 2), "step");
        boolean imputerDone = false;
        boolean synthDone = synthesizer == null;
        while (!(imputerDone && synthDone)) {
            imputerDone = imputerDone || imputer.awaitConverged(50);
            synthDone = synthDone || synthesizer.awaitConverged(50);
            if (progress != null) {
                progress.total((imputerDone ? imputer.status().steps() : budget)
                        + (synthesizer == null ? 0 : synthDone ? synthesizer.status().steps() : budget));
                progress.update(steps(imputer, synthesizer), status(imputer, synthesizer));
            }
        }
        if (progress != null) {
            progress.done(steps(imputer, synthesizer), status(imputer, synthesizer));
        }
    }

    private long stepBudget() {
        return maxSteps != null ? maxSteps : TrainerSettings.defaults(1, 1).stepBudget();
    }

    private static long steps(Trainer<?> imputer, Trainer<?> synthesizer) {
        return imputer.status().steps() + (synthesizer == null ? 0 : synthesizer.status().steps());
    }

    private static String status(Trainer<?> imputer, Trainer<?> synthesizer) {
        TrainerStatus i = imputer.status();
        String line = "imputer " + state(i) + " " + i.steps() + " " + imputerFigures(i);
        if (synthesizer != null) {
            TrainerStatus s = synthesizer.status();
            line += " | synthesizer " + state(s) + " " + s.steps() + " " + synthFigures(s);
        }
        return line;
    }

    private static String state(TrainerStatus s) {
        return s.state().name().toLowerCase(Locale.ROOT);
    }

    /** Held-out imputation RMSE (the measure) against the column means'. */
    private static String imputerFigures(TrainerStatus s) {
        return "held-out RMSE " + figure(s.measure()) + " (means " + figure(s.figure(1)) + ")";
    }

    /** Held-out synthetic quality (1 − the measure). */
    private static String synthFigures(TrainerStatus s) {
        return "held-out quality " + figure(1 - s.measure());
    }

    private static String figure(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
