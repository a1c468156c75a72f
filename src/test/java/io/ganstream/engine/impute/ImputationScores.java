package io.ganstream.engine.impute;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Scoring of an imputation on rows with masked cells, by the protocol of {@code impute_peers.py}: RMSE over the
 * masked cells, each column scaled by the truth's min-max, next to column-mean imputation. Shared by the
 * imputer's tests and the evaluation programs in {@code io.ganstream.bench}.
 */
public final class ImputationScores {
    private ImputationScores() {
    }

    /** A deep copy of the rows. */
    public static double[][] copy(double[][] rows) {
        double[][] c = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            c[i] = rows[i].clone();
        }
        return c;
    }

    /** Asserts that every one of {@code others} fills copies of {@code masked} with the very floats {@code model} does. */
    public static void assertSameImputations(GainModel model, double[][] masked, GainModel... others) {
        double[][] a = copy(masked);
        model.imputeInPlace(a);
        for (GainModel m : others) {
            double[][] b = copy(masked);
            m.imputeInPlace(b);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], 0.0, "row " + i);
            }
        }
    }

    /** The rows with each missing cell filled with its column's observed mean. */
    public static double[][] meanImpute(double[][] rows) {
        int w = rows[0].length;
        double[] sum = new double[w];
        int[] cnt = new int[w];
        for (double[] r : rows) {
            for (int j = 0; j < w; j++) {
                if (!Double.isNaN(r[j])) {
                    sum[j] += r[j];
                    cnt[j]++;
                }
            }
        }
        double[][] out = copy(rows);
        for (double[] r : out) {
            for (int j = 0; j < w; j++) {
                if (Double.isNaN(r[j])) {
                    r[j] = sum[j] / Math.max(1, cnt[j]);
                }
            }
        }
        return out;
    }

    /** impute_peers.py rmse: masked scored cells, scaled by the truth's per-column min-max. */
    public static double rmse(double[][] filled, double[][] masked, double[][] truth, List<Integer> scored) {
        double se = 0;
        long cnt = 0;
        for (int c : scored) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] t : truth) {
                lo = Math.min(lo, t[c]);
                hi = Math.max(hi, t[c]);
            }
            double span = hi > lo ? hi - lo : 1.0;
            for (int i = 0; i < truth.length; i++) {
                if (Double.isNaN(masked[i][c]) && !Double.isNaN(truth[i][c])) {
                    double e = (filled[i][c] - truth[i][c]) / span;
                    se += e * e;
                    cnt++;
                }
            }
        }
        return Math.sqrt(se / cnt);
    }
}
