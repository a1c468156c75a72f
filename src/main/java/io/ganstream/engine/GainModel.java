package io.ganstream.engine;

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
    // float copies for the inference pass; the last layer transposed ([out][in])
    private final float[] fw0;
    private final float[] fb0;
    private final float[] fw1;
    private final float[] fb1;
    private final float[] fw2t;
    private final float[] fb2;
    private final int[] groupStart;
    private final int[] groupSize;

    GainModel(Encoder encoder, int[] sizes, double[][] w, double[][] b, long version) {
        this.encoder = encoder;
        this.sizes = sizes.clone();
        this.w = new double[w.length][];
        this.b = new double[b.length][];
        for (int l = 0; l < w.length; l++) {
            this.w[l] = w[l].clone();
            this.b[l] = b[l].clone();
        }
        this.version = version;
        this.versionLabel = "gain-" + version;
        if (w.length != 3) {
            throw new IllegalArgumentException("expected 3 generator layers");
        }
        fw0 = toFloat(w[0]);
        fb0 = toFloat(b[0]);
        fw1 = toFloat(w[1]);
        fb1 = toFloat(b[1]);
        int in = sizes[2];
        int out = sizes[3];
        fw2t = new float[in * out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                fw2t[o * in + i] = (float) w[2][i * out + o];
            }
        }
        fb2 = toFloat(b[2]);
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

    /** Generator layer sizes: {2 * dims, hidden, hidden, dims}. */
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
            generate(row, s, false);
            encoder.fillMissing(row, s.out);
        }
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
        final float[] h1 = new float[sizes[1]];
        final float[] h2 = new float[sizes[2]];
        final double[] z = new double[sizes[3]];
        final double[] out = new double[sizes[3]];
    }

    /**
     * Forward pass in float: layer 0 sums only the weight rows of observed inputs (missing inputs are 0),
     * the output layer computes only the dims of missing cells (transposed weights, one dot product each).
     */
    private void generate(double[] row, Scratch s, boolean allDims) {
        int dd = s.x.length;
        encoder.encode(row, s.x, s.m);
        int h = sizes[1];
        float[] y = s.h1;
        System.arraycopy(fb0, 0, y, 0, h);
        for (int i = 0; i < dd; i++) {
            if (s.m[i] == 0.0) {
                continue;
            }
            float xv = (float) s.x[i];
            if (xv != 0f) {
                axpy(xv, fw0, i * h, y, h);
            }
            add(fw0, (dd + i) * h, y, h);
        }
        relu(y);
        float[] y2 = s.h2;
        int h2 = y2.length;
        System.arraycopy(fb1, 0, y2, 0, h2);
        for (int i = 0; i < h; i++) {
            float xv = y[i];
            if (xv != 0f) {
                axpy(xv, fw1, i * h2, y2, h2);
            }
        }
        relu(y2);
        for (int j = 0; j < dd; j++) {
            if (!allDims && s.m[j] != 0.0) {
                continue;
            }
            float acc = fb2[j];
            int off = j * h2;
            for (int i = 0; i < h2; i++) {
                acc += fw2t[off + i] * y2[i];
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

    private static void axpy(float a, float[] wl, int off, float[] y, int n) {
        for (int o = 0; o < n; o++) {
            y[o] += a * wl[off + o];
        }
    }

    private static void add(float[] wl, int off, float[] y, int n) {
        for (int o = 0; o < n; o++) {
            y[o] += wl[off + o];
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
