package io.ganstream.engine.synth;

import io.ganstream.engine.quality.Normal;
import io.ganstream.engine.table.SymmetricMatrix;
import io.ganstream.engine.table.TableSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A linear map of the numeric columns' normal scores that gives the generator's rows the observed rank
 * correlations: a generated row's mapped columns go to their quantiles among the generator's own outputs
 * ({@link MarginalCalibration}), to normal scores {@code z}, to {@code A z}, and back through the observed
 * quantiles. {@code A} is the smallest move that turns the generator's correlation of normal scores {@code G}
 * into the observed one {@code R} (the Gaussian optimal-transport map
 * {@code G^-1/2 (G^1/2 R G^1/2)^1/2 G^-1/2}): where the generator already has the right correlations it is the
 * identity, so its class-conditional and non-linear structure stays; where it under-fits them (many correlated
 * numeric columns, few rows) the rows are moved as little as the correction needs.
 * A mapped score is taken back to a quantile by the empirical distribution of that score over the rows the map
 * was fitted on (not by the normal CDF), so each column keeps exactly the observed shape whatever the joint law of
 * the generator's scores.
 * <p>Why: the marginal calibration fixes each column's shape but not how columns move together, and a GAN trained
 * on a few hundred rows of 20-60 correlated columns learns those pairs last. Immutable.
 */
public final class CorrelationCalibration {
    /** Normal scores are taken at quantiles at least this far from 0 and 1 (a finite score for the extremes). */
    private static final double EDGE = 0.5 / MarginalCalibration.KNOTS;
    /** Eigenvalues below this are raised to it: a generator with a collapsed direction must not blow up A. */
    private static final double FLOOR = 1e-2;

    private final int[] columns;
    private final double[][] a;
    /** Per mapped column, quantile knots of its mapped score over the fitting rows. */
    private final double[][] knots;

    private CorrelationCalibration(int[] columns, double[][] a, double[][] knots) {
        this.columns = columns;
        this.a = a;
        this.knots = knots;
    }

    /**
     * Fits the map over the columns {@code marginal} maps; null when fewer than two are mapped.
     *
     * @param real      observed rows (NaN = missing); only the first {@code realCount} are read
     * @param generated rows of the uncalibrated generator (as {@link SynthModel#sampleDecoded} decodes them)
     */
    static CorrelationCalibration fit(TableSpec spec, MarginalCalibration marginal, double[][] real, int realCount,
                                      double[][] generated) {
        int cols = spec.columnCount();
        int k = 0;
        int[] mapped = new int[cols];
        for (int c = 0; c < cols; c++) {
            if (marginal.maps(c)) {
                mapped[k++] = c;
            }
        }
        if (k < 2) {
            return null;
        }
        int[] columns = java.util.Arrays.copyOf(mapped, k);
        double[][] g = correlation(spec, columns, generated, generated.length, marginal, false);
        double[][] r = correlation(spec, columns, real, realCount, marginal, true);
        double[][] gHalf = SymmetricMatrix.power(g, 0.5, FLOOR);
        double[][] gInvHalf = SymmetricMatrix.power(g, -0.5, FLOOR);
        double[][] middle = SymmetricMatrix.power(SymmetricMatrix.product(SymmetricMatrix.product(gHalf, r), gHalf),
                0.5, 0);
        double[][] a = SymmetricMatrix.product(SymmetricMatrix.product(gInvHalf, middle), gInvHalf);
        double[][] mapped2 = new double[k][generated.length];
        double[] z = new double[k];
        for (int i = 0; i < generated.length; i++) {
            scores(spec, columns, generated[i], marginal, false, z);
            for (int p = 0; p < k; p++) {
                mapped2[p][i] = dot(a[p], z);
            }
        }
        double[][] knots = new double[k][];
        for (int p = 0; p < k; p++) {
            java.util.Arrays.sort(mapped2[p]);
            knots[p] = MarginalCalibration.quantiles(mapped2[p], mapped2[p].length);
        }
        return new CorrelationCalibration(columns, a, knots);
    }

    private static void scores(TableSpec spec, int[] columns, double[] row, MarginalCalibration marginal,
                               boolean observed, double[] z) {
        for (int j = 0; j < columns.length; j++) {
            double v = row[spec.offset(columns[j])];
            z[j] = Double.isNaN(v) ? 0 : score(observed ? marginal.observedQuantile(columns[j], v)
                    : marginal.generatedQuantile(columns[j], v));
        }
    }

    private static double dot(double[] a, double[] z) {
        double s = 0;
        for (int q = 0; q < a.length; q++) {
            s += a[q] * z[q];
        }
        return s;
    }

    /** Correlation of the normal scores of the mapped columns (a missing cell scores 0, shrinking toward none). */
    private static double[][] correlation(TableSpec spec, int[] columns, double[][] rows, int n,
                                          MarginalCalibration marginal, boolean observed) {
        int k = columns.length;
        double[][] cross = new double[k][k];
        double[] z = new double[k];
        for (int i = 0; i < n; i++) {
            scores(spec, columns, rows[i], marginal, observed, z);
            for (int p = 0; p < k; p++) {
                for (int q = 0; q <= p; q++) {
                    cross[p][q] += z[p] * z[q];
                }
            }
        }
        double[][] corr = new double[k][k];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q <= p; q++) {
                double d = Math.sqrt(cross[p][p] * cross[q][q]);
                corr[p][q] = p == q ? 1 : d > 0 ? cross[p][q] / d : 0;
                corr[q][p] = corr[p][q];
            }
        }
        return corr;
    }

    private static double score(double quantile) {
        return Normal.inverseCdf(Math.max(EDGE, Math.min(1 - EDGE, quantile)));
    }

    /**
     * Writes the calibrated values of the mapped columns of one generated row into {@code row}.
     *
     * @param decoded the generator's decoded values, indexed by column ({@code NaN} where not decoded)
     * @param z       scratch of {@link #size()} doubles
     */
    void apply(TableSpec spec, MarginalCalibration marginal, double[] decoded, double[] row, double[] z) {
        int k = columns.length;
        for (int j = 0; j < k; j++) {
            z[j] = score(marginal.generatedQuantile(columns[j], decoded[columns[j]]));
        }
        for (int p = 0; p < k; p++) {
            double q = MarginalCalibration.position(knots[p], dot(a[p], z)) / (MarginalCalibration.KNOTS - 1);
            row[spec.offset(columns[p])] = marginal.valueAt(columns[p], q);
        }
    }

    /** Columns it maps. */
    int size() {
        return columns.length;
    }

    /** Whether column {@code c} is one it maps. */
    boolean maps(int c) {
        for (int m : columns) {
            if (m == c) {
                return true;
            }
        }
        return false;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(columns.length);
        for (int c : columns) {
            out.writeInt(c);
        }
        for (double[] row : a) {
            for (double v : row) {
                out.writeDouble(v);
            }
        }
        for (double[] column : knots) {
            for (double v : column) {
                out.writeDouble(v);
            }
        }
    }

    static CorrelationCalibration read(DataInputStream in, int tableColumns) throws IOException {
        int k = in.readInt();
        if (k < 2 || k > tableColumns) {
            throw new IOException("correlation calibration over " + k + " columns of " + tableColumns);
        }
        int[] columns = new int[k];
        for (int j = 0; j < k; j++) {
            columns[j] = in.readInt();
            if (columns[j] < 0 || columns[j] >= tableColumns) {
                throw new IOException("correlation calibration column " + columns[j] + " out of range");
            }
        }
        double[][] a = new double[k][k];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < k; q++) {
                a[p][q] = in.readDouble();
            }
        }
        double[][] knots = new double[k][MarginalCalibration.KNOTS];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < MarginalCalibration.KNOTS; q++) {
                knots[p][q] = in.readDouble();
            }
        }
        return new CorrelationCalibration(columns, a, knots);
    }
}
