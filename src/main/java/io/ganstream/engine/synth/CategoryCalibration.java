package io.ganstream.engine.synth;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Per category of each categorical column, an offset added to the generator's logit before a category is drawn,
 * chosen so that the categories drawn from the generator's softmax come out at the observed frequencies (iterative
 * proportional fitting of the softmax averaged over generated rows). Within a row the generator still decides
 * which categories go together and with which numbers; the offsets only correct how often each one appears.
 * <p>Why: a GAN's categorical marginals drift by several points of total variation on columns it conditions on
 * only a share of the time (each row's conditional vector names one categorical column), and the marginal
 * calibration of numeric columns does not touch them.
 * <p><b>Per class of a key column</b> (the named target): the pooled offsets put each column's categories at their
 * observed frequencies over all rows, and the generator still mixes them up between the key's classes (diamonds:
 * color and clarity within each cut 0.06-0.24 of total variation from the training rows', 0.01 pooled). Each class
 * of the key with enough rows gets offsets of its own for every other categorical column, added after the pooled
 * ones once the row's key category is drawn, fitted the same way to that class's observed frequencies. Immutable.
 */
public final class CategoryCalibration {
    /** Proportional-fitting rounds: the frequencies settle within a few; more cost only time. */
    private static final int ROUNDS = 50;
    /** Offsets stay within ±this (a category the generator never gives stays rare rather than exploding). */
    private static final double MAX_OFFSET = 5;

    /** A key class gets offsets of its own with at least this many observed and expected generated rows. */
    static final int MIN_CLASS_ROWS = 30;
    /** A category that drove rows gets key offsets of its own with at least this many of them generated. */
    private static final int MIN_DRIVEN_ROWS = 10;

    /** Offset per generator output dim (0 on every dim that is not a category). */
    private final float[] offsets;
    /** The column whose category picks a row's class offsets; -1: none. */
    private final int keyColumn;
    /** Per category of {@link #keyColumn}, offsets added after {@link #offsets}; null: that class has none. */
    private final float[][] classOffsets;
    /**
     * Per column and category that drove a row (null for the key and numeric columns, and for a category with too
     * few rows), offsets added to the key's dims (as a float per key category) before the key is drawn.
     */
    private final float[][][] keyOffsets;

    private CategoryCalibration(float[] offsets, int keyColumn, float[][] classOffsets, float[][][] keyOffsets) {
        this.offsets = offsets;
        this.keyColumn = keyColumn;
        this.classOffsets = classOffsets;
        this.keyOffsets = keyOffsets;
    }

    /**
     * Fits the offsets on raw generator outputs of unconditioned rows; null when the table has no categorical
     * column the generator draws.
     *
     * @param outputs raw outputs ({@link SynthModel#rawOutputs}), one per row
     * @param driving per row, the column whose category drove it (its category is not drawn from the softmax) and
     *                that category ({@code [2][rows]})
     * @param key     the column whose classes get offsets of their own (-1: none)
     * @param real    observed rows (cells), the first {@code realCount} of them read: each key class's frequencies
     */
    static CategoryCalibration fit(SynthLayout layout, float[][] outputs, int[][] driving, int key, double[][] real,
                                   int realCount) {
        int[] driven = driving[0];
        int dims = outputs.length == 0 ? 0 : outputs[0].length;
        double[] offsets = new double[dims];
        boolean any = false;
        for (int c : layout.catCols) {
            int s = layout.outStart[c];
            int wd = layout.outWidth[c];
            int drawn = 0;
            for (int d : driven) {
                if (d != c) {
                    drawn++;
                }
            }
            if (wd < 2 || drawn < 50) {
                continue;
            }
            any = true;
            double[] mean = new double[wd];
            double[] p = new double[wd];
            for (int round = 0; round < ROUNDS; round++) {
                java.util.Arrays.fill(mean, 0);
                for (int r = 0; r < outputs.length; r++) {
                    if (driven[r] == c) {
                        continue;
                    }
                    softmax(outputs[r], s, wd, layout.dimActive, offsets, p);
                    for (int k = 0; k < wd; k++) {
                        mean[k] += p[k] / drawn;
                    }
                }
                for (int k = 0; k < wd; k++) {
                    if (layout.dimActive[s + k] && layout.freq[c][k] > 0 && mean[k] > 0) {
                        offsets[s + k] = Math.max(-MAX_OFFSET, Math.min(MAX_OFFSET,
                                offsets[s + k] + Math.log(layout.freq[c][k] / mean[k])));
                    }
                }
            }
        }
        if (!any) {
            return null;
        }
        float[] f = new float[dims];
        for (int d = 0; d < dims; d++) {
            f[d] = (float) offsets[d];
        }
        if (key < 0 || !layout.categorical[key] || layout.outWidth[key] < 2 || layout.catCols.length < 2) {
            return new CategoryCalibration(f, -1, null, null);
        }
        float[][][] keyOffsets = fitKeys(layout, outputs, driving, key, offsets, real, realCount);
        float[][] classes = fitClasses(layout, outputs, driving, key, offsets, keyOffsets, real, realCount);
        return classes == null ? new CategoryCalibration(f, -1, null, null)
                : new CategoryCalibration(f, key, classes, keyOffsets);
    }

    /**
     * Offsets of the key's dims per category of every other column that drives rows: a row driven by one takes that
     * category, and its key, drawn from the generator's softmax, should come out at the key's observed shares among
     * the rows of that category (the generator learned them only roughly, and class offsets cannot reach a cell the
     * condition fixed). Proportional fitting over the rows it drove, as for the pooled offsets.
     */
    private static float[][][] fitKeys(SynthLayout layout, float[][] outputs, int[][] driving, int key,
                                       double[] offsets, double[][] real, int realCount) {
        int ks = layout.outStart[key];
        int kw = layout.outWidth[key];
        float[][][] keyOffsets = new float[layout.columns][][];
        double[] p = new double[kw];
        for (int c : layout.catCols) {
            int wd = layout.outWidth[c];
            if (c == key) {
                continue;
            }
            keyOffsets[c] = new float[wd][];
            double[][] joint = jointCounts(layout, real, realCount, key, c);
            double[] rows = new double[wd];
            for (int k = 0; k < kw; k++) {
                for (int j = 0; j < wd; j++) {
                    rows[j] += joint[k][j];
                }
            }
            int[][] drivenRows = rowsDrivenBy(driving, c, wd);
            for (int j = 0; j < wd; j++) {
                int driven = drivenRows[j].length;
                if (rows[j] < MIN_CLASS_ROWS || driven < MIN_DRIVEN_ROWS) {
                    continue;
                }
                double[] o = offsets.clone();
                double[] mean = new double[kw];
                for (int round = 0; round < ROUNDS; round++) {
                    java.util.Arrays.fill(mean, 0);
                    for (int i = 0; i < driven; i++) {
                        softmax(outputs[drivenRows[j][i]], ks, kw, layout.dimActive, o, p);
                        for (int k = 0; k < kw; k++) {
                            mean[k] += p[k] / driven;
                        }
                    }
                    for (int k = 0; k < kw; k++) {
                        double target = (joint[k][j] + kw * layout.freq[key][k]) / (rows[j] + kw);
                        if (layout.dimActive[ks + k] && target > 0 && mean[k] > 0) {
                            o[ks + k] = offsets[ks + k] + Math.max(-MAX_OFFSET, Math.min(MAX_OFFSET,
                                    o[ks + k] - offsets[ks + k] + Math.log(target / mean[k])));
                        }
                    }
                }
                keyOffsets[c][j] = new float[kw];
                for (int k = 0; k < kw; k++) {
                    keyOffsets[c][j][k] = (float) (o[ks + k] - offsets[ks + k]);
                }
            }
        }
        return keyOffsets;
    }

    /** The generated rows each category of column {@code c} drove, by category. */
    private static int[][] rowsDrivenBy(int[][] driving, int c, int categories) {
        int[] count = new int[categories];
        for (int r = 0; r < driving[0].length; r++) {
            if (driving[0][r] == c) {
                count[driving[1][r]]++;
            }
        }
        int[][] rows = new int[categories][];
        for (int j = 0; j < categories; j++) {
            rows[j] = new int[count[j]];
            count[j] = 0;
        }
        for (int r = 0; r < driving[0].length; r++) {
            if (driving[0][r] == c) {
                rows[driving[1][r]][count[driving[1][r]]++] = r;
            }
        }
        return rows;
    }

    /**
     * Offsets per class of {@code key} for every other categorical column: proportional fitting, per class, of the
     * generated rows' category shares (each row weighted by its chance of drawing that class; a row driven by a
     * column keeps its category there) to the observed shares in that class, smoothed toward the column's pooled
     * frequencies by one row per category (a category a class never showed stays possible, as rare as the pooled
     * share makes it). Null when no class has {@link #MIN_CLASS_ROWS} observed and expected generated rows.
     */
    private static float[][] fitClasses(SynthLayout layout, float[][] outputs, int[][] driving, int key,
                                        double[] offsets, float[][][] keyOffsets, double[][] real, int realCount) {
        int n = outputs.length;
        int kw = layout.outWidth[key];
        double[][] chance = new double[n][kw];
        double[] p = new double[kw];
        double[] expected = new double[kw];
        for (int r = 0; r < n; r++) {
            if (driving[0][r] == key) {
                chance[r][driving[1][r]] = 1;
            } else {
                float[] o = outputs[r].clone();
                if (driving[0][r] >= 0) {
                    shiftKey(o, layout.outStart[key], keyOffsets, driving[0][r], driving[1][r]);
                }
                softmax(o, layout.outStart[key], kw, layout.dimActive, offsets, p);
                System.arraycopy(p, 0, chance[r], 0, kw);
            }
            for (int k = 0; k < kw; k++) {
                expected[k] += chance[r][k];
            }
        }
        int[] observed = CalibrationSample.counts(real, realCount, layout.spec.offset(key), kw);
        boolean[] fitted = new boolean[kw];
        boolean anyClass = false;
        for (int k = 0; k < kw; k++) {
            fitted[k] = observed[k] >= MIN_CLASS_ROWS && expected[k] >= MIN_CLASS_ROWS;
            anyClass |= fitted[k];
        }
        if (!anyClass) {
            return null;
        }
        int dims = outputs[0].length;
        double[][] classOffsets = new double[kw][dims];
        boolean anyColumn = false;
        for (int c : layout.catCols) {
            int wd = layout.outWidth[c];
            if (c == key || wd < 2) {
                continue;
            }
            anyColumn = true;
            fitColumn(layout, outputs, driving, key, c, offsets, chance, fitted, real, realCount, classOffsets);
        }
        if (!anyColumn) {
            return null;
        }
        float[][] f = new float[kw][];
        for (int k = 0; k < kw; k++) {
            if (fitted[k]) {
                f[k] = new float[dims];
                for (int d = 0; d < dims; d++) {
                    f[k][d] = (float) classOffsets[k][d];
                }
            }
        }
        return f;
    }

    /** Observed rows by category of {@code key} (first index) and of {@code c}, rows missing either left out. */
    private static double[][] jointCounts(SynthLayout layout, double[][] real, int realCount, int key, int c) {
        int kw = layout.outWidth[key];
        int wd = layout.outWidth[c];
        int keyCell = layout.spec.offset(key);
        int cell = layout.spec.offset(c);
        double[][] counts = new double[kw][wd];
        for (int i = 0; i < realCount; i++) {
            double k = real[i][keyCell];
            double v = real[i][cell];
            if (!Double.isNaN(k) && !Double.isNaN(v) && k >= 0 && k < kw && v >= 0 && v < wd) {
                counts[(int) k][(int) v]++;
            }
        }
        return counts;
    }

    /** {@link #fitClasses} for one column {@code c}: writes its dims of {@code classOffsets}. */
    private static void fitColumn(SynthLayout layout, float[][] outputs, int[][] driving, int key, int c,
                                  double[] offsets, double[][] chance, boolean[] fitted, double[][] real,
                                  int realCount, double[][] classOffsets) {
        int n = outputs.length;
        int s = layout.outStart[c];
        int wd = layout.outWidth[c];
        int kw = chance[0].length;
        // each row's softmax terms with the pooled offsets, once: a class's offsets only scale them
        double[][] terms = new double[n][];
        double[] p = new double[wd];
        for (int r = 0; r < n; r++) {
            if (driving[0][r] != c) {
                softmax(outputs[r], s, wd, layout.dimActive, offsets, p);
                terms[r] = p.clone();
            }
        }
        double[][] counts = jointCounts(layout, real, realCount, key, c);
        double[] rows = new double[kw];
        for (int k = 0; k < kw; k++) {
            for (int j = 0; j < wd; j++) {
                rows[k] += counts[k][j];
            }
        }
        double[] scale = new double[wd];
        double[] share = new double[wd];
        for (int k = 0; k < kw; k++) {
            if (!fitted[k] || rows[k] == 0) {
                continue;
            }
            java.util.Arrays.fill(scale, 1);
            for (int round = 0; round < ROUNDS; round++) {
                java.util.Arrays.fill(share, 0);
                double weight = 0;
                for (int r = 0; r < n; r++) {
                    double w = chance[r][k];
                    if (w == 0) {
                        continue;
                    }
                    weight += w;
                    if (terms[r] == null) {
                        share[driving[1][r]] += w;
                        continue;
                    }
                    double tot = 0;
                    for (int j = 0; j < wd; j++) {
                        tot += terms[r][j] * scale[j];
                    }
                    for (int j = 0; j < wd; j++) {
                        share[j] += w * terms[r][j] * scale[j] / tot;
                    }
                }
                for (int j = 0; j < wd; j++) {
                    double target = (counts[k][j] + wd * layout.freq[c][j]) / (rows[k] + wd);
                    double gen = share[j] / weight;
                    if (layout.dimActive[s + j] && target > 0 && gen > 0) {
                        scale[j] = Math.exp(Math.max(-MAX_OFFSET, Math.min(MAX_OFFSET,
                                Math.log(scale[j] * target / gen))));
                    }
                }
            }
            for (int j = 0; j < wd; j++) {
                classOffsets[k][s + j] = Math.log(scale[j]);
            }
        }
    }

    private static void softmax(float[] o, int s, int wd, boolean[] active, double[] offsets, double[] p) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < wd; k++) {
            if (active[s + k]) {
                mx = Math.max(mx, o[s + k] + offsets[s + k]);
            }
        }
        double tot = 0;
        for (int k = 0; k < wd; k++) {
            p[k] = active[s + k] ? Math.exp(o[s + k] + offsets[s + k] - mx) : 0;
            tot += p[k];
        }
        for (int k = 0; k < wd; k++) {
            p[k] /= tot;
        }
    }

    /** Adds the offsets to one row's raw generator outputs. */
    void shift(float[] outputs) {
        for (int d = 0; d < offsets.length; d++) {
            outputs[d] += offsets[d];
        }
    }

    /** The column whose category picks a row's class offsets ({@link #shiftForClass}); -1: none. */
    int keyColumn() {
        return keyColumn;
    }

    /**
     * After {@link #shift}, before the key is drawn from a row driven by {@code category} of {@code column}: adds
     * that category's offsets of the key (if it has any).
     */
    void shiftKey(float[] outputs, int keyStart, int column, int category) {
        shiftKey(outputs, keyStart, keyOffsets, column, category);
    }

    private static void shiftKey(float[] outputs, int keyStart, float[][][] keyOffsets, int column, int category) {
        float[] o = keyOffsets == null || column < 0 || keyOffsets[column] == null || category < 0
                || category >= keyOffsets[column].length ? null : keyOffsets[column][category];
        if (o != null) {
            for (int k = 0; k < o.length; k++) {
                outputs[keyStart + k] += o[k];
            }
        }
    }

    /** After {@link #shift}: adds the offsets of class {@code keyCategory} of {@link #keyColumn()} (if it has any). */
    void shiftForClass(float[] outputs, int keyCategory) {
        float[] o = classOffsets == null || keyCategory < 0 || keyCategory >= classOffsets.length
                ? null : classOffsets[keyCategory];
        if (o != null) {
            for (int d = 0; d < o.length; d++) {
                outputs[d] += o[d];
            }
        }
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(offsets.length);
        for (float v : offsets) {
            out.writeFloat(v);
        }
    }

    /** The same pooled offsets without the class offsets. */
    CategoryCalibration pooled() {
        return new CategoryCalibration(offsets, -1, null, null);
    }

    /** Whether it has class offsets ({@link #writeClasses}, a checkpoint section of its own). */
    boolean hasClasses() {
        return classOffsets != null;
    }

    void writeClasses(DataOutputStream out) throws IOException {
        out.writeInt(keyColumn);
        out.writeInt(classOffsets.length);
        for (float[] o : classOffsets) {
            out.writeBoolean(o != null);
            if (o != null) {
                for (float v : o) {
                    out.writeFloat(v);
                }
            }
        }
        for (float[][] column : keyOffsets) {
            out.writeInt(column == null ? -1 : column.length);
            if (column != null) {
                for (float[] o : column) {
                    out.writeBoolean(o != null);
                    if (o != null) {
                        for (float v : o) {
                            out.writeFloat(v);
                        }
                    }
                }
            }
        }
    }

    /** This calibration with the class offsets {@link #writeClasses} wrote. */
    CategoryCalibration withClasses(DataInputStream in, SynthLayout layout) throws IOException {
        int key = in.readInt();
        int classes = in.readInt();
        if (key < 0 || key >= layout.columns || !layout.categorical[key] || classes != layout.outWidth[key]) {
            throw new IOException("class offsets keyed on column " + key + " with " + classes + " classes");
        }
        float[][] o = new float[classes][];
        for (int k = 0; k < classes; k++) {
            if (in.readBoolean()) {
                o[k] = new float[offsets.length];
                for (int d = 0; d < offsets.length; d++) {
                    o[k][d] = in.readFloat();
                }
            }
        }
        float[][][] keys = new float[layout.columns][][];
        for (int c = 0; c < layout.columns; c++) {
            int width = in.readInt();
            if (width < 0) {
                continue;
            }
            if (!layout.categorical[c] || c == key || width != layout.outWidth[c]) {
                throw new IOException("key offsets for column " + c + " of " + width + " categories");
            }
            keys[c] = new float[width][];
            for (int j = 0; j < width; j++) {
                if (in.readBoolean()) {
                    keys[c][j] = new float[classes];
                    for (int k = 0; k < classes; k++) {
                        keys[c][j][k] = in.readFloat();
                    }
                }
            }
        }
        return new CategoryCalibration(offsets, key, o, keys);
    }

    static CategoryCalibration read(DataInputStream in, int dims) throws IOException {
        int n = in.readInt();
        if (n != dims) {
            throw new IOException("category calibration over " + n + " outputs, the generator has " + dims);
        }
        float[] offsets = new float[n];
        for (int d = 0; d < n; d++) {
            offsets[d] = in.readFloat();
        }
        return new CategoryCalibration(offsets, -1, null, null);
    }
}
