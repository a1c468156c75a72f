package io.ganstream.engine.quality;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnKind;
import io.ganstream.engine.table.TableSpec;
import java.util.Arrays;

/**
 * Distance-based privacy figures of synthetic rows against the real rows they were trained on, with a held-out
 * sample of real rows as the yardstick (SDMetrics' DCROverfittingProtection, MOSTLY AI's DCR share).
 *
 * <p>The distance between two rows is Gower's: the mean over the columns both rows have of a per-column distance
 * in [0, 1]: numeric cells |a − b| over the real rows' range (min..max; 0 when the range is 0), categorical cells 0
 * when equal and 1 otherwise, a vector column the mean of its elements' range-scaled distances. A missing cell
 * (NaN) skips its column; two rows with no column in common are at distance 1.
 *
 * <p>Cost: brute force, {@code |syn| × (|train| + |holdout|) + |holdout| × |train|} distances of
 * O(cells) each: 400 synthetic rows against 400 + 400 real rows of a 10-column table are 480,000 distances,
 * about 5 ms.
 *
 * @param dcrShare               share of synthetic rows closer to a training row than to every held-out row (ties
 *                               count half); with as many training as held-out rows, 0.5 means the synthesizer
 *                               learned the population, 1 that it reproduces its training rows
 * @param copyShare              share of synthetic rows equal to a training row on every cell (within 1e-9)
 * @param medianSyntheticToTrain median over synthetic rows of the distance to the nearest training row
 * @param medianHoldoutToTrain   median over held-out rows of the distance to the nearest training row (what a new
 *                               real row's distance looks like)
 */
public record Privacy(double dcrShare, double copyShare, double medianSyntheticToTrain,
                      double medianHoldoutToTrain) {

    /** Two cells closer than this are equal (exact-copy test). */
    public static final double COPY_TOLERANCE = 1e-9;

    /**
     * The figures of {@code synthetic} against {@code train} and {@code holdout} (compare equal-size samples of the
     * two); NaN figures when any of the three is empty.
     */
    public static Privacy measure(TableSpec spec, double[][] synthetic, double[][] train, double[][] holdout) {
        if (synthetic.length == 0 || train.length == 0 || holdout.length == 0) {
            return new Privacy(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        Distance d = Distance.fit(spec, train, holdout);
        double closer = 0;
        int copies = 0;
        double[] toTrain = new double[synthetic.length];
        for (int i = 0; i < synthetic.length; i++) {
            double[] s = synthetic[i];
            double dt = d.nearest(s, train);
            double dh = d.nearest(s, holdout);
            toTrain[i] = dt;
            closer += dt < dh ? 1 : dt == dh ? 0.5 : 0;
            for (double[] t : train) {
                if (isCopy(s, t)) {
                    copies++;
                    break;
                }
            }
        }
        double[] holdoutToTrain = new double[holdout.length];
        for (int i = 0; i < holdout.length; i++) {
            holdoutToTrain[i] = d.nearest(holdout[i], train);
        }
        return new Privacy(closer / synthetic.length, (double) copies / synthetic.length, median(toTrain),
                median(holdoutToTrain));
    }

    /** Whether {@code a} equals {@code b} on every cell within {@link #COPY_TOLERANCE} (a missing cell never matches). */
    public static boolean isCopy(double[] a, double[] b) {
        for (int j = 0; j < a.length; j++) {
            if (!(Math.abs(a[j] - b[j]) <= COPY_TOLERANCE)) {
                return false;
            }
        }
        return true;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Gower's distance over the columns of a spec, numeric cells scaled by ranges fitted on real rows. */
    public static final class Distance {
        private final TableSpec spec;
        private final boolean[] categorical;
        private final int[] offset;
        /** Cells of a vector column, 0 for a single-cell column. */
        private final int[] vectorWidth;
        private final double[] min;
        /** 1 / range per column, 0 when the range is 0 or unknown. */
        private final double[] inverseRange;

        public Distance(TableSpec spec, double[] min, double[] max) {
            int cols = spec.columnCount();
            if (min.length != cols || max.length != cols) {
                throw new IllegalArgumentException("one range per column");
            }
            this.spec = spec;
            this.categorical = new boolean[cols];
            this.offset = new int[cols];
            this.vectorWidth = new int[cols];
            this.min = min.clone();
            this.inverseRange = new double[cols];
            for (int c = 0; c < cols; c++) {
                categorical[c] = spec.column(c).isCategorical();
                offset[c] = spec.offset(c);
                vectorWidth[c] = spec.column(c).kind() == ColumnKind.VECTOR ? spec.column(c).width() : 0;
                double range = max[c] - min[c];
                inverseRange[c] = range > 0 && Double.isFinite(range) ? 1 / range : 0;
            }
        }

        /** Ranges of every numeric column (all elements of a vector) over the given sets of rows. */
        public static Distance fit(TableSpec spec, double[][]... rowSets) {
            int cols = spec.columnCount();
            double[] min = new double[cols];
            double[] max = new double[cols];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (double[][] rows : rowSets) {
                for (double[] row : rows) {
                    for (int c = 0; c < cols; c++) {
                        Column col = spec.column(c);
                        if (col.isCategorical()) {
                            continue;
                        }
                        int o = spec.offset(c);
                        for (int k = 0; k < col.width(); k++) {
                            double v = row[o + k];
                            if (!Double.isNaN(v)) {
                                min[c] = Math.min(min[c], v);
                                max[c] = Math.max(max[c], v);
                            }
                        }
                    }
                }
            }
            return new Distance(spec, min, max);
        }

        public TableSpec spec() {
            return spec;
        }

        /** The fitted lower bound of column {@code c} (+∞ when it had no value). */
        public double min(int c) {
            return min[c];
        }

        /** The fitted range's inverse of column {@code c} (0 when the range is 0). */
        public double inverseRange(int c) {
            return inverseRange[c];
        }

        /** Gower's distance of two rows, in [0, 1]. */
        public double between(double[] a, double[] b) {
            return between(a, b, Double.POSITIVE_INFINITY);
        }

        /**
         * Gower's distance, or any value ≥ {@code bound} once it is certain to be at least {@code bound} (a nearest
         * neighbour search's early exit: the columns not yet compared can lower the mean by at most their count).
         */
        double between(double[] a, double[] b, double bound) {
            int cols = categorical.length;
            double sum = 0;
            int n = 0;
            double limit = bound * cols;
            for (int c = 0; c < cols; c++) {
                int o = offset[c];
                double dc;
                if (categorical[c]) {
                    double x = a[o];
                    double y = b[o];
                    if (Double.isNaN(x) || Double.isNaN(y)) {
                        continue;
                    }
                    dc = x == y ? 0 : 1;
                } else if (vectorWidth[c] > 0) {
                    int w = vectorWidth[c];
                    double ir = inverseRange[c];
                    double s = 0;
                    int m = 0;
                    for (int k = 0; k < w; k++) {
                        double x = a[o + k];
                        double y = b[o + k];
                        if (!Double.isNaN(x) && !Double.isNaN(y)) {
                            s += Math.min(1, Math.abs(x - y) * ir);
                            m++;
                        }
                        // the vector's mean is at least s / w whatever its other elements: exit early
                        if ((k & 31) == 31 && sum + s / w >= limit) {
                            return bound;
                        }
                    }
                    if (m == 0) {
                        continue;
                    }
                    dc = s / m;
                } else {
                    double x = a[o];
                    double y = b[o];
                    if (Double.isNaN(x) || Double.isNaN(y)) {
                        continue;
                    }
                    dc = Math.min(1, Math.abs(x - y) * inverseRange[c]);
                }
                sum += dc;
                n++;
                // the remaining columns add at least 0 each: the mean is at least sum / cols
                if (sum >= limit) {
                    return bound;
                }
            }
            return n == 0 ? 1 : sum / n;
        }

        /** The distance from {@code row} to its nearest row of {@code rows} (+∞ when there is none). */
        public double nearest(double[] row, double[][] rows) {
            return nearest(row, rows, rows.length, -1);
        }

        /**
         * The distance from {@code row} to its nearest row of {@code rows[0..n)} that is not at distance 0 (+∞ when
         * there is none): the nearest <em>different</em> row.
         */
        public double nearestDifferent(double[] row, double[][] rows, int n) {
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double d = between(row, rows[i], best);
                if (d < best && d > 0) {
                    best = d;
                }
            }
            return best;
        }

        /** As {@link #nearest(double[], double[][])} over {@code rows[0..n)}, leaving out index {@code skip}. */
        public double nearest(double[] row, double[][] rows, int n, int skip) {
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (i == skip) {
                    continue;
                }
                double d = between(row, rows[i], best);
                if (d < best) {
                    best = d;
                    if (best == 0) {
                        break;
                    }
                }
            }
            return best;
        }
    }
}
