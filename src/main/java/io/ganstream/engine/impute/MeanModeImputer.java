package io.ganstream.engine.impute;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;

/**
 * The fallback imputer: running mean of every numeric cell and most frequent category of every categorical
 * column, learned from the observed values of the stream. It serves until a trained model exists, and is the
 * baseline every model's quality is compared with.
 *
 * <p>Thread-safe: observations and imputations may come from several stream threads and HTTP at once.
 */
public final class MeanModeImputer implements Imputer {
    /** The version reported in the {@code ganstream.model} header for fallback imputations. */
    public static final String VERSION = "fallback";

    private final TableSpec spec;
    private final double[] sums;
    private final long[] counts;
    private final long[][] categoryCounts;

    public MeanModeImputer(TableSpec spec) {
        this.spec = spec;
        this.sums = new double[spec.cellCount()];
        this.counts = new long[spec.cellCount()];
        this.categoryCounts = new long[spec.columnCount()][];
        for (int i = 0; i < spec.columnCount(); i++) {
            Column c = spec.column(i);
            if (c.isCategorical()) {
                categoryCounts[i] = new long[c.categories().size()];
            }
        }
    }

    /** Learns from the observed cells of one row. */
    public synchronized void observe(double[] row) {
        for (int i = 0; i < spec.columnCount(); i++) {
            int offset = spec.offset(i);
            Column c = spec.column(i);
            if (c.isCategorical()) {
                double v = row[offset];
                if (!Double.isNaN(v)) {
                    categoryCounts[i][(int) v]++;
                }
            } else {
                for (int k = 0; k < c.width(); k++) {
                    double v = row[offset + k];
                    if (!Double.isNaN(v)) {
                        sums[offset + k] += v;
                        counts[offset + k]++;
                    }
                }
            }
        }
    }

    @Override
    public synchronized void imputeInPlace(double[][] rows) {
        for (double[] row : rows) {
            for (int cell = 0; cell < row.length; cell++) {
                if (Double.isNaN(row[cell])) {
                    row[cell] = valueFor(cell);
                }
            }
        }
    }

    /** What this imputer fills cell {@code cell} with right now. */
    public synchronized double valueFor(int cell) {
        int i = spec.columnOfCell(cell);
        Column c = spec.column(i);
        if (c.isCategorical()) {
            long[] counts = categoryCounts[i];
            int best = 0;
            for (int k = 1; k < counts.length; k++) {
                if (counts[k] > counts[best]) {
                    best = k;
                }
            }
            return best;
        }
        if (counts[cell] > 0) {
            return c.conform(sums[cell] / counts[cell]);
        }
        // Nothing observed yet: the middle of the declared range, else 0, keeps the output schema-valid.
        if (c.hasMin() && c.hasMax()) {
            return c.conform((c.min() + c.max()) / 2);
        }
        return c.conform(c.hasMin() ? c.min() : c.hasMax() ? Math.min(0, c.max()) : 0);
    }

    @Override
    public String version() {
        return VERSION;
    }
}
