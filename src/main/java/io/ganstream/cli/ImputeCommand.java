package io.ganstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.InvalidRecordException;
import io.ganstream.schema.ParsedRecord;
import io.ganstream.schema.RecordCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ganstream impute}: a file's rows with every missing modeled value filled by a model file's imputer. */
@Command(name = "impute", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fill every missing modeled value of a file's rows with a model file's imputer: same rows, "
                + "same order, observed values and carried columns unchanged.",
                "Files are CSV (vector elements as name[0]..name[n-1]) or JSON lines, optionally .gz, by their names."})
public class ImputeCommand implements Callable<Integer> {
    /** Rows imputed at once. */
    static final int BATCH = 4_096;

    @Mixin
    ModelFileOption model;

    @Option(names = "--file", required = true, paramLabel = "F", description = "the rows to fill: .csv, .jsonl/"
            + ".ndjson or .json, optionally .gz")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "F2", description = "the filled rows: .csv, .jsonl/"
            + ".ndjson or .json, optionally .gz")
    Path out;

    @Override
    public Integer call() {
        ModelFiles.checkWritable(out);
        ModelFiles.Loaded loaded = model.load();
        DatasetSchema schema = loaded.schema();
        GainModel imputer = loaded.imputer();
        List<ObjectNode> records = ModelFiles.records(file, schema);
        List<ParsedRecord> parsed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            try {
                parsed.add(RecordCodec.read(schema, records.get(i)));
            } catch (InvalidRecordException e) {
                throw new CliError(file + ", row " + (i + 1) + ": " + e.getMessage());
            }
        }
        long cells = 0;
        long rowsFilled = 0;
        for (int from = 0; from < parsed.size(); from += BATCH) {
            int n = Math.min(BATCH, parsed.size() - from);
            double[][] rows = new double[n][];
            for (int k = 0; k < n; k++) {
                rows[k] = parsed.get(from + k).cells().clone();
            }
            imputer.imputeInPlace(rows);
            for (int k = 0; k < n; k++) {
                ParsedRecord p = parsed.get(from + k);
                int missing = missing(p.cells());
                if (missing > 0) {
                    RecordCodec.fill(schema, p.json(), p.cells(), rows[k]);
                    cells += missing;
                    rowsFilled++;
                }
            }
        }
        ModelFiles.write(out, records, schema);
        System.err.println("Filled " + cells + " missing value" + (cells == 1 ? "" : "s") + " in " + rowsFilled
                + " of " + records.size() + " rows of " + file + " with imputer version " + imputer.version()
                + "; wrote " + out);
        return 0;
    }

    private static int missing(double[] cells) {
        int n = 0;
        for (double c : cells) {
            if (Double.isNaN(c)) {
                n++;
            }
        }
        return n;
    }
}
