package io.ganstream.engine.synth;

import io.ganstream.engine.quality.Detection;
import io.ganstream.engine.table.ColumnKind;
import io.ganstream.engine.table.RowSample;
import io.ganstream.engine.table.TableSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which cells of a synthetic row are left missing, as the real rows leave them. The synthesizer learns every
 * column's values from the rows where they are observed and generates complete rows; real records miss cells, and
 * not at random (on the credit table a freelancer's income is missing in 31% of rows, a fixed employee's in 2%).
 * For each scalar column with missing cells among the training rows, a logistic regression of "this cell is
 * missing" on the row's other scalar columns ({@link Detection#fit}: numbers standardized, categories one-hot as the detector
 * caps them, {@link Detection#oneHotIndex(long[])}); a synthetic row's cell is then left missing with the probability its
 * other cells give. The complete synthetic rows are then like the complete real rows, and every row like the real
 * rows. Vector columns are neither blanked nor read. Immutable.
 */
public final class MissingCells {
    /** Most training rows a fit reads (a seeded sample of the buffer beyond that). */
    static final int MAX_ROWS = 4096;
    /** Inverse L2 penalty on the weights (not the intercept), as scikit-learn's default C. */
    private static final double C = 1.0;

    /** Per feature source (a scalar column): its cell. */
    private final int[] sourceCell;
    /** Per source: first feature index (the intercept is feature 0); {@code start[sources]} is the width. */
    private final int[] start;
    /** Per source: mean and spread of a numeric column (spread 0 for a categorical one). */
    private final double[] mean;
    private final double[] sd;
    /** Per source: a categorical column's feature offset of each category, null for a numeric one. */
    private final int[][] oneHot;
    /** The sources whose cells may be left missing, and each one's weights (over every feature). */
    private final int[] blanked;
    private final double[][] weights;

    private MissingCells(int[] sourceCell, int[] start, double[] mean, double[] sd, int[][] oneHot, int[] blanked,
                         double[][] weights) {
        this.sourceCell = sourceCell;
        this.start = start;
        this.mean = mean;
        this.sd = sd;
        this.oneHot = oneHot;
        this.blanked = blanked;
        this.weights = weights;
    }

    /**
     * Fits the regressions on {@code rows[0..n)} (a seeded sample of {@value #MAX_ROWS} beyond that); null when no
     * scalar column of them has a missing cell.
     */
    public static MissingCells fit(TableSpec spec, double[][] rows, int n, long seed) {
        double[][] sample = sample(rows, n, seed);
        List<Integer> sources = new ArrayList<>();
        for (int c = 0; c < spec.columnCount(); c++) {
            if (spec.column(c).kind() != ColumnKind.VECTOR) {
                sources.add(c);
            }
        }
        int s = sources.size();
        int[] sourceCell = new int[s];
        int[] start = new int[s + 1];
        double[] mean = new double[s];
        double[] sd = new double[s];
        int[][] oneHot = new int[s][];
        List<Integer> withMissing = new ArrayList<>();
        int width = 1;
        for (int j = 0; j < s; j++) {
            int c = sources.get(j);
            int cell = spec.offset(c);
            sourceCell[j] = cell;
            start[j] = width;
            boolean anyMissing = false;
            if (spec.column(c).isCategorical()) {
                int k = spec.column(c).categories().size();
                long[] count = new long[k];
                for (double[] r : sample) {
                    double v = r[cell];
                    if (Double.isNaN(v)) {
                        anyMissing = true;
                    } else if (v >= 0 && v < k) {
                        count[(int) v]++;
                    }
                }
                oneHot[j] = Detection.oneHotIndex(count);
                width += Arrays.stream(oneHot[j]).max().orElse(-1) + 1;
            } else {
                double sum = 0;
                double sq = 0;
                int m = 0;
                for (double[] r : sample) {
                    double v = r[cell];
                    if (Double.isNaN(v)) {
                        anyMissing = true;
                    } else {
                        sum += v;
                        sq += v * v;
                        m++;
                    }
                }
                mean[j] = m == 0 ? 0 : sum / m;
                double var = m == 0 ? 0 : sq / m - mean[j] * mean[j];
                sd[j] = var > 0 ? Math.sqrt(var) : 1;
                width++;
            }
            if (anyMissing) {
                withMissing.add(j);
            }
        }
        start[s] = width;
        if (withMissing.isEmpty()) {
            return null;
        }
        MissingCells shape = new MissingCells(sourceCell, start, mean, sd, oneHot, new int[0], new double[0][]);
        double[][] x = new double[sample.length][];
        for (int i = 0; i < sample.length; i++) {
            x[i] = shape.features(sample[i]);
        }
        int[] blanked = withMissing.stream().mapToInt(Integer::intValue).toArray();
        double[][] weights = new double[blanked.length][];
        for (int b = 0; b < blanked.length; b++) {
            int j = blanked[b];
            // its own column's features zeroed: a feature that is always 0 keeps a weight of 0
            List<double[]> xs = new ArrayList<>(sample.length);
            List<Integer> y = new ArrayList<>(sample.length);
            for (int i = 0; i < sample.length; i++) {
                double[] xi = x[i].clone();
                Arrays.fill(xi, start[j], start[j + 1], 0);
                xs.add(xi);
                y.add(Double.isNaN(sample[i][sourceCell[j]]) ? 1 : 0);
            }
            weights[b] = Detection.fit(xs, y, C);
        }
        return new MissingCells(sourceCell, start, mean, sd, oneHot, blanked, weights);
    }

    /** The scalar columns whose cells may be left missing (column indices among the scalar ones, in order). */
    int blankedColumns() {
        return blanked.length;
    }

    /**
     * Leaves cells of {@code rows} missing (in place) with the probability each row's other cells give; a cell of a
     * column in {@code conditions} (by cell) stays. The same rows and seed leave the same cells.
     */
    public void apply(double[][] rows, Map<Integer, Integer> conditions, long seed) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x4D495353L);
        double[] p = new double[blanked.length];
        for (double[] row : rows) {
            double[] x = features(row);
            for (int b = 0; b < blanked.length; b++) {
                p[b] = probability(weights[b], x);
            }
            for (int b = 0; b < blanked.length; b++) {
                int cell = sourceCell[blanked[b]];
                if (rng.nextDouble() < p[b] && !conditions.containsKey(cell)) {
                    row[cell] = Double.NaN;
                }
            }
        }
    }

    /** The probability that {@code row}'s cell of blanked column {@code b} is missing. */
    double probability(int b, double[] row) {
        return probability(weights[b], features(row));
    }

    private static double probability(double[] w, double[] x) {
        double z = 0;
        for (int a = 0; a < w.length; a++) {
            z += w[a] * x[a];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /** Intercept, then each source's features; a missing cell is the column's mean (all zeros). */
    private double[] features(double[] row) {
        double[] x = new double[start[start.length - 1]];
        x[0] = 1;
        for (int j = 0; j < sourceCell.length; j++) {
            double v = row[sourceCell[j]];
            if (Double.isNaN(v)) {
                continue;
            }
            if (oneHot[j] != null) {
                if (v >= 0 && v < oneHot[j].length) {
                    x[start[j] + oneHot[j][(int) v]] = 1;
                }
            } else {
                x[start[j]] = (v - mean[j]) / sd[j];
            }
        }
        return x;
    }

    private static double[][] sample(double[][] rows, int n, long seed) {
        return n <= MAX_ROWS ? Arrays.copyOf(rows, n) : RowSample.of(rows, n, MAX_ROWS, seed);
    }

    /** Writes it for {@link #read}. */
    public void write(DataOutputStream out) throws IOException {
        out.writeInt(sourceCell.length);
        for (int j = 0; j < sourceCell.length; j++) {
            out.writeInt(sourceCell[j]);
            out.writeInt(start[j]);
            out.writeDouble(mean[j]);
            out.writeDouble(sd[j]);
            out.writeInt(oneHot[j] == null ? -1 : oneHot[j].length);
            if (oneHot[j] != null) {
                for (int v : oneHot[j]) {
                    out.writeInt(v);
                }
            }
        }
        out.writeInt(start[sourceCell.length]);
        out.writeInt(blanked.length);
        for (int b = 0; b < blanked.length; b++) {
            out.writeInt(blanked[b]);
            for (double v : weights[b]) {
                out.writeDouble(v);
            }
        }
    }

    /** Reads what {@link #write} wrote. */
    public static MissingCells read(DataInputStream in) throws IOException {
        int s = in.readInt();
        if (s < 0 || s > 1_000_000) {
            throw new IOException("missing-cells model of " + s + " columns");
        }
        int[] sourceCell = new int[s];
        int[] start = new int[s + 1];
        double[] mean = new double[s];
        double[] sd = new double[s];
        int[][] oneHot = new int[s][];
        for (int j = 0; j < s; j++) {
            sourceCell[j] = in.readInt();
            start[j] = in.readInt();
            mean[j] = in.readDouble();
            sd[j] = in.readDouble();
            int k = in.readInt();
            if (k >= 0) {
                oneHot[j] = new int[k];
                for (int cat = 0; cat < k; cat++) {
                    oneHot[j][cat] = in.readInt();
                }
            }
        }
        start[s] = in.readInt();
        int nb = in.readInt();
        if (nb < 0 || nb > s) {
            throw new IOException("missing-cells model blanking " + nb + " of " + s + " columns");
        }
        int[] blanked = new int[nb];
        double[][] weights = new double[nb][start[s]];
        for (int b = 0; b < nb; b++) {
            blanked[b] = in.readInt();
            for (int a = 0; a < start[s]; a++) {
                weights[b][a] = in.readDouble();
            }
        }
        return new MissingCells(sourceCell, start, mean, sd, oneHot, blanked, weights);
    }
}
