package io.ganstream.engine.synth;

import io.ganstream.engine.table.SymmetricMatrix;
import io.ganstream.engine.table.TableSpec;

/**
 * The normal scores a {@link CorrelationCalibration} works in (each mapped column's quantile among the observed or
 * the generated values, through the inverse normal CDF) and the statistics its maps are fitted from: means,
 * correlations about a group's own mean shrunk toward a prior, and the Gaussian optimal-transport map between two
 * correlations.
 */
final class NormalScores {
    /** Eigenvalues below this are raised to it: a generator with a collapsed direction must not blow up A. */
    private static final double FLOOR = 1e-2;

    private NormalScores() {
    }

    /** The optimal-transport map from N(0, g) to N(0, r). */
    static double[][] transport(double[][] g, double[][] r) {
        double[][] gHalf = SymmetricMatrix.power(g, 0.5, FLOOR);
        double[][] gInvHalf = SymmetricMatrix.power(g, -0.5, FLOOR);
        double[][] middle = SymmetricMatrix.power(SymmetricMatrix.product(SymmetricMatrix.product(gHalf, r), gHalf),
                0.5, 0);
        return SymmetricMatrix.product(SymmetricMatrix.product(gInvHalf, middle), gInvHalf);
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Normal scores of the mapped columns, one row each (a missing cell scores 0). */
    static double[][] scores(TableSpec spec, int[] columns, double[][] rows, int n,
                                     MarginalCalibration marginal, boolean observed) {
        double[][] z = new double[n][columns.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < columns.length; j++) {
                double v = rows[i][spec.offset(columns[j])];
                if (!Double.isNaN(v)) {
                    z[i][j] = marginal.score(columns[j], observed ? marginal.observedQuantile(columns[j], v)
                            : marginal.generatedQuantile(columns[j], v));
                }
            }
        }
        return z;
    }

    static double[] mean(double[][] z, int[] rows, int n) {
        int k = z.length == 0 ? 0 : z[0].length;
        double[] mean = new double[k];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                mean[p] += z[rows[i]][p] / n;
            }
        }
        return mean;
    }

    /**
     * Correlation of the scores of rows {@code rows[0..n)} about {@code mean} (their own, so a category's shift is
     * not read as correlation), shrunk toward {@code prior} with weight {@code priorRows / (n + priorRows)}.
     */
    static double[][] correlation(double[][] z, int[] rows, int n, double[] mean, double[][] prior,
                                          int priorRows) {
        int k = mean.length;
        double[][] cross = new double[k][k];
        double[] d = new double[k];
        for (int i = 0; i < n; i++) {
            double[] zi = z[rows[i]];
            for (int p = 0; p < k; p++) {
                d[p] = zi[p] - mean[p];
            }
            for (int p = 0; p < k; p++) {
                for (int q = 0; q <= p; q++) {
                    cross[p][q] += d[p] * d[q];
                }
            }
        }
        double w = prior == null ? 1 : n / (double) (n + priorRows);
        double[][] corr = new double[k][k];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q <= p; q++) {
                double s = Math.sqrt(cross[p][p] * cross[q][q]);
                double own = p == q ? 1 : s > 0 ? cross[p][q] / s : 0;
                corr[p][q] = prior == null ? own : w * own + (1 - w) * prior[p][q];
                corr[q][p] = corr[p][q];
            }
        }
        return corr;
    }
}
