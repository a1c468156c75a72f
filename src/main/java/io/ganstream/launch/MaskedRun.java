package io.ganstream.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.table.ColumnKind;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.RecordCodec;
import io.ganstream.schema.InvalidRecordException;
import io.ganstream.schema.ModeledColumn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Complete records with a share of their numeric cells masked (MCAR), and the scoring of an imputation of
 * them: RMSE over the masked cells with each column min-max scaled by the truth, the protocol of
 * {@code impute_peers.py}, next to column-mean imputation of the same mask.
 */
public final class MaskedRun {
    public final List<ObjectNode> truth = new ArrayList<>();
    public final List<ObjectNode> masked = new ArrayList<>();
    final List<String> columns = new ArrayList<>();
    int maskedCells;

    /** Cells masked, all columns together. */
    public int maskedCells() {
        return maskedCells;
    }

    /** The scored columns. */
    public List<String> columns() {
        return columns;
    }

    /**
     * A mask given by files (as {@code impute_peers.py prepare} writes them): the numeric modeled columns with
     * at least one masked cell are scored.
     */
    public static MaskedRun of(DatasetSchema schema, List<ObjectNode> truth, List<ObjectNode> masked) {
        if (truth.size() != masked.size()) {
            throw new IllegalArgumentException("truth has " + truth.size() + " rows, masked " + masked.size());
        }
        MaskedRun run = new MaskedRun();
        run.truth.addAll(truth);
        run.masked.addAll(masked);
        for (ModeledColumn mc : schema.modeled()) {
            ColumnKind k = mc.column().kind();
            if (k != ColumnKind.CONTINUOUS && k != ColumnKind.INTEGER) {
                continue;
            }
            int n = 0;
            for (int i = 0; i < truth.size(); i++) {
                if (!masked.get(i).hasNonNull(mc.name()) && truth.get(i).hasNonNull(mc.name())) {
                    n++;
                }
            }
            if (n > 0) {
                run.columns.add(mc.name());
                run.maskedCells += n;
            }
        }
        return run;
    }

    /** Masks {@code rate} of the numeric cells of the rows whose numeric cells are all present. */
    public static MaskedRun of(DatasetSchema schema, List<ObjectNode> records, double rate, long seed) {
        MaskedRun run = new MaskedRun();
        for (ModeledColumn mc : schema.modeled()) {
            ColumnKind k = mc.column().kind();
            if (k == ColumnKind.CONTINUOUS || k == ColumnKind.INTEGER) {
                run.columns.add(mc.name());
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (ObjectNode r : records) {
            if (run.columns.stream().anyMatch(c -> !r.hasNonNull(c))) {
                continue;
            }
            ObjectNode m = r.deepCopy();
            for (String c : run.columns) {
                if (random.nextDouble() < rate) {
                    m.putNull(c);
                    run.maskedCells++;
                }
            }
            run.truth.add(r);
            run.masked.add(m);
        }
        return run;
    }

    /** RMSE of {@code filled} (same order as {@link #masked}) over the masked cells, in [0,1] units. */
    public double rmse(List<? extends JsonNode> filled) {
        double sum = 0;
        long n = 0;
        for (String c : columns) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (ObjectNode t : truth) {
                if (t.hasNonNull(c)) {
                    lo = Math.min(lo, t.get(c).asDouble());
                    hi = Math.max(hi, t.get(c).asDouble());
                }
            }
            double span = hi > lo ? hi - lo : 1;
            for (int i = 0; i < truth.size(); i++) {
                if (!masked.get(i).hasNonNull(c) && truth.get(i).hasNonNull(c)) {
                    double d = (filled.get(i).path(c).asDouble(Double.NaN) - truth.get(i).get(c).asDouble()) / span;
                    sum += d * d;
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(sum / n);
    }

    /** The same mask filled with each column's mean of observed values: the baseline. */
    public List<ObjectNode> meanFilled() {
        Map<String, Double> means = new java.util.HashMap<>();
        for (String c : columns) {
            means.put(c, masked.stream().filter(m -> m.hasNonNull(c)).mapToDouble(m -> m.get(c).asDouble())
                    .average().orElse(0));
        }
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode m : masked) {
            ObjectNode f = m.deepCopy();
            for (String c : columns) {
                if (!f.hasNonNull(c)) {
                    f.put(c, means.get(c));
                }
            }
            out.add(f);
        }
        return out;
    }

    /** Modeled cells of the records with every modeled value present. */
    public static double[][] complete(DatasetSchema schema, List<ObjectNode> records) throws InvalidRecordException {
        return rows(schema, records, false);
    }

    /** Modeled cells of every record, NaN where a value is missing. */
    public static double[][] all(DatasetSchema schema, List<ObjectNode> records) throws InvalidRecordException {
        return rows(schema, records, true);
    }

    private static double[][] rows(DatasetSchema schema, List<ObjectNode> records, boolean incomplete)
            throws InvalidRecordException {
        List<double[]> rows = new ArrayList<>();
        for (ObjectNode r : records) {
            var parsed = RecordCodec.read(schema, r.deepCopy());
            if (incomplete || !parsed.hasMissing()) {
                rows.add(parsed.cells());
            }
        }
        return rows.toArray(double[][]::new);
    }
}
