package io.ganstream.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ModeledColumn;
import io.ganstream.schema.RecordCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ganstream sample}: synthetic records from a model file's synthesizer, optionally of given categories. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write N synthetic records (the modeled columns) from a model file, as CSV or JSON lines "
                + "by the output's name (optionally .gz).")
public class SampleCommand implements Callable<Integer> {
    /** Most records drawn at once (more are drawn slice by slice, each with the next seed). */
    static final int SLICE = 10_000;
    static final int MAX_COUNT = 100_000_000;

    @Mixin
    ModelFileOption model;

    @Option(names = "--count", required = true, paramLabel = "N", description = "how many records")
    int count;

    @Option(names = "--condition", paramLabel = "COLUMN=VALUE", description = "every record has this category "
            + "(repeatable; categorical and boolean columns)")
    Map<String, String> conditions = new LinkedHashMap<>();

    @Option(names = "--seed", paramLabel = "N", description = "random seed (default: a new one each run); the "
            + "same model, seed and conditions give the same records")
    Long seed;

    @Option(names = "--out", required = true, paramLabel = "F", description = "the output file: .csv, .jsonl/"
            + ".ndjson or .json, optionally .gz")
    Path out;

    @Override
    public Integer call() {
        if (count < 1 || count > MAX_COUNT) {
            throw new CliError("--count must be 1.." + MAX_COUNT);
        }
        ModelFiles.checkWritable(out);
        ModelFiles.Loaded loaded = model.load();
        DatasetSchema schema = loaded.schema();
        Map<Integer, Integer> cells = conditions(schema, conditions);
        SynthModel synth = loaded.synthesizer();
        long next = seed != null ? seed : System.nanoTime();
        List<ObjectNode> records = new ArrayList<>(count);
        for (int done = 0; done < count; done += SLICE) {
            long sliceSeed = next++;
            double[][] rows = synth.sample(Math.min(SLICE, count - done), cells, sliceSeed);
            if (schema.settings().syntheticMissing()) {
                synth.leaveMissing(rows, cells, sliceSeed);
            }
            for (double[] row : rows) {
                ObjectNode json = JsonNodeFactory.instance.objectNode();
                // every cell counts as missing: fill writes each column in the schema's format
                RecordCodec.fill(schema, json, schema.spec().emptyRow(), row);
                records.add(json);
            }
        }
        ModelFiles.write(out, records, schema);
        System.err.println("Wrote " + count + " synthetic records of " + schema.name() + " to " + out
                + " (synthesizer version " + synth.version() + ")");
        return 0;
    }

    /** {@code column=value} conditions as cell index → category index; a {@link CliError} when one is not. */
    static Map<Integer, Integer> conditions(DatasetSchema schema, Map<String, String> given) {
        Map<Integer, Integer> out = new HashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            int index = schema.indexOf(e.getKey());
            if (index < 0 || !schema.modeled().get(index).column().isCategorical()) {
                List<String> categorical = schema.modeled().stream().filter(c -> c.column().isCategorical())
                        .map(ModeledColumn::name).toList();
                throw new CliError("--condition: '" + e.getKey() + "' is not a categorical column of "
                        + schema.name() + " (categorical columns: " + (categorical.isEmpty() ? "none" : categorical)
                        + ")");
            }
            List<String> categories = schema.modeled().get(index).column().categories();
            int category = categories.indexOf(e.getValue());
            if (category < 0) {
                throw new CliError("--condition: column '" + e.getKey() + "': unknown category \"" + e.getValue()
                        + "\", expected one of " + categories);
            }
            out.put(schema.spec().offset(index), category);
        }
        return out;
    }
}
