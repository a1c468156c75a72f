package io.ganstream.engine.impute;

import io.ganstream.engine.nn.DenseStack;
import io.ganstream.engine.nn.Dl4j;
import io.ganstream.engine.nn.FlatAdam;
import io.ganstream.engine.nn.GanPair;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.train.StateBytes;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainable GAIN pair: generator G([x~, m]) and discriminator D([x^, h]), both Deeplearning4j
 * {@link MultiLayerNetwork}s ({@code 2d -> h -> h -> d}, ReLU hidden layers, identity output = logits, Xavier
 * init, Adam; G may have more hidden layers and D another width: {@link GainConfig#hiddenLayers()},
 * {@link GainConfig#discHidden()}). The GAIN losses are computed in Java on the logits and fed back as external
 * errors dLoss/dLogits through each net's {@link DenseStack} (DL4J's backprop, fewer ops), then the net's Adam updater
 * ({@link FlatAdam}, {@code params -= update});
 * the discriminator's input gradient (epsilon) chains into the generator's adversarial loss.
 * G and D, their Adam states and the EMA of G are a {@link GanPair}, as the synthesizer's are; the losses are
 * this class's. One training step = one D update and one G update on the same mini-batch. NOT thread-safe: owned by one
 * trainer thread. Deterministic for a seed (ND4J runs single-threaded, see {@link Dl4j}).
 *
 * <p>Losses (per mini-batch, {@code m~} = mask shown to G = observed mask minus the denoising drop):
 * <ul>
 *   <li>D: {@code -mean(m~ log D + (1 - m~) log(1 - D))} with hint {@code h = b m~ + 0.5 (1 - b)}.</li>
 *   <li>G: {@code -mean((1 - m~) log D(x^))} + alpha * reconstruction over all truly observed cells
 *       (squared error for numeric dims, cross-entropy of the per-group softmax for categorical groups;
 *       cells hidden by the denoising drop weigh {@code denoiseWeight}).</li>
 * </ul>
 */
public final class GainNet {
    private final int dims;
    private final int hidden;
    private final int[] sizes;
    private final GainConfig config;
    /** G and D, their stacks, Adam states, EMA of G and step count. */
    private final GanPair pair;
    /** Drops and hints: one draw per cell per step; SplittableRandom has no per-draw CAS as Random does. */
    private final SplittableRandom rng;
    // image-shaped holes of the denoising drop, drawn up for the spec of the latest batch's encoder
    private BlockDrops blocks;
    private double lastG = Double.NaN;
    private double lastD = Double.NaN;
    private double lastRec = Double.NaN;
    /** Rows of the last step whose adversarial losses are not computed yet (0: lastG/lastD are current). */
    private int lossRows;

    // Java-side buffers (row-major)
    private int cap = -1;
    private double[] xs;
    private double[] ms;
    private double[] mt;
    private double[] gh;
    private double[] ga;
    private double[] gin;
    private double[] din;
    private double[] gz;
    private double[] dz;
    private double[] eps;
    private double[] errD;
    private double[] errAdv;
    private double[] errG;
    private float[] scratch;
    // preallocated INDArrays reused every step
    private INDArray gInArr;
    private INDArray dInArr;
    private INDArray errDArr;
    private INDArray errAdvArr;
    private INDArray errGArr;

    public GainNet(int dims, GainConfig config) {
        this(dims, config, config.hiddenFor(dims));
    }

    /** A net of {@code hidden} units per hidden layer (D as wide unless the config fixes D's width). */
    public GainNet(int dims, GainConfig config, int hidden) {
        this.dims = dims;
        this.config = config;
        this.hidden = hidden;
        int depth = config.hiddenLayers();
        this.sizes = new int[depth + 2];
        Arrays.fill(sizes, hidden);
        sizes[0] = 2 * dims;
        sizes[depth + 1] = dims;
        this.rng = new SplittableRandom(config.seed());
        this.pair = new GanPair(
                Dl4j.mlp(2 * dims, hidden, depth, dims, config.seed(), config.learningRate(), config.lrHalfLife()),
                Dl4j.mlp(2 * dims, discHidden(), 2, dims, config.seed() * 0x9E3779B97F4A7C15L + 1,
                        config.learningRate(), config.lrHalfLife()));
    }

    public int dims() {
        return dims;
    }

    public int hidden() {
        return hidden;
    }

    public double lastGeneratorLoss() {
        computeAdversarialLosses();
        return lastG;
    }

    public double lastDiscriminatorLoss() {
        computeAdversarialLosses();
        return lastD;
    }

    /**
     * The last step's D loss and G's adversarial term, from its D logits and masks (still in the buffers): only
     * when asked, because their logarithms cost more than a fifth of a step at 100 columns and the trainer reads
     * them once per window.
     */
    private void computeAdversarialLosses() {
        if (lossRows == 0) {
            return;
        }
        int len = lossRows * dims;
        double inv = 1.0 / len;
        double advLoss = 0;
        double dLoss = 0;
        for (int i = 0; i < len; i++) {
            double p = sigmoid(dz[i]);
            double m = mt[i];
            double logP = Math.log(p + 1e-8);
            advLoss -= (1 - m) * logP;
            dLoss -= m == 0 ? Math.log(1 - p + 1e-8) : m == 1 ? logP : m * logP + (1 - m) * Math.log(1 - p + 1e-8);
        }
        lastD = dLoss * inv;
        lastG = advLoss * inv + config.alpha() * lastRec;
        lossRows = 0;
    }

    public double lastReconstructionLoss() {
        return lastRec;
    }

    /** Training steps taken (one D and one G update each). */
    public long steps() {
        return pair.steps();
    }

    private void ensure(int n) {
        if (cap == n) {
            return;
        }
        cap = n;
        int nd = n * dims;
        xs = new double[nd];
        ms = new double[nd];
        mt = new double[nd];
        gh = new double[nd];
        ga = new double[nd];
        gz = new double[nd];
        dz = new double[nd];
        errD = new double[nd];
        errAdv = new double[nd];
        errG = new double[nd];
        gin = new double[2 * nd];
        din = new double[2 * nd];
        eps = new double[2 * nd];
        scratch = new float[2 * nd];
        gInArr = Dl4j.matrix(n, 2 * dims);
        dInArr = Dl4j.matrix(n, 2 * dims);
        errDArr = Dl4j.matrix(n, dims);
        errAdvArr = Dl4j.matrix(n, dims);
        errGArr = Dl4j.matrix(n, dims);
    }

    /** The network input [x, m] (n x 2d, filled row-major in {@code src}) in its preallocated INDArray. */
    private INDArray input(double[] src, INDArray arr) {
        Dl4j.write(src, arr, scratch);
        return arr;
    }

    /** One D + G step on raw rows (encoded with {@code enc}). */
    public void trainStep(double[][] rows, Encoder enc) {
        int n = rows.length;
        int dd = dims;
        lossRows = 0; // the last step's buffers are about to be overwritten: its losses, unread, are dropped
        ensure(n);
        double[] xr = new double[dd];
        double[] mr = new double[dd];
        int cells = enc.spec().cellCount();
        double drop = config.denoiseRate();
        if (drop > 0 && (blocks == null || !blocks.isFor(enc.spec()))) {
            blocks = BlockDrops.of(enc);
        }
        for (int r = 0; r < n; r++) {
            enc.encode(rows[r], xr, mr);
            System.arraycopy(xr, 0, xs, r * dd, dd);
            System.arraycopy(mr, 0, ms, r * dd, dd);
            System.arraycopy(mr, 0, mt, r * dd, dd);
            if (drop > 0) {
                for (int cell = 0; cell < cells; cell++) {
                    int d0 = enc.cellDim(cell);
                    if (mr[d0] == 0.0 || rng.nextDouble() >= drop) {
                        continue;
                    }
                    int k = Math.max(1, enc.cellCategories(cell));
                    for (int j = 0; j < k; j++) {
                        mt[r * dd + d0 + j] = 0.0;
                    }
                }
                // scattered drops never teach filling a hole whose neighbours are missing too
                blocks.drop(rng, mt, r * dd);
            }
        }
        // ---- G forward
        for (int r = 0; r < n; r++) {
            int o = r * 2 * dd;
            for (int j = 0; j < dd; j++) {
                int idx = r * dd + j;
                gin[o + j] = xs[idx] * mt[idx];
                gin[o + dd + j] = mt[idx];
            }
        }
        forwardBackward(enc, n);
    }

    /** The body of {@link #trainStep} from the G forward pass on. */
    private void forwardBackward(Encoder enc, int n) {
        int dd = dims;
        Dl4j.read(pair.generator().stack().forward(input(gin, gInArr)), gz);
        activate(gz, gh, n, enc);
        // ---- D forward on x^ with hints
        double hr = config.hintRate();
        for (int r = 0; r < n; r++) {
            int o = r * 2 * dd;
            for (int j = 0; j < dd; j++) {
                int idx = r * dd + j;
                double m = mt[idx];
                din[o + j] = m * xs[idx] + (1 - m) * gh[idx];
                double h = rng.nextDouble() < hr ? m : 0.5;
                din[o + dd + j] = h;
            }
        }
        Dl4j.read(pair.discriminator().stack().forward(input(din, dInArr)), dz);
        double inv = 1.0 / ((double) n * dd);
        // ---- adversarial gradient for G through the (pre-update) D (the loss values: computeAdversarialLosses)
        for (int i = 0; i < n * dd; i++) {
            double p = sigmoid(dz[i]);
            double m = mt[i];
            errAdv[i] = -(1 - m) * (1 - p) * inv;
            errD[i] = (p - m) * inv;
        }
        Dl4j.write(errAdv, errAdvArr, scratch);
        Dl4j.read(pair.discriminator().stack().inputGradient(errAdvArr), eps);
        for (int r = 0; r < n; r++) {
            int o = r * 2 * dd;
            for (int j = 0; j < dd; j++) {
                int idx = r * dd + j;
                ga[idx] = (1 - mt[idx]) * eps[o + j];
            }
        }
        // ---- D gradient (into D's own flat gradient; applied after G's step, which must see the pre-update D)
        Dl4j.write(errD, errDArr, scratch);
        INDArray gradD = pair.discriminator().stack().parameterGradient(errDArr);
        // ---- G update: adversarial + alpha * reconstruction
        double alpha = config.alpha();
        double dw = config.denoiseWeight();
        double[] gOut = errG;
        int[] gs = enc.groupStartRef();
        int[] gsz = enc.groupSizeRef();
        // count observed targets (numeric dims + categorical groups)
        double count = 0;
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < dd; j++) {
                if (ms[r * dd + j] != 0 && !enc.isCategoricalDim(j)) {
                    count++;
                }
            }
            for (int q = 0; q < gs.length; q++) {
                if (ms[r * dd + gs[q]] != 0) {
                    count++;
                }
            }
        }
        double recScale = count > 0 ? 1.0 / count : 0.0;
        double rec = 0;
        for (int r = 0; r < n; r++) {
            int base = r * dd;
            for (int j = 0; j < dd; j++) {
                if (enc.isCategoricalDim(j)) {
                    continue;
                }
                int idx = base + j;
                double v = gh[idx];
                double a = ga[idx];
                if (ms[idx] != 0) {
                    double w = mt[idx] != 0 ? 1.0 : dw;
                    double e = v - xs[idx];
                    rec += w * e * e * recScale;
                    a += alpha * 2 * w * e * recScale;
                }
                gOut[idx] = a * v * (1 - v);
            }
            for (int q = 0; q < gs.length; q++) {
                int s = base + gs[q];
                int k = gsz[q];
                double dot = 0;
                for (int j = 0; j < k; j++) {
                    dot += gh[s + j] * ga[s + j];
                }
                boolean obs = ms[s] != 0;
                double w = mt[s] != 0 ? 1.0 : dw;
                for (int j = 0; j < k; j++) {
                    double p = gh[s + j];
                    double grad = p * (ga[s + j] - dot);
                    if (obs) {
                        double t = xs[s + j];
                        grad += alpha * w * recScale * (p - t);
                        if (t > 0.5) {
                            rec -= w * recScale * Math.log(p + 1e-8);
                        }
                    }
                    gOut[s + j] = grad;
                }
            }
        }
        Dl4j.write(errG, errGArr, scratch);
        INDArray gradG = pair.generator().stack().parameterGradient(errGArr);
        pair.update(gradD, gradG, config.emaDecay());
        lastRec = rec;
        lossRows = n; // dz and mt keep this step's values until the next step
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** Output activation: sigmoid per numeric dim, softmax per categorical group. */
    static void activate(double[] z, double[] out, int n, Encoder enc) {
        int dd = enc.dims();
        int[] gs = enc.groupStartRef();
        int[] gsz = enc.groupSizeRef();
        for (int r = 0; r < n; r++) {
            int base = r * dd;
            for (int j = 0; j < dd; j++) {
                if (!enc.isCategoricalDim(j)) {
                    out[base + j] = sigmoid(z[base + j]);
                }
            }
            for (int q = 0; q < gs.length; q++) {
                softmax(z, out, base + gs[q], gsz[q]);
            }
        }
    }

    static void softmax(double[] z, double[] out, int s, int k) {
        double mx = z[s];
        for (int j = 1; j < k; j++) {
            mx = Math.max(mx, z[s + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double e = Math.exp(z[s + j] - mx);
            out[s + j] = e;
            sum += e;
        }
        for (int j = 0; j < k; j++) {
            out[s + j] /= sum;
        }
    }

    /** An immutable inference snapshot of the current generator (its EMA weights when emaDecay > 0). */
    public GainModel snapshot(Encoder enc, long version) {
        INDArray p = pair.servingParams(config.emaDecay());
        double[][] w = new double[sizes.length - 1][];
        double[][] b = new double[sizes.length - 1][];
        Dl4j.unflatten(Dl4j.toDoubles(p), sizes, w, b);
        return new GainModel(enc, sizes, w, b, version, config.categoricalFirst());
    }

    private int discHidden() {
        return config.discHidden() > 0 ? config.discHidden() : hidden;
    }

    /** Generator parameters, flat (layer by layer: W row-major [in][out], then b), from the DL4J net. */
    public double[] generatorParams() {
        return rowMajor(Dl4j.toDoubles(pair.generator().network().params()), sizes);
    }

    /** Discriminator parameters, same layout as {@link #generatorParams()}. */
    public double[] discriminatorParams() {
        int dh = discHidden();
        return rowMajor(Dl4j.toDoubles(pair.discriminator().network().params()), new int[] {2 * dims, dh, dh, dims});
    }

    /** G and D with their Adam states and the EMA of G; for tests and tooling. Mutating them changes this trainer. */
    public GanPair pair() {
        return pair;
    }

    /** DL4J Adam state views ({@code getUpdater().getStateViewArray()}) of G followed by that of D. */
    public double[] updaterState() {
        return pair.updaterState();
    }

    /** DL4J's flat layout (per layer W in 'f' order, then b) to the row-major one (W[in][out], then b). */
    private static double[] rowMajor(double[] dl4jFlat, int[] sizes) {
        double[] out = new double[dl4jFlat.length];
        int p = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int width = sizes[l + 1];
            for (int o = 0; o < width; o++) {
                for (int i = 0; i < in; i++) {
                    out[p + i * width + o] = dl4jFlat[p + o * in + i];
                }
            }
            p += in * width;
            System.arraycopy(dl4jFlat, p, out, p, width);
            p += width;
        }
        return out;
    }

    /**
     * First int of the state encoding written since checkpoint format 3: a negative number, where the older
     * encoding begins with {@code dims}, so that {@link #fromBytes} tells the two apart.
     */
    private static final int TYPED_STATE = -3;

    /**
     * Serializes weights, Adam state, EMA weights and the step counter (not the RNG position): {@code -3, dims,
     * hidden, steps, bytes per value (4 or 8)}, then five arrays (length, values). Values are written at the
     * nets' own precision: FLOAT nets (the default) take 4 bytes a value, half of what the older all-double
     * encoding took, which is what lets a wide imputer's checkpoint fit one model-topic message, and no value
     * changes on the way (float to double to float is exact).
     */
    public byte[] toBytes() {
        int width = pair.allFloat() ? 4 : 8;
        int capacity = (int) Math.min(Integer.MAX_VALUE - 64, 32 + 20 + pair.values() * width);
        return StateBytes.write(capacity, out -> {
            out.writeInt(TYPED_STATE);
            out.writeInt(dims);
            out.writeInt(hidden);
            out.writeLong(pair.steps());
            out.writeByte(width);
            pair.write(out, width, false);
        });
    }

    /**
     * Restores a {@link #toBytes()} image, or one of the all-double encoding of checkpoint formats 1 and 2
     * ({@code dims, hidden, steps}, five arrays of doubles), into a net built with the same dims and config.
     */
    public static GainNet fromBytes(byte[] bytes, GainConfig config) {
        return StateBytes.read(bytes, in -> {
            int first = in.readInt();
            boolean typed = first == TYPED_STATE;
            int dims = typed ? in.readInt() : first;
            int hidden = in.readInt();
            // An auto-sized net may have grown with the data (GainConfig.hiddenFor(dims, rows)): its width is the
            // checkpoint's; a width the config fixes must match.
            GainNet net = new GainNet(dims, config, config.hidden() > 0 ? config.hidden() : hidden);
            if (net.hidden != hidden) {
                throw new IllegalArgumentException("hidden width mismatch " + hidden + " vs " + net.hidden);
            }
            net.pair.resumeAt(in.readLong());
            int width = typed ? in.readByte() : 8;
            if (width != 4 && width != 8) {
                throw new IllegalArgumentException("checkpoint value width " + width);
            }
            net.pair.read(in, width, false);
            return net;
        });
    }
}
