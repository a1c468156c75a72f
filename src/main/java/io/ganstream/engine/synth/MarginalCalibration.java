package io.ganstream.engine.synth;

import io.ganstream.engine.quality.Normal;
import io.ganstream.engine.table.TableSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per numeric column, a monotone map from the generator's marginal distribution to the data's (quantile
 * mapping): a generated value at quantile u of the generator's own output becomes the value at quantile u of
 * the observed values in the replay buffer. The generator still decides the joint structure (which rows are
 * high or low together, and how that depends on the categories), the data decides each column's shape.
 * <p>Why: on small tables the GAN's single-column shapes lag behind a copula on empirical marginals (KS
 * 0.08–0.14 per column on cars after 5,000 steps), mostly on columns that are really discrete (years, cylinder
 * counts, zero-inflated precipitation); more steps buy little there. A monotone map fixes the shapes without
 * touching rank correlations, and is cheap: two binary searches per value.
 * <p>Columns with few distinct observed values (≤ {@link #STEP_LIMIT}) map to the nearest observed knot, so a
 * year column stays on its years; others interpolate linearly between knots. Immutable.
 */
public final class MarginalCalibration {
    /** Knots toward each end between the evenly spaced ones ({@link #tailLevels}). */
    static final int LADDER = 8;
    /** Evenly spaced knots, 0, 1/256, ..., 1: of a correlation calibration's scores, and of older checkpoints. */
    static final int EVEN_KNOTS = 257;
    /**
     * Quantile knots per column: 0, 1/256, ..., 1 and, toward each end, {@value #LADDER} more, down to 1/65,536
     * ({@link #tailLevels}).
     */
    static final int KNOTS = EVEN_KNOTS + 2 * LADDER;
    /** The levels of {@link #KNOTS} knots. */
    private static final double[] TAIL_LEVELS = tailLevels(EVEN_KNOTS, LADDER);
    /** The levels of {@link #EVEN_KNOTS} knots. */
    private static final double[] EVEN_LEVELS = tailLevels(EVEN_KNOTS, 0);
    /** Columns with at most this many distinct observed values are treated as discrete. */
    static final int STEP_LIMIT = 64;

    private final double[][] from;
    private final double[][] to;
    private final boolean[] discrete;
    /** The quantile level of each knot, ascending from 0 to 1. */
    private final double[] levels;
    /** Per column, how near 0 and 1 its normal scores are taken ({@link #score}). */
    private final double[] edge;

    private MarginalCalibration(double[][] from, double[][] to, boolean[] discrete, double[] levels, double[] edge) {
        this.from = from;
        this.to = to;
        this.discrete = discrete;
        this.levels = levels;
        this.edge = edge;
    }

    /** No column is mapped. */
    public static MarginalCalibration identity(int columns) {
        double[] edge = new double[columns];
        Arrays.fill(edge, EVEN_EDGE);
        return new MarginalCalibration(new double[columns][], new double[columns][], new boolean[columns],
                TAIL_LEVELS, edge);
    }

    /**
     * Fits the maps of every numeric, non-vector column with enough observed values.
     *
     * @param spec      the table
     * @param real      observed rows (NaN = missing); only the first {@code realCount} are read
     * @param realCount rows to read
     * @param generated rows from the uncalibrated generator
     */
    public static MarginalCalibration fit(TableSpec spec, double[][] real, int realCount, double[][] generated) {
        int cols = spec.columnCount();
        double[][] from = new double[cols][];
        double[][] to = new double[cols][];
        boolean[] discrete = new boolean[cols];
        double[] edge = new double[cols];
        Arrays.fill(edge, EVEN_EDGE);
        double[] buf = new double[Math.max(realCount, generated.length)];
        // tail knots only where the rows can resolve them: below 257 rows they would lie between the two outermost
        double[] levels = realCount >= EVEN_KNOTS ? TAIL_LEVELS : EVEN_LEVELS;
        for (int c = 0; c < cols; c++) {
            if (spec.column(c).isCategorical() || spec.column(c).width() != 1) {
                continue;
            }
            int cell = spec.offset(c);
            int n = 0;
            for (int i = 0; i < realCount; i++) {
                double v = real[i][cell];
                if (!Double.isNaN(v)) {
                    buf[n++] = v;
                }
            }
            if (n < 20 || generated.length < 20) {
                continue; // too little to say anything about the shape
            }
            Arrays.sort(buf, 0, n);
            to[c] = quantiles(buf, n, levels);
            edge[c] = edge(n);
            discrete[c] = distinct(buf, n) <= STEP_LIMIT;
            int m = 0;
            for (double[] row : generated) {
                double v = row[cell];
                if (!Double.isNaN(v)) {
                    buf[m++] = v;
                }
            }
            Arrays.sort(buf, 0, m);
            from[c] = quantiles(buf, m, levels);
        }
        return new MarginalCalibration(from, to, discrete, levels, edge);
    }

    /** The calibrated value of a generated value of column {@code c} (unchanged when the column is not mapped). */
    public double apply(int c, double v) {
        return from[c] == null ? v : valueAt(c, generatedQuantile(c, v));
    }

    /** Whether column {@code c} is mapped. */
    boolean maps(int c) {
        return from[c] != null;
    }

    /** Whether mapped column {@code c} takes few distinct values (mapped to the nearest knot's value). */
    boolean discrete(int c) {
        return discrete[c];
    }

    /** Quantile in [0, 1] of a generated value of mapped column {@code c} among the generator's own outputs. */
    double generatedQuantile(int c, double v) {
        return levelAt(levels, position(from[c], v));
    }

    /** Quantile in [0, 1] of an observed value of mapped column {@code c} among the observed values. */
    double observedQuantile(int c, double v) {
        return levelAt(levels, position(to[c], v));
    }

    /** The observed value of mapped column {@code c} at quantile {@code q} in [0, 1]. */
    double valueAt(int c, double q) {
        return at(to[c], indexAt(levels, Math.max(0, Math.min(1, q))), discrete[c]);
    }

    /** The level at fractional knot index {@code u} (interpolated between the knots' levels). */
    static double levelAt(double[] levels, double u) {
        int i = (int) Math.floor(u);
        if (i >= levels.length - 1) {
            return levels[levels.length - 1];
        }
        return levels[i] + (u - i) * (levels[i + 1] - levels[i]);
    }

    /** The fractional knot index of level {@code q} in [0, 1] (the inverse of {@link #levelAt}). */
    static double indexAt(double[] levels, double q) {
        int hi = Arrays.binarySearch(levels, q);
        if (hi >= 0) {
            return hi;
        }
        hi = -hi - 1;
        if (hi >= levels.length) {
            return levels.length - 1;
        }
        int lo = hi - 1;
        return lo + (q - levels[lo]) / (levels[hi] - levels[lo]);
    }

    /** How near 0 and 1 the normal scores of the checkpoints before the tail knots were taken (half a knot). */
    static final double EVEN_EDGE = 0.5 / EVEN_KNOTS;

    /**
     * How near 0 and 1 the normal scores of a column of {@code n} observed values are taken: half a row's share,
     * as the scores of ranks go ({@code (rank - 0.5) / n}), never nearer than half the finest knot; a column of
     * fewer than {@value #EVEN_KNOTS} values keeps half an even knot (its extremes' scores as before the tail knots).
     */
    static double edge(int n) {
        return Math.max(0.5 * TAIL_LEVELS[1], Math.min(EVEN_EDGE, 0.5 / n));
    }

    /** The normal score of quantile {@code q} of mapped column {@code c} (taken within its edge of 0 and 1). */
    double score(int c, double q) {
        return Normal.inverseCdf(clampToEdge(c, q));
    }

    /** {@code q} moved at least the edge of column {@code c} away from 0 and 1. */
    double clampToEdge(int c, double q) {
        return Math.max(edge[c], Math.min(1 - edge[c], q));
    }

    /**
     * The value of knots {@code t} at fractional knot index {@code u}: the nearest knot's for a {@code discrete}
     * column, interpolated otherwise.
     */
    static double at(double[] t, double u, boolean discrete) {
        if (discrete) {
            return t[(int) Math.rint(u)];
        }
        int i = (int) Math.floor(u);
        if (i >= t.length - 1) {
            return t[t.length - 1];
        }
        double frac = u - i;
        return t[i] + frac * (t[i + 1] - t[i]);
    }

    /** Fractional knot index of v among the sorted knots (ties: the middle of the tied run). */
    static double position(double[] knots, double v) {
        int last = knots.length - 1;
        if (v <= knots[0]) {
            return v < knots[0] ? 0 : middleOfTies(knots, 0);
        }
        if (v >= knots[last]) {
            return v > knots[last] ? last : middleOfTies(knots, last);
        }
        int hi = Arrays.binarySearch(knots, v);
        if (hi >= 0) {
            return middleOfTies(knots, hi);
        }
        hi = -hi - 1; // first knot > v
        int lo = hi - 1;
        return lo + (v - knots[lo]) / (knots[hi] - knots[lo]);
    }

    private static double middleOfTies(double[] knots, int i) {
        int a = i;
        int b = i;
        while (a > 0 && knots[a - 1] == knots[i]) {
            a--;
        }
        while (b < knots.length - 1 && knots[b + 1] == knots[i]) {
            b++;
        }
        return (a + b) / 2.0;
    }

    /** {@value #EVEN_KNOTS} evenly spaced quantiles (0 to 1) of the first {@code n} sorted values. */
    static double[] quantiles(double[] sorted, int n) {
        return quantiles(sorted, n, EVEN_LEVELS);
    }

    /** The quantiles at {@code levels} (ascending, 0 to 1) of the first {@code n} sorted values. */
    static double[] quantiles(double[] sorted, int n, double[] levels) {
        double[] q = new double[levels.length];
        for (int k = 0; k < levels.length; k++) {
            q[k] = quantile(sorted, n, levels[k]);
        }
        return q;
    }

    private static double quantile(double[] sorted, int n, double level) {
        double pos = level * (n - 1);
        int i = (int) Math.floor(pos);
        double frac = pos - i;
        return i + 1 < n ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[n - 1];
    }

    /**
     * Quantile levels that resolve the tails: {@code uniform} evenly spaced levels from 0 to 1, and between each
     * end and its neighbour {@code ladder} more, halving the distance to the end each time (the last at
     * {@code 2^-ladder} of the even spacing). Why: interpolated between evenly spaced knots, a long-tailed column's
     * outermost interval (the top 1/64 of a class's rows, say) is spread evenly from the last knot's value to the
     * maximum, putting rows where the data has almost none (a large class's values landing in a rare class's range).
     */
    static double[] tailLevels(int uniform, int ladder) {
        double step = 1.0 / (uniform - 1);
        double[] levels = new double[uniform + 2 * ladder];
        int k = 0;
        levels[k++] = 0;
        for (int i = ladder; i >= 1; i--) {
            levels[k++] = step * Math.scalb(1.0, -i);
        }
        for (int j = 1; j < uniform - 1; j++) {
            levels[k++] = j * step;
        }
        for (int i = 1; i <= ladder; i++) {
            levels[k++] = 1 - step * Math.scalb(1.0, -i);
        }
        levels[k] = 1;
        return levels;
    }

    private static int distinct(double[] sorted, int n) {
        int d = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            if (sorted[i] != sorted[i - 1]) {
                d++;
            }
        }
        return d;
    }

    void write(DataOutputStream out) throws IOException {
        // a negative count of knots first: checkpoints of the even knots start with the (positive) column count
        out.writeInt(-levels.length);
        out.writeInt(from.length);
        for (int c = 0; c < from.length; c++) {
            out.writeBoolean(from[c] != null);
            if (from[c] != null) {
                out.writeBoolean(discrete[c]);
                out.writeDouble(edge[c]);
                for (int k = 0; k < levels.length; k++) {
                    out.writeDouble(from[c][k]);
                    out.writeDouble(to[c][k]);
                }
            }
        }
    }

    static MarginalCalibration read(DataInputStream in, int columns) throws IOException {
        int first = in.readInt();
        int knots = first < 0 ? -first : EVEN_KNOTS;
        if (knots != KNOTS && knots != EVEN_KNOTS) {
            throw new IOException("calibration of " + knots + " knots");
        }
        double[] levels = knots == KNOTS ? TAIL_LEVELS : EVEN_LEVELS;
        int n = first < 0 ? in.readInt() : first;
        if (n != columns) {
            throw new IOException("calibration has " + n + " columns, the table " + columns);
        }
        double[][] from = new double[n][];
        double[][] to = new double[n][];
        boolean[] discrete = new boolean[n];
        double[] edge = new double[n];
        Arrays.fill(edge, EVEN_EDGE);
        for (int c = 0; c < n; c++) {
            if (in.readBoolean()) {
                discrete[c] = in.readBoolean();
                if (first < 0) {
                    edge[c] = in.readDouble();
                    if (!(edge[c] > 0 && edge[c] <= EVEN_EDGE)) {
                        throw new IOException("calibration edge " + edge[c]);
                    }
                }
                from[c] = new double[knots];
                to[c] = new double[knots];
                for (int k = 0; k < knots; k++) {
                    from[c][k] = in.readDouble();
                    to[c][k] = in.readDouble();
                }
            }
        }
        return new MarginalCalibration(from, to, discrete, levels, edge);
    }
}
