package io.ganstream.engine.impute;

import io.ganstream.engine.table.Encoder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A nonlinear second opinion on the served numeric imputations, blended with them: for each numeric cell, an
 * ensemble of gradient-boosted oblivious regression trees (every node of a level asks the same question) of its
 * scaled value on every other encoded dim of the row, fitted on buffered rows where the cell is observed and
 * whose other missing cells the served model (generator and {@link LinearRefiner}) filled. At serving time a
 * missing numeric cell's value is {@code (1 - share) * served + share * trees}; {@code share} is chosen on
 * held-out rows by {@code GainLearner} (on the numeric cells that are not 0/1 flags), and trees that no share
 * improves there are not kept.
 *
 * <p>Why: interactions between columns that trees split on (a product of two columns, a threshold) are what
 * MissForest finds and a generator trained on a few thousand rows does not; docs/models.md, "Boosted refinement".
 * Oblivious trees because a tree is then {@link #DEPTH} comparisons and one array read at serving time, without
 * a branch per node. Immutable; thresholds live in the encoder's scaled units of the snapshot it was fitted with.
 */
public final class BoostedRefiner {
    /** Blend shares tried on the held-out rows. */
    static final double[] SHARES = {0, 0.25, 0.5, 0.75, 1};
    /** Trees per cell. */
    static final int TREES = 40;
    /** Levels per tree (2^DEPTH leaves). */
    static final int DEPTH = 6;
    /** Shrinkage of each tree's leaves. */
    static final double LEARNING_RATE = 0.2;
    /** L2 penalty on a leaf's value, in rows (a leaf of few rows moves little). */
    static final double LEAF_PENALTY = 1.0;
    /** Most bins per dim: up to {@code BINS - 1} candidate thresholds (quantiles of the fit rows); a bin fits a byte. */
    static final int BINS = 128;

    private final int dims;
    /** Encoded dim of each refined (numeric) cell, by cell; -1 for a categorical cell. */
    private final int[] cellDim;
    /** Per cell (null when not refined): the base value, then per tree its levels' dims, thresholds, leaves. */
    private final double[] base;
    private final int[][] features;
    private final float[][] thresholds;
    private final float[][] leaves;
    private final double share;

    private BoostedRefiner(int dims, int[] cellDim, double[] base, int[][] features, float[][] thresholds,
                           float[][] leaves, double share) {
        this.dims = dims;
        this.cellDim = cellDim;
        this.base = base;
        this.features = features;
        this.thresholds = thresholds;
        this.leaves = leaves;
        this.share = share;
    }

    /** The share of the trees in the blend (0: the served values are kept). */
    public double share() {
        return share;
    }

    /** The same trees with another blend share. */
    public BoostedRefiner withShare(double s) {
        if (!(s >= 0 && s <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1]: " + s);
        }
        return new BoostedRefiner(dims, cellDim, base, features, thresholds, leaves, s);
    }

    /**
     * Rows a fit may use within {@code cost} steps, at most {@code max}: per numeric cell and tree, one histogram
     * addition per row and dim on each level, and the split search's one look per node, dim and bin whatever the
     * rows; 0 when the search alone takes more (a table that wide keeps the generator and the linear refiner).
     */
    static int rowsWithin(long cost, int max, Encoder enc) {
        long numeric = enc.numericCells();
        long search = numeric * TREES * ((1L << DEPTH) - 1) * enc.dims() * BINS;
        long perRow = Math.max(1, numeric * enc.dims() * (long) TREES * DEPTH);
        return (int) Math.max(0, Math.min(max, (cost - search) / perRow));
    }

    /**
     * Fits the trees on {@code rows} (raw rows with their missing cells, not modified) as {@code model} (the
     * served generator with its linear refiner, without trees) fills them; the share is 0 until {@link #withShare}.
     */
    public static BoostedRefiner fit(GainModel model, double[][] rows) {
        Encoder enc = model.encoder();
        int dd = enc.dims();
        int cells = enc.spec().cellCount();
        int n = rows.length;
        double[][] x = model.encodeFilled(rows);
        Bins bins = Bins.of(x, dd);
        int[] cellDim = new int[cells];
        double[] base = new double[cells];
        int[][] features = new int[cells][];
        float[][] thresholds = new float[cells][];
        float[][] leaves = new float[cells][];
        for (int c = 0; c < cells; c++) {
            cellDim[c] = enc.cellCategories(c) > 0 ? -1 : enc.cellDim(c);
            if (cellDim[c] < 0) {
                continue;
            }
            int[] observed = new int[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (!Double.isNaN(rows[i][c])) {
                    observed[m++] = i;
                }
            }
            features[c] = new int[TREES * DEPTH];
            thresholds[c] = new float[TREES * DEPTH];
            leaves[c] = new float[TREES << DEPTH];
            base[c] = boost(x, bins, Arrays.copyOf(observed, m), cellDim[c], features[c], thresholds[c], leaves[c]);
        }
        return new BoostedRefiner(dd, cellDim, base, features, thresholds, leaves, 0);
    }

    /**
     * Candidate thresholds per dim and, per dim, each fit row's bin (the number of thresholds its value exceeds;
     * by dim because a level's histograms are built one dim at a time).
     */
    private record Bins(float[][] edges, byte[][] bin) {
        static Bins of(double[][] x, int dd) {
            int n = x.length;
            float[][] edges = new float[dd][];
            byte[][] bin = new byte[dd][n];
            float[] sorted = new float[n];
            for (int k = 0; k < dd; k++) {
                for (int i = 0; i < n; i++) {
                    sorted[i] = (float) x[i][k];
                }
                Arrays.sort(sorted, 0, n);
                float[] e = new float[BINS];
                int ne = 0;
                for (int q = 1; q < BINS && n > 0; q++) {
                    float v = sorted[(int) ((long) q * (n - 1) / BINS)];
                    // an edge below the largest value only: a split on it must send some rows right
                    if (v < sorted[n - 1] && (ne == 0 || v > e[ne - 1])) {
                        e[ne++] = v;
                    }
                }
                edges[k] = Arrays.copyOf(e, ne);
                for (int i = 0; i < n; i++) {
                    bin[k][i] = (byte) binOf(edges[k], (float) x[i][k]);
                }
            }
            return new Bins(edges, bin);
        }

        private static int binOf(float[] e, float v) {
            int b = 0;
            while (b < e.length && v > e[b]) {
                b++;
            }
            return b;
        }
    }

    /**
     * Boosts {@link #TREES} oblivious trees of dim {@code target} on the other dims over rows {@code idx}; writes
     * them into the arrays; returns the base value (the mean).
     */
    private static double boost(double[][] x, Bins bins, int[] idx, int target, int[] feat, float[] thr,
                                float[] leaf) {
        int m = idx.length;
        int dd = bins.edges.length;
        if (m == 0) {
            Arrays.fill(thr, Float.POSITIVE_INFINITY);
            return 0.5;
        }
        double mean = 0;
        for (int i : idx) {
            mean += x[i][target];
        }
        mean /= m;
        double[] residual = new double[m];
        for (int j = 0; j < m; j++) {
            residual[j] = x[idx[j]][target] - mean;
        }
        int[] node = new int[m];
        // the fit rows' bins gathered once per cell: every level of every tree then reads them in order
        byte[][] own = new byte[dd][];
        for (int k = 0; k < dd; k++) {
            byte[] all = bins.bin[k];
            byte[] b = new byte[m];
            for (int j = 0; j < m; j++) {
                b[j] = all[idx[j]];
            }
            own[k] = b;
        }
        int leavesMax = 1 << DEPTH;
        double[] sum = new double[leavesMax * (BINS + 1)];
        int[] count = new int[leavesMax * (BINS + 1)];
        double[] leafSum = new double[leavesMax];
        int[] leafCount = new int[leavesMax];
        double[] totalS = new double[leavesMax];
        int[] totalN = new int[leavesMax];
        double[] gain = new double[BINS];
        for (int t = 0; t < TREES; t++) {
            Arrays.fill(node, 0);
            for (int level = 0; level < DEPTH; level++) {
                int nodes = 1 << level;
                int size = nodes * (BINS + 1);
                int bestK = -1;
                int bestB = -1;
                double bestGain = 0;
                for (int k = 0; k < dd; k++) {
                    int edges = bins.edges[k].length;
                    if (k == target || edges == 0) {
                        continue;
                    }
                    // this dim's histogram by node and bin: small enough to stay in the first-level cache, where
                    // all dims' at once were megabytes to clear and fill per level
                    Arrays.fill(sum, 0, size, 0);
                    Arrays.fill(count, 0, size, 0);
                    byte[] col = own[k];
                    for (int j = 0; j < m; j++) {
                        int h = node[j] * (BINS + 1) + col[j];
                        sum[h] += residual[j];
                        count[h]++;
                    }
                    double base = 0;
                    Arrays.fill(totalS, 0, nodes, 0);
                    Arrays.fill(totalN, 0, nodes, 0);
                    for (int v = 0; v < nodes; v++) {
                        int off = v * (BINS + 1);
                        for (int b = 0; b <= edges; b++) {
                            totalS[v] += sum[off + b];
                            totalN[v] += count[off + b];
                        }
                        base += totalS[v] * totalS[v] / (totalN[v] + LEAF_PENALTY);
                    }
                    // a threshold's gain sums its nodes' parts; node by node, so that the sums for different
                    // thresholds are independent additions rather than one chain per threshold
                    Arrays.fill(gain, 0, edges, -base);
                    for (int v = 0; v < nodes; v++) {
                        int off = v * (BINS + 1);
                        double ls = 0;
                        int ln = 0;
                        double p = totalS[v] * totalS[v] / (totalN[v] + LEAF_PENALTY);
                        for (int b = 0; b < edges; b++) {
                            // a bin with none of the node's rows leaves its split where it was: most bins of the
                            // deeper levels' nodes are empty, and the divisions are the search's cost
                            if (count[off + b] != 0) {
                                ls += sum[off + b];
                                ln += count[off + b];
                                double rs = totalS[v] - ls;
                                p = ls * ls / (ln + LEAF_PENALTY) + rs * rs / (totalN[v] - ln + LEAF_PENALTY);
                            }
                            gain[b] += p;
                        }
                    }
                    for (int b = 0; b < edges; b++) {
                        if (gain[b] > bestGain + 1e-12) {
                            bestGain = gain[b];
                            bestK = k;
                            bestB = b;
                        }
                    }
                }
                int at = t * DEPTH + level;
                if (bestK < 0) { // nothing left to split on: every row goes left from here
                    feat[at] = 0;
                    thr[at] = Float.POSITIVE_INFINITY;
                    for (int j = 0; j < m; j++) {
                        node[j] <<= 1;
                    }
                    continue;
                }
                feat[at] = bestK;
                thr[at] = bins.edges[bestK][bestB] + 0f; // -0 becomes +0
                for (int j = 0; j < m; j++) {
                    node[j] = (node[j] << 1) | (own[bestK][j] > bestB ? 1 : 0);
                }
            }
            Arrays.fill(leafSum, 0);
            Arrays.fill(leafCount, 0);
            for (int j = 0; j < m; j++) {
                leafSum[node[j]] += residual[j];
                leafCount[node[j]]++;
            }
            for (int v = 0; v < leavesMax; v++) {
                leaf[(t << DEPTH) + v] = (float) (LEARNING_RATE * leafSum[v] / (leafCount[v] + LEAF_PENALTY));
            }
            for (int j = 0; j < m; j++) {
                residual[j] -= leaf[(t << DEPTH) + node[j]];
            }
        }
        return mean;
    }

    /** The trees' value of cell {@code c} for the encoded row {@code x} (in float, as the thresholds are). */
    private double predict(int c, float[] x) {
        int[] f = features[c];
        float[] th = thresholds[c];
        float[] lv = leaves[c];
        double p = base[c];
        for (int t = 0, at = 0; t < TREES; t++, at += DEPTH) {
            int v = 0;
            for (int level = 0; level < DEPTH; level++) {
                // x > th as the sign bit of th - x, without a branch: which way a level goes is a coin toss the
                // branch predictor loses half the time (thresholds are stored without -0, so equal values go left)
                v = (v << 1) | (Float.floatToRawIntBits(th[at + level] - x[f[at + level]]) >>> 31);
            }
            p += lv[(t << DEPTH) | v];
        }
        return p;
    }

    /**
     * Blends the trees into {@code out} (the served output, encoded layout) for the cells missing in {@code row};
     * {@code filledX} is the encoding of the row as the served model filled it, {@code scratch} a buffer of as many
     * floats.
     */
    void refine(double[] row, double[] filledX, double[] out, float[] scratch) {
        if (share == 0) {
            return;
        }
        for (int k = 0; k < dims; k++) {
            scratch[k] = (float) filledX[k];
        }
        for (int c = 0; c < row.length; c++) {
            if (features[c] == null || !Double.isNaN(row[c])) {
                continue;
            }
            int d = cellDim[c];
            double v = (1 - share) * out[d] + share * predict(c, scratch);
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
            out.writeInt(TREES);
            out.writeInt(DEPTH);
            out.writeDouble(share);
            for (int c = 0; c < cellDim.length; c++) {
                out.writeInt(cellDim[c]);
                if (cellDim[c] < 0) {
                    continue;
                }
                out.writeDouble(base[c]);
                for (int i = 0; i < TREES * DEPTH; i++) {
                    // dims < 65,536 wherever trees are fitted: rowsWithin's split search alone admits at most ~1.2e4
                    out.writeShort(features[c][i]);
                    out.writeFloat(thresholds[c][i]);
                }
                for (float v : leaves[c]) {
                    out.writeFloat(v);
                }
            }
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trees read back from {@link #toBytes}; null when they were fitted with another number of trees or levels. */
    static BoostedRefiner fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int dims = in.readInt();
            int cells = in.readInt();
            if (in.readInt() != TREES || in.readInt() != DEPTH) {
                return null;
            }
            double share = in.readDouble();
            int[] cellDim = new int[cells];
            double[] base = new double[cells];
            int[][] features = new int[cells][];
            float[][] thresholds = new float[cells][];
            float[][] leaves = new float[cells][];
            for (int c = 0; c < cells; c++) {
                cellDim[c] = in.readInt();
                if (cellDim[c] < 0) {
                    continue;
                }
                base[c] = in.readDouble();
                features[c] = new int[TREES * DEPTH];
                thresholds[c] = new float[TREES * DEPTH];
                for (int i = 0; i < TREES * DEPTH; i++) {
                    features[c][i] = in.readUnsignedShort();
                    thresholds[c][i] = in.readFloat();
                }
                leaves[c] = new float[TREES << DEPTH];
                for (int i = 0; i < leaves[c].length; i++) {
                    leaves[c][i] = in.readFloat();
                }
            }
            return new BoostedRefiner(dims, cellDim, base, features, thresholds, leaves, share);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "BoostedRefiner{share=" + share + ", cells=" + Arrays.stream(cellDim).filter(d -> d >= 0).count() + "}";
    }
}
