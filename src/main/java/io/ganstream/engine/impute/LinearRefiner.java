package io.ganstream.engine.impute;

import io.ganstream.engine.table.Cholesky;
import io.ganstream.engine.table.Encoder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A linear second opinion on the generator's numeric imputations, blended with them. For each numeric cell, a
 * ridge regression of its scaled value on every other encoded dim of the row, fitted on buffered rows where the
 * cell is observed and whose other missing cells the generator filled (one chained step of MICE that starts from
 * the generator's imputation rather than from column means). At serving time a missing numeric cell's value is
 * {@code (1 - share) * generator + share * regression}; {@code share} is chosen on held-out rows, so a table whose
 * structure the generator already has keeps the generator's answer ({@code share} 0).
 *
 * <p>Why: on small tables (a few hundred to a few thousand rows) the generator cannot learn linear structure that
 * a regression fits exactly from the same rows; docs/models.md, "Linear refinement", has the suite figures.
 * Immutable; coefficients live in the encoder's scaled units of the snapshot it was fitted with.
 */
public final class LinearRefiner {
    /** Blend shares tried on the held-out rows. */
    static final double[] SHARES = {0, 0.25, 0.5, 0.75, 1};
    /** Ridge penalty on the sums of squares (sklearn's Ridge default; the features are in [0, 1]). */
    static final double RIDGE = 1.0;

    private final int dims;
    /** Encoded dim of each refined (numeric) cell, by cell; -1 for a categorical cell. */
    private final int[] cellDim;
    /** Per cell: weights over all dims (its own dim 0), then the intercept; null for cells not refined. */
    private final double[][] weights;
    private final double share;

    private LinearRefiner(int dims, int[] cellDim, double[][] weights, double share) {
        this.dims = dims;
        this.cellDim = cellDim;
        this.weights = weights;
        this.share = share;
    }

    /** The share of the regression in the blend (0: the generator's values are served unchanged). */
    public double share() {
        return share;
    }

    /** The same coefficients with another blend share. */
    public LinearRefiner withShare(double s) {
        if (!(s >= 0 && s <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1]: " + s);
        }
        return new LinearRefiner(dims, cellDim, weights, s);
    }

    /**
     * Rows a fit may use within {@code cost} multiply-adds (each numeric cell's regression accumulates a
     * dims × dims matrix per row), at most {@code max}.
     */
    static int rowsWithin(long cost, int max, Encoder enc) {
        long numeric = enc.numericCells();
        long dims = enc.dims();
        long perRow = Math.max(1, numeric * dims * dims / 2);
        return (int) Math.min(max, cost / perRow);
    }

    /**
     * Fits the regressions on {@code rows} (raw rows with their missing cells, not modified) as {@code model}'s
     * generator alone fills them; the share is 0 until {@link #withShare} sets it.
     */
    static LinearRefiner fit(GainModel model, double[][] rows) {
        Encoder enc = model.encoder();
        int dd = enc.dims();
        int cells = enc.spec().cellCount();
        int n = rows.length;
        double[][] x = model.withRefiner(null).encodeFilled(rows);
        boolean[][] observed = new boolean[n][cells];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cells; c++) {
                observed[i][c] = !Double.isNaN(rows[i][c]);
            }
        }
        int[] cellDim = new int[cells];
        double[][] weights = new double[cells][];
        for (int c = 0; c < cells; c++) {
            cellDim[c] = enc.cellCategories(c) > 0 ? -1 : enc.cellDim(c);
            if (cellDim[c] >= 0) {
                weights[c] = ridge(x, observed, c, cellDim[c], dd);
            }
        }
        return new LinearRefiner(dd, cellDim, weights, 0);
    }

    /**
     * Ridge of dim {@code target} on the other dims over the rows where {@code cell} is observed, centred (the
     * intercept is not penalized); all-zero weights and the mean when fewer than 2 rows have it.
     */
    private static double[] ridge(double[][] x, boolean[][] observed, int cell, int target, int dd) {
        int n = 0;
        double[] mean = new double[dd];
        for (int i = 0; i < x.length; i++) {
            if (observed[i][cell]) {
                n++;
                for (int k = 0; k < dd; k++) {
                    mean[k] += x[i][k];
                }
            }
        }
        double[] w = new double[dd + 1];
        if (n < 2) {
            w[dd] = n == 0 ? 0.5 : mean[target];
            return w;
        }
        for (int k = 0; k < dd; k++) {
            mean[k] /= n;
        }
        double[][] a = new double[dd][dd];
        double[] b = new double[dd];
        double[] centred = new double[dd];
        for (int i = 0; i < x.length; i++) {
            if (!observed[i][cell]) {
                continue;
            }
            for (int k = 0; k < dd; k++) {
                centred[k] = k == target ? 0 : x[i][k] - mean[k];
            }
            double y = x[i][target] - mean[target];
            for (int k = 0; k < dd; k++) {
                double ck = centred[k];
                if (ck == 0) {
                    continue;
                }
                b[k] += ck * y;
                double[] ak = a[k];
                for (int l = 0; l <= k; l++) {
                    ak[l] += ck * centred[l];
                }
            }
        }
        for (int k = 0; k < dd; k++) {
            for (int l = 0; l < k; l++) {
                a[l][k] = a[k][l];
            }
            a[k][k] += RIDGE;
        }
        double[] coef = Cholesky.solve(a, b);
        double intercept = mean[target];
        for (int k = 0; k < dd; k++) {
            if (k != target) {
                w[k] = coef[k];
                intercept -= coef[k] * mean[k];
            }
        }
        w[dd] = intercept;
        return w;
    }

    /**
     * Blends the regression into {@code out} (the generator's activated output, encoded layout) for the cells
     * missing in {@code row}; {@code filledX} is the encoding of the row as the generator filled it.
     */
    void refine(double[] row, double[] filledX, double[] out) {
        if (share == 0) {
            return;
        }
        for (int c = 0; c < row.length; c++) {
            double[] w = weights[c];
            if (w == null || !Double.isNaN(row[c])) {
                continue;
            }
            double p = w[dims];
            for (int k = 0; k < dims; k++) {
                p += w[k] * filledX[k];
            }
            int d = cellDim[c];
            double v = (1 - share) * out[d] + share * p;
            out[d] = v < 0 ? 0 : (v > 1 ? 1 : v);
        }
    }

    /** Whether it was fitted for this many encoded dims and cells (a checkpoint for another layout is ignored). */
    boolean fits(int encodedDims, int cells) {
        return dims == encodedDims && cellDim.length == cells;
    }

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.writeInt(dims);
            out.writeInt(cellDim.length);
            out.writeDouble(share);
            for (int c = 0; c < cellDim.length; c++) {
                out.writeInt(cellDim[c]);
                if (cellDim[c] >= 0) {
                    for (double v : weights[c]) {
                        out.writeDouble(v);
                    }
                }
            }
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LinearRefiner fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int dims = in.readInt();
            int cells = in.readInt();
            double share = in.readDouble();
            int[] cellDim = new int[cells];
            double[][] weights = new double[cells][];
            for (int c = 0; c < cells; c++) {
                cellDim[c] = in.readInt();
                if (cellDim[c] >= 0) {
                    weights[c] = new double[dims + 1];
                    for (int k = 0; k <= dims; k++) {
                        weights[c][k] = in.readDouble();
                    }
                }
            }
            return new LinearRefiner(dims, cellDim, weights, share);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "LinearRefiner{share=" + share + ", cells=" + Arrays.stream(cellDim).filter(d -> d >= 0).count() + "}";
    }
}
