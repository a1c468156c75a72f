package io.ganstream.engine.impute;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import java.lang.management.ManagementFactory;

/**
 * Immutable inference snapshot of a trained GAIN generator plus the encoder it was trained with. The forward
 * pass is plain Java over primitive arrays (no ND4J/DL4J call per record). Thread-safe: all state is final
 * and never mutated; each thread reuses its own scratch buffers across {@link #imputeInPlace} calls. Inference
 * runs in float (the DL4J generator is trained in float32 and its weights are copied out as double); rows
 * without a missing cell are skipped.
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
    // "Inference speed"), biases fb[l]; the output layer twice: one array per input unit (outRows: the same
    // vectorized accumulation, over every dim) and transposed ([out][in], outW) for one dot product per missing
    // dim when only a few of many dims are missing
    private final float[][][] hw;
    private final float[][] outRows;
    private final float[] outW;
    private final float[][] fb;
    /**
     * Layer 0's bias plus every input dim's mask row: where most dims are observed, a row's layer 0 starts from
     * this and subtracts the missing dims' mask rows instead of adding the observed ones'.
     */
    private final float[] allObservedBias;
    private final int[] groupStart;
    private final int[] groupSize;
    private final boolean categoricalFirst;
    /** The linear second opinion blended into numeric imputations; null for the generator alone. */
    private final LinearRefiner refiner;
    /** The trees' opinion blended in after the linear one; null for none. */
    private final BoostedRefiner boosted;
    /** Repeated rows' values blended in after the trees; null for none. */
    private final TwinRefiner twins;
    /**
     * Whether {@link Math#fma} is one instruction here (HotSpot's {@code UseFMA}, on wherever the processor has
     * it): the forward pass then fuses its multiply-adds, faster and rounded once. Without the instruction
     * {@code Math.fma(float, ...)} falls back to {@link java.math.BigDecimal}, far slower than a multiply and an
     * add, so the pass keeps them separate there (the same model then rounds its sums differently, within float
     * precision).
     */
    static final boolean FMA = hardwareFma();

    /**
     * Per-thread buffers: allocating and zeroing them per record cost about a tenth of a 256-unit pass. A
     * {@link Scratch} holds no reference back to the model, so a thread's entry does not keep a replaced model
     * (and this ThreadLocal, its key) alive.
     */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(this::newScratch);

    /**
     * @param categoricalFirst fill a row's missing categorical cells first and its missing numeric cells in a
     *                         second pass given them ({@link GainConfig#categoricalFirst()})
     */
    GainModel(Encoder encoder, int[] sizes, double[][] w, double[][] b, long version, boolean categoricalFirst) {
        this.encoder = encoder;
        this.refiner = null;
        this.boosted = null;
        this.twins = null;
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
        int dd = sizes[layers];
        allObservedBias = fb[0].clone();
        for (int i = 0; i < dd; i++) {
            float[] maskRow = hw[0][dd + i];
            for (int o = 0; o < allObservedBias.length; o++) {
                allObservedBias[o] += maskRow[o];
            }
        }
        outRows = new float[in][out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                outRows[i][o] = (float) w[layers - 1][i * out + o];
            }
        }
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
            if (TableSpec.isComplete(row)) {
                continue;
            }
            if (s == null) {
                s = scratch.get();
            }
            impute(row, s);
        }
    }

    /** {@code base}'s generator (its immutable arrays shared, not copied again) with the three refiners. */
    private GainModel(GainModel base, LinearRefiner refiner, BoostedRefiner boosted, TwinRefiner twins) {
        this.encoder = base.encoder;
        this.refiner = refiner;
        this.boosted = boosted;
        this.twins = twins;
        this.categoricalFirst = base.categoricalFirst;
        this.sizes = base.sizes;
        this.w = base.w;
        this.b = base.b;
        this.version = base.version;
        this.versionLabel = base.versionLabel;
        this.hw = base.hw;
        this.outRows = base.outRows;
        this.outW = base.outW;
        this.fb = base.fb;
        this.allObservedBias = base.allObservedBias;
        this.groupStart = base.groupStart;
        this.groupSize = base.groupSize;
    }

    /**
     * The same generator with {@code r} blended into its numeric imputations (null: the generator alone), no
     * trees and no twins.
     */
    public GainModel withRefiner(LinearRefiner r) {
        if (r != null && !r.fits(encoder.dims(), encoder.spec().cellCount())) {
            throw new IllegalArgumentException("refiner fitted for another layout");
        }
        return new GainModel(this, r, null, null);
    }

    /** This model (generator, linear refiner, twins) with {@code b}'s trees blended in after them (null: none). */
    public GainModel withBoosted(BoostedRefiner b) {
        if (b != null && !b.fits(encoder.dims(), encoder.spec().cellCount())) {
            throw new IllegalArgumentException("trees fitted for another layout");
        }
        return new GainModel(this, refiner, b, twins);
    }

    /** This model with {@code t}'s twins blended in after its other refiners (null: none). */
    public GainModel withTwins(TwinRefiner t) {
        if (t != null && !t.fits(encoder.spec().cellCount())) {
            throw new IllegalArgumentException("twins kept for another layout");
        }
        return new GainModel(this, refiner, boosted, t);
    }

    /** The version and the refiners it serves (logged when a model converges). */
    @Override
    public String toString() {
        return versionLabel + " [linear " + (refiner == null ? "none" : refiner) + ", trees "
                + (boosted == null ? "none" : boosted) + ", twins " + (twins == null ? "none" : twins) + "]";
    }

    /** The twins blended in after the trees, null when there are none. */
    public TwinRefiner twins() {
        return twins;
    }

    /** The trees blended in after the linear refiner, null when there are none. */
    public BoostedRefiner boosted() {
        return boosted;
    }

    /** The refiner blended into numeric imputations, null when there is none. */
    public LinearRefiner refiner() {
        return refiner;
    }

    private void impute(double[] row, Scratch s) {
        // with categoricalFirst, a second pass follows when a categorical and a numeric cell are missing; it
        // differs from the first only from the first missing categorical cell's dims on, so layer 0's sum up to
        // there is kept and resumed (the same additions in the same order: the same floats as recomputing it)
        // unless the filled row's layer 0 takes the other form
        int resume = categoricalFirst ? firstMissingCategoryDim(row) : -1;
        boolean secondPass = resume >= 0 && hasMissingNumeric(row);
        boolean withTwins = twins != null && twins.active();
        // the second pass fills the row's categories in place; twins agree on received values only
        double[] received = withTwins && secondPass ? row.clone() : row;
        encoder.encode(row, s.x, s.m);
        float[] y0 = s.hidden[0];
        startInputLayer(s);
        if (secondPass) {
            inputLayer(s, 0, resume);
            System.arraycopy(y0, 0, s.prefix, 0, y0.length);
            inputLayer(s, resume, s.x.length);
            upperLayers(s, OUT_CATEGORICAL);
            // one category decided, the numeric cells are generated for it rather than for a blend of them
            encoder.fillMissingCategories(row, s.out);
            encoder.encode(row, s.x, s.m);
            boolean firstForm = s.fromAllObserved;
            startInputLayer(s);
            if (s.fromAllObserved == firstForm) {
                System.arraycopy(s.prefix, 0, y0, 0, y0.length);
                inputLayer(s, resume, s.x.length);
            } else {
                inputLayer(s, 0, s.x.length);
            }
        } else {
            inputLayer(s, 0, s.x.length);
        }
        upperLayers(s, OUT_MISSING);
        boolean linear = refiner != null && refiner.share() > 0;
        boolean trees = boosted != null && boosted.share() > 0;
        // the refiners change numeric cells only: a row missing categories alone skips their encodes
        if ((linear || trees || withTwins) && (secondPass || hasMissingNumeric(row))) {
            if (linear) {
                encodeFilled(row, s);
                refiner.refine(row, s.filledX, s.out);
            }
            if (trees) {
                encodeFilled(row, s);
                boosted.refine(row, s.filledX, s.out, s.filledF);
            }
            if (withTwins) {
                twins.refine(received, s.out, encoder);
            }
        }
        encoder.fillMissing(row, s.out);
    }

    /** The encoded layout of {@code rows} (not modified) as this model fills their missing cells. */
    double[][] encodeFilled(double[][] rows) {
        int dd = encoder.dims();
        double[][] filled = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            filled[i] = rows[i].clone();
        }
        imputeInPlace(filled);
        double[][] x = new double[rows.length][dd];
        double[] mask = new double[dd];
        for (int i = 0; i < rows.length; i++) {
            encoder.encode(filled[i], x[i], mask);
        }
        return x;
    }

    /** Encodes into {@code s.filledX} the row as {@code s.out} fills it so far. */
    private void encodeFilled(double[] row, Scratch s) {
        encoder.encodeFilled(row, s.out, s.x, s.filledX);
    }

    /** Generator output (activated, encoded layout, all dims) for one row; for diagnostics and tests. */
    public double[] generate(double[] row) {
        Scratch s = newScratch();
        encoder.encode(row, s.x, s.m);
        startInputLayer(s);
        inputLayer(s, 0, s.x.length);
        upperLayers(s, OUT_ALL);
        return s.out.clone();
    }

    private boolean hasMissingNumeric(double[] row) {
        for (int c = 0; c < row.length; c++) {
            if (Double.isNaN(row[c]) && encoder.cellCategories(c) == 0) {
                return true;
            }
        }
        return false;
    }

    /** First dim of the first categorical cell that {@link Encoder#fillMissingCategories} would fill, or -1. */
    private int firstMissingCategoryDim(double[] row) {
        for (int c = 0; c < row.length; c++) {
            if (Double.isNaN(row[c]) && encoder.cellCategories(c) > 0) {
                return encoder.cellDim(c);
            }
        }
        return -1;
    }

    private Scratch newScratch() {
        return new Scratch(sizes);
    }

    /** One thread's buffers for the forward pass; static, so it does not reference the model. */
    private static final class Scratch {
        final double[] x;
        final double[] m;
        /** Hidden layers' pre-activations (relu is applied as they are read). */
        final float[][] hidden;
        /** Whether layer 0 starts from {@link #allObservedBias} for this row (see {@link #startInputLayer}). */
        boolean fromAllObserved;
        /** Layer 0's sum before the first missing categorical dim, for the second pass. */
        final float[] prefix;
        /**
         * The terms of one layer's sum, in the order they are added: coefficient and index of its weight row
         * (an index, not the row: storing a reference costs a GC write barrier per unit).
         */
        final float[] coef;
        final int[] rows;
        /** The output layer's sum. */
        final float[] zf;
        final double[] z;
        final double[] out;
        final double[] filledX;
        /** {@code filledX} in float, for the trees. */
        final float[] filledF;

        Scratch(int[] sizes) {
            int dd = sizes[sizes.length - 1];
            x = new double[dd];
            m = new double[dd];
            hidden = new float[sizes.length - 2][];
            prefix = new float[sizes[1]];
            zf = new float[dd];
            z = new double[dd];
            out = new double[dd];
            filledX = new double[dd];
            filledF = new float[dd];
            int terms = sizes[0];
            for (int l = 0; l < hidden.length; l++) {
                hidden[l] = new float[sizes[l + 1]];
                terms = Math.max(terms, sizes[l + 1]);
            }
            coef = new float[terms];
            rows = new int[terms];
        }
    }

    /** Which output dims {@link #upperLayers} activates. */
    private static final int OUT_ALL = 0;
    private static final int OUT_MISSING = 1;
    private static final int OUT_CATEGORICAL = 2;

    /**
     * Starts layer 0's sum in {@code s.hidden[0]} for the row encoded in {@code s.m}, in the form with fewer terms:
     * from the bias, adding each observed dim's mask row, or, when at most half the dims are missing, from
     * {@link #allObservedBias}, subtracting each missing dim's: a row is filled with the same floats whichever
     * way its cells came to be observed (its categories given, or decided by a first pass).
     */
    private void startInputLayer(Scratch s) {
        int missing = 0;
        for (double mv : s.m) {
            missing += mv == 0.0 ? 1 : 0;
        }
        s.fromAllObserved = 2 * missing <= s.m.length;
        float[] start = s.fromAllObserved ? allObservedBias : fb[0];
        System.arraycopy(start, 0, s.hidden[0], 0, start.length);
    }

    /**
     * Adds to layer 0's sum in {@code s.hidden[0]} the terms of input dims {@code from} to {@code to}: each
     * observed input's value row (a missing one is 0, with mask 0; a zero value adds nothing), and its mask row
     * as {@link #startInputLayer} chose: the observed dims' added, or the missing dims' subtracted.
     */
    private void inputLayer(Scratch s, int from, int to) {
        int dd = s.x.length;
        float[] coef = s.coef;
        int[] rows = s.rows;
        boolean fromAll = s.fromAllObserved;
        int n = 0;
        for (int i = from; i < to; i++) {
            if (s.m[i] == 0.0) {
                if (fromAll) {
                    // -1 * w is -w exactly: the same float as subtracting the row
                    coef[n] = -1f;
                    rows[n++] = dd + i;
                }
                continue;
            }
            float xv = (float) s.x[i];
            if (xv != 0f) {
                coef[n] = xv;
                rows[n++] = i;
            }
            if (!fromAll) {
                // 1 * w is w exactly: the same float as adding the row
                coef[n] = 1f;
                rows[n++] = dd + i;
            }
        }
        accumulate(s.hidden[0], coef, hw[0], rows, n);
    }

    /**
     * Finishes the forward pass in float from layer 0's sum: relu, the other hidden layers (only nonzero
     * activations contribute), then the output dims {@code which} asks for, activated into {@code s.out}.
     */
    private void upperLayers(Scratch s, int which) {
        float[] y = s.hidden[0];
        for (int l = 1; l < s.hidden.length; l++) {
            int n = active(y, s);
            y = s.hidden[l];
            System.arraycopy(fb[l], 0, y, 0, y.length);
            accumulate(y, s.coef, hw[l], s.rows, n);
        }
        int dd = s.z.length;
        int wanted = 0;
        for (int j = 0; j < dd; j++) {
            if (wanted(s, which, j)) {
                wanted++;
            }
        }
        if (wanted * 64 < dd) {
            // a few of many dims: one dot product each (a scalar chain, but over wanted dims only)
            relu(y);
            int last = y.length;
            float[] fb2 = fb[fb.length - 1];
            for (int j = 0; j < dd; j++) {
                if (!wanted(s, which, j)) {
                    continue;
                }
                float acc = fb2[j];
                int off = j * last;
                for (int i = 0; i < last; i++) {
                    acc = multiplyAdd(outW[off + i], y[i], acc);
                }
                s.z[j] = acc;
            }
        } else {
            // every dim at once, vectorized; each dim's sum has the dot product's terms in the same order (its
            // zero terms left out, as in the hidden layers)
            float[] zf = s.zf;
            System.arraycopy(fb[fb.length - 1], 0, zf, 0, dd);
            accumulate(zf, s.coef, outRows, s.rows, active(y, s));
            for (int j = 0; j < dd; j++) {
                s.z[j] = zf[j];
            }
        }
        // activation only where needed (missing numeric dims, missing categorical groups)
        if (which != OUT_CATEGORICAL) {
            for (int j = 0; j < dd; j++) {
                if (wanted(s, which, j) && !encoder.isCategoricalDim(j)) {
                    s.out[j] = GainNet.sigmoid(s.z[j]);
                }
            }
        }
        for (int q = 0; q < groupStart.length; q++) {
            if (which == OUT_ALL || s.m[groupStart[q]] == 0.0) {
                GainNet.softmax(s.z, s.out, groupStart[q], groupSize[q]);
            }
        }
    }

    private boolean wanted(Scratch s, int which, int j) {
        return which == OUT_ALL || s.m[j] == 0.0 && (which == OUT_MISSING || encoder.isCategoricalDim(j));
    }

    /**
     * Lists the nonzero relu activations of the pre-activations {@code y} (positive or NaN: what relu leaves
     * nonzero) with their units, in order; their count. Writes every entry and advances only past kept ones, so
     * there is no branch to mispredict on the units relu zeroes.
     */
    private static int active(float[] y, Scratch s) {
        float[] coef = s.coef;
        int[] rows = s.rows;
        int n = 0;
        for (int i = 0; i < y.length; i++) {
            float v = y[i];
            coef[n] = v;
            rows[n] = i;
            n += v <= 0f ? 0 : 1;
        }
        return n;
    }

    /**
     * {@code y += coef[k] * w[rows[k]]} for k in order, each term a fused multiply-add where the processor has
     * one ({@link #FMA}). Four rows per sweep over {@code y}, each element's four terms in the same order as four
     * separate sweeps (the same floats), with a quarter of the loads and stores of {@code y}; the JIT vectorizes
     * the sweep (eight rows per sweep it does not unroll, so does not vectorize, under its default unroll limit).
     */
    private static void accumulate(float[] y, float[] coef, float[][] w, int[] rows, int n) {
        accumulate(y, coef, w, rows, n, FMA);
    }

    /**
     * {@link #accumulate} with fused multiply-adds or with a multiply then an add per term; {@code fused} is a
     * constant where the pass calls it, so each form compiles to its own loop.
     */
    static void accumulate(float[] y, float[] coef, float[][] w, int[] rows, int n, boolean fused) {
        int k = 0;
        for (; k + 4 <= n; k += 4) {
            float a0 = coef[k];
            float a1 = coef[k + 1];
            float a2 = coef[k + 2];
            float a3 = coef[k + 3];
            float[] w0 = w[rows[k]];
            float[] w1 = w[rows[k + 1]];
            float[] w2 = w[rows[k + 2]];
            float[] w3 = w[rows[k + 3]];
            for (int o = 0; o < y.length; o++) {
                float t = y[o];
                t = multiplyAdd(a0, w0[o], t, fused);
                t = multiplyAdd(a1, w1[o], t, fused);
                t = multiplyAdd(a2, w2[o], t, fused);
                t = multiplyAdd(a3, w3[o], t, fused);
                y[o] = t;
            }
        }
        for (; k < n; k++) {
            float a = coef[k];
            float[] wk = w[rows[k]];
            for (int o = 0; o < y.length; o++) {
                y[o] = multiplyAdd(a, wk[o], y[o], fused);
            }
        }
    }

    /** {@code t + a * b}, fused where {@link #FMA}: the one rounding every sum of the forward pass uses. */
    static float multiplyAdd(float a, float b, float t) {
        return multiplyAdd(a, b, t, FMA);
    }

    private static float multiplyAdd(float a, float b, float t, boolean fused) {
        return fused ? Math.fma(a, b, t) : t + a * b;
    }

    private static void relu(float[] y) {
        for (int o = 0; o < y.length; o++) {
            if (y[o] < 0f) {
                y[o] = 0f;
            }
        }
    }

    private static boolean hardwareFma() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm != null && Boolean.parseBoolean(vm.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot, or without jdk.management: the separate multiply-add is right everywhere
            return false;
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
