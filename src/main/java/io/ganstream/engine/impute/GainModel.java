package io.ganstream.engine.impute;

import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;

/**
 * Immutable inference snapshot of a trained GAIN generator plus the encoder it was trained with. The forward
 * pass is plain Java over primitive arrays (no ND4J/DL4J call per record). Thread-safe: all state is final
 * and never mutated; scratch buffers are allocated per {@link #imputeInPlace} call. Inference runs in float
 * (the DL4J generator is trained in float32 and its weights are copied out as double); rows without a missing
 * cell are skipped.
 */
public final class GainModel implements Imputer {
    private final Encoder encoder;
    private final int[] sizes;
    private final double[][] w;
    private final double[][] b;
    private final long version;
    private final String versionLabel;
    // float copies for the inference pass: the hidden layers' weights one array per input unit (hw[l][in][out]:
    // the JIT vectorizes a loop over one whole array, not one over an offset into a flat matrix; docs/benchmarks.md,
    // "Inference speed"), biases fb[l], and the output layer's weights transposed ([out][in]) for one dot product
    // per missing dim
    private final float[][][] hw;
    private final float[] outW;
    private final float[][] fb;
    private final int[] groupStart;
    private final int[] groupSize;
    private final boolean categoricalFirst;
    /** The linear second opinion blended into numeric imputations; null for the generator alone. */
    private final LinearRefiner refiner;

    /**
     * @param categoricalFirst fill a row's missing categorical cells first and its missing numeric cells in a
     *                         second pass given them ({@link GainConfig#categoricalFirst()})
     */
    GainModel(Encoder encoder, int[] sizes, double[][] w, double[][] b, long version, boolean categoricalFirst) {
        this.encoder = encoder;
        this.refiner = null;
        this.categoricalFirst = categoricalFirst;
        this.sizes = sizes.clone();
        this.w = new double[w.length][];
        this.b = new double[b.length][];
        for (int l = 0; l < w.length; l++) {
            this.w[l] = w[l].clone();
            this.b[l] = b[l].clone();
        }
        this.version = version;
        this.versionLabel = "gain-" + version;
        int layers = w.length;
        if (layers < 2 || sizes.length != layers + 1) {
            throw new IllegalArgumentException("expected at least 2 generator layers and " + (layers + 1) + " sizes");
        }
        hw = new float[layers - 1][][];
        fb = new float[layers][];
        for (int l = 0; l < layers - 1; l++) {
            int n = sizes[l + 1];
            hw[l] = new float[sizes[l]][n];
            for (int i = 0; i < sizes[l]; i++) {
                for (int o = 0; o < n; o++) {
                    hw[l][i][o] = (float) w[l][i * n + o];
                }
            }
            fb[l] = toFloat(b[l]);
        }
        int in = sizes[layers - 1];
        int out = sizes[layers];
        float[] last = new float[in * out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                last[o * in + i] = (float) w[layers - 1][i * out + o];
            }
        }
        outW = last;
        fb[layers - 1] = toFloat(b[layers - 1]);
        groupStart = encoder.groupStarts();
        groupSize = encoder.groupSizes();
    }

    public Encoder encoder() {
        return encoder;
    }

    public TableSpec spec() {
        return encoder.spec();
    }

    public long versionNumber() {
        return version;
    }

    @Override
    public String version() {
        return versionLabel;
    }

    /** Generator layer sizes: {2 * dims, hidden..., dims}. */
    public int[] layerSizes() {
        return sizes.clone();
    }

    /** Generator parameters, flat (layer by layer: W row-major [in][out], then b). */
    public double[] generatorParams() {
        int n = 0;
        for (int l = 0; l < w.length; l++) {
            n += w[l].length + b[l].length;
        }
        double[] out = new double[n];
        int p = 0;
        for (int l = 0; l < w.length; l++) {
            System.arraycopy(w[l], 0, out, p, w[l].length);
            p += w[l].length;
            System.arraycopy(b[l], 0, out, p, b[l].length);
            p += b[l].length;
        }
        return out;
    }

    @Override
    public void imputeInPlace(double[][] rows) {
        Scratch s = null;
        for (double[] row : rows) {
            if (!hasMissing(row)) {
                continue;
            }
            if (s == null) {
                s = new Scratch();
            }
            impute(row, s, refiner != null && refiner.share() > 0);
        }
    }

    /** {@code base}'s generator (its immutable arrays shared, not copied again) with {@code refiner}. */
    private GainModel(GainModel base, LinearRefiner refiner) {
        this.encoder = base.encoder;
        this.refiner = refiner;
        this.categoricalFirst = base.categoricalFirst;
        this.sizes = base.sizes;
        this.w = base.w;
        this.b = base.b;
        this.version = base.version;
        this.versionLabel = base.versionLabel;
        this.hw = base.hw;
        this.outW = base.outW;
        this.fb = base.fb;
        this.groupStart = base.groupStart;
        this.groupSize = base.groupSize;
    }

    /** The same generator with {@code r} blended into its numeric imputations (null: the generator alone). */
    public GainModel withRefiner(LinearRefiner r) {
        if (r != null && !r.fits(encoder.dims(), encoder.spec().cellCount())) {
            throw new IllegalArgumentException("refiner fitted for another layout");
        }
        return new GainModel(this, r);
    }

    /** The refiner blended into numeric imputations, null when there is none. */
    public LinearRefiner refiner() {
        return refiner;
    }

    private void impute(double[] row, Scratch s, boolean refine) {
        generate(row, s, false);
        if (categoricalFirst && encoder.fillMissingCategories(row, s.out) && hasMissing(row)) {
            // one category decided, the numeric cells are generated for it rather than for a blend of them
            generate(row, s, false);
        }
        if (refine) {
            System.arraycopy(row, 0, s.filled, 0, row.length);
            encoder.fillMissing(s.filled, s.out);
            encoder.encode(s.filled, s.filledX, s.filledM);
            refiner.refine(row, s.filledX, s.out);
        }
        encoder.fillMissing(row, s.out);
    }

    /** Generator output (activated, encoded layout, all dims) for one row; for diagnostics and tests. */
    public double[] generate(double[] row) {
        Scratch s = new Scratch();
        generate(row, s, true);
        return s.out.clone();
    }

    private static boolean hasMissing(double[] row) {
        for (double v : row) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    private final class Scratch {
        final double[] x = new double[sizes[0] / 2];
        final double[] m = new double[sizes[0] / 2];
        final float[][] hidden = new float[sizes.length - 2][];
        final double[] z = new double[sizes[sizes.length - 1]];
        final double[] out = new double[sizes[sizes.length - 1]];
        final double[] filled = new double[encoder.spec().cellCount()];
        final double[] filledX = new double[sizes[sizes.length - 1]];
        final double[] filledM = new double[sizes[sizes.length - 1]];

        Scratch() {
            for (int l = 0; l < hidden.length; l++) {
                hidden[l] = new float[sizes[l + 1]];
            }
        }
    }

    /**
     * Forward pass in float: layer 0 sums only the weight rows of observed inputs (missing inputs are 0),
     * the output layer computes only the dims of missing cells (transposed weights, one dot product each).
     */
    private void generate(double[] row, Scratch s, boolean allDims) {
        int dd = s.x.length;
        encoder.encode(row, s.x, s.m);
        int h = sizes[1];
        float[] y = s.hidden[0];
        float[][] w0 = hw[0];
        System.arraycopy(fb[0], 0, y, 0, h);
        for (int i = 0; i < dd; i++) {
            if (s.m[i] == 0.0) {
                continue;
            }
            float xv = (float) s.x[i];
            if (xv != 0f) {
                axpy(xv, w0[i], y);
            }
            add(w0[dd + i], y);
        }
        relu(y);
        for (int l = 1; l < s.hidden.length; l++) {
            float[] prev = y;
            y = s.hidden[l];
            int n = y.length;
            float[][] wl = hw[l];
            System.arraycopy(fb[l], 0, y, 0, n);
            for (int i = 0; i < prev.length; i++) {
                float xv = prev[i];
                if (xv != 0f) {
                    axpy(xv, wl[i], y);
                }
            }
            relu(y);
        }
        int last = y.length;
        float[] fw2t = outW;
        float[] fb2 = fb[fb.length - 1];
        for (int j = 0; j < dd; j++) {
            if (!allDims && s.m[j] != 0.0) {
                continue;
            }
            float acc = fb2[j];
            int off = j * last;
            for (int i = 0; i < last; i++) {
                acc += fw2t[off + i] * y[i];
            }
            s.z[j] = acc;
        }
        // activation only where needed (missing numeric dims, missing categorical groups)
        for (int j = 0; j < dd; j++) {
            if ((allDims || s.m[j] == 0.0) && !encoder.isCategoricalDim(j)) {
                s.out[j] = GainNet.sigmoid(s.z[j]);
            }
        }
        for (int q = 0; q < groupStart.length; q++) {
            if (allDims || s.m[groupStart[q]] == 0.0) {
                GainNet.softmax(s.z, s.out, groupStart[q], groupSize[q]);
            }
        }
    }

    private static void axpy(float a, float[] w, float[] y) {
        for (int o = 0; o < y.length; o++) {
            y[o] += a * w[o];
        }
    }

    private static void add(float[] w, float[] y) {
        for (int o = 0; o < y.length; o++) {
            y[o] += w[o];
        }
    }

    private static void relu(float[] y) {
        for (int o = 0; o < y.length; o++) {
            if (y[o] < 0f) {
                y[o] = 0f;
            }
        }
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
