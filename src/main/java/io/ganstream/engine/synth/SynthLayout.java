package io.ganstream.engine.synth;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnKind;
import io.ganstream.engine.table.TableSpec;
import java.util.Random;

/**
 * Immutable snapshot of the data transformer: where every column lives in the generator output
 * (numeric: 1 alpha + K mode slots; categorical: one-hot of its categories; vector of n elements: n values
 * min-max scaled to [0, 1], generated through a sigmoid), where every categorical column
 * lives in the conditional vector, the per-column mode mixtures, observed ranges and category frequencies.
 */
public final class SynthLayout {
    final TableSpec spec;
    final int columns;
    final boolean[] categorical;
    /** Vector columns: one output per element, no mode mixture (see {@link VectorScale}). */
    final boolean[] vector;
    final int[] outStart;
    final int[] outWidth;
    final int[] condStart;
    final int[] catCols;
    final int outDims;
    final int condDims;
    final ModeMixture[] mix;
    final double[] min;
    final double[] max;
    /** Learned rounding: decimal digits of the observed values per numeric column (-1 = do not round). */
    final int[] decimals;
    /** Empirical category frequencies (observed rows) per column, null for numeric. */
    final double[][] freq;
    /** Per output dim: false for inactive mode slots (masked out of the softmax). */
    final boolean[] dimActive;

    SynthLayout(TableSpec spec, int slots, ModeMixture[] mixtures, double[] min, double[] max, long[][] counts,
                int[] decimals) {
        this.decimals = decimals.clone();
        this.spec = spec;
        this.columns = spec.columnCount();
        categorical = new boolean[columns];
        vector = new boolean[columns];
        outStart = new int[columns];
        outWidth = new int[columns];
        condStart = new int[columns];
        mix = new ModeMixture[columns];
        this.min = min.clone();
        this.max = max.clone();
        freq = new double[columns][];
        int o = 0;
        int cd = 0;
        int nc = 0;
        for (int c = 0; c < columns; c++) {
            Column col = spec.column(c);
            outStart[c] = o;
            if (col.isCategorical()) {
                categorical[c] = true;
                outWidth[c] = col.categories().size();
                condStart[c] = cd;
                cd += outWidth[c];
                nc++;
                long tot = 0;
                for (long x : counts[c]) {
                    tot += x;
                }
                freq[c] = new double[outWidth[c]];
                for (int k = 0; k < outWidth[c]; k++) {
                    freq[c][k] = tot == 0 ? 1.0 / outWidth[c] : counts[c][k] / (double) tot;
                }
            } else if (col.kind() == ColumnKind.VECTOR) {
                vector[c] = true;
                outWidth[c] = col.width();
                condStart[c] = -1;
            } else {
                outWidth[c] = 1 + slots;
                condStart[c] = -1;
                mix[c] = mixtures[c].copy();
            }
            o += outWidth[c];
        }
        outDims = o;
        condDims = cd;
        catCols = new int[nc];
        int q = 0;
        for (int c = 0; c < columns; c++) {
            if (categorical[c]) {
                catCols[q++] = c;
            }
        }
        dimActive = new boolean[outDims];
        for (int c = 0; c < columns; c++) {
            for (int j = 0; j < outWidth[c]; j++) {
                dimActive[outStart[c] + j] = categorical[c] || vector[c] || j == 0 || mix[c].active[j - 1];
            }
        }
    }

    /** Width of the generator's output (a row as the nets see it). */
    public int outDims() {
        return outDims;
    }

    /** Number of active modes of numeric column {@code c} (0 for categorical and vector columns). */
    public int activeModes(int c) {
        return categorical[c] || vector[c] ? 0 : mix[c].activeCount();
    }

    /**
     * Encodes a row into {@code x} (outDims) and the observation mask {@code m} (1 where the column's cell is
     * observed, for every dim of that column; per element for a vector). Missing cells give x = 0, m = 0.
     */
    void encode(double[] row, Random rng, double[] x, double[] m, int off, double[] tmp) {
        for (int c = 0; c < columns; c++) {
            int s = off + outStart[c];
            int wd = outWidth[c];
            if (vector[c]) {
                VectorScale.encode(row, spec.offset(c), wd, min[c], max[c], x, m, s);
                continue;
            }
            for (int j = 0; j < wd; j++) {
                x[s + j] = 0;
                m[s + j] = 0;
            }
            double v = row[spec.offset(c)];
            if (Double.isNaN(v)) {
                continue;
            }
            if (categorical[c]) {
                int k = (int) v;
                if (k < 0 || k >= wd) {
                    continue;
                }
                x[s + k] = 1;
            } else {
                int mode = mix[c].encode(v, rng, tmp);
                x[s] = tmp[0];
                x[s + 1 + mode] = 1;
            }
            for (int j = 0; j < wd; j++) {
                m[s + j] = 1;
            }
        }
    }
}
