package io.ganstream.engine.synth;

import io.ganstream.engine.nn.Nets;
import io.ganstream.engine.nn.DenseStack;
import io.ganstream.engine.nn.Dl4j;
import io.ganstream.engine.nn.GanPair;
import io.ganstream.engine.train.StateBytes;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Conditional tabular GAN (CTGAN-style) as two DL4J {@link MultiLayerNetwork}s trained with external errors.
 * G: {@code [noise, cond] -> h -> h -> outDims} (ReLU; raw logits, activations in Java: tanh for alphas,
 * Gumbel-softmax (tau 0.2) for mode and category groups, inactive mode slots masked out, sigmoid for the
 * elements of vector columns).
 * D (PacGAN): {@code pac x [encoded row, cond] -> h -> h -> 1} (LeakyReLU 0.2). G and D, their Adam states and
 * the EMA of G are a {@link GanPair}, as the imputer's are; the losses are this class's.
 *
 * <p>Loss "wgan-gp": D minimizes {@code mean D(fake) - mean D(real) + lambda (||grad_x D(x^)|| - 1)^2} on
 * per-pac-group interpolates. DL4J has no double backprop, so the penalty and its parameter gradient are
 * computed analytically ({@link GradientPenalty}) and added to DL4J's flat gradient before the Adam update.
 * Loss "ns": non-saturating BCE.
 * G minimizes {@code -mean D(fake)} (through the pre-update D) + condWeight * CE(cond column logits, cond).
 *
 * <p>Missing values: fake rows are multiplied by the mask of the real row they are paired with (the real row
 * drawn for the same condition), real missing cells are 0: D never sees a missing cell, G gets no gradient
 * from it and learns every column from its observed values only.
 */
public final class SynthNet {
    static final double TAU = 0.2;
    /** 1 / TAU, an integer so that e^(-1/tau) in {@link #gumbel} is four products. */
    private static final double INV_TAU = 5;

    private final SynthConfig cfg;
    private final int outDims;
    private final int condDims;
    private final int gIn;
    private final int unit;
    private final int dIn;
    /** G and D, their stacks, Adam states, EMA of G and step count. */
    private final GanPair pair;
    /** Noise, Gumbel and interpolation draws; SplittableRandom has no per-draw CAS as Random does. */
    private final SplittableRandom rng;
    private final NormalDraws normal;
    private final GradientPenalty penalty;
    private double lastG = Double.NaN;
    private double lastD = Double.NaN;
    private double lastPenalty = Double.NaN;

    private int cap = -1;
    private double[] gin;
    private double[] gz;
    private double[] gh;
    private double[] din;
    private double[] dz;
    private double[] eps;
    private double[] errG;
    private double[] errD;
    private double[] errAdv;
    private float[] scratch;
    private INDArray gInArr;
    private INDArray dInArr;
    private INDArray errGArr;
    private INDArray errDArr;
    private INDArray errAdvArr;

    public SynthNet(int outDims, int condDims, SynthConfig cfg) {
        this.cfg = cfg;
        this.outDims = outDims;
        this.condDims = condDims;
        this.gIn = cfg.noiseDim() + condDims;
        this.unit = outDims + condDims;
        this.dIn = cfg.pac() * unit;
        this.rng = new SplittableRandom(cfg.seed() * 31 + 7);
        this.normal = new NormalDraws(rng);
        this.penalty = new GradientPenalty(dIn, cfg.discHidden());
        this.pair = new GanPair(
                Nets.mlp(gIn, cfg.genHidden(), outDims, Nets.relu(), cfg.seed(), cfg.lrG()),
                Nets.mlp(dIn, cfg.discHidden(), 1, Nets.lrelu(0.2), cfg.seed() * 0x9E3779B97F4A7C15L + 1,
                        cfg.lrD()));
    }

    /** G and D with their Adam states and the EMA of G; for tests and tooling. Mutating them changes this trainer. */
    public GanPair pair() {
        return pair;
    }

    public long steps() {
        return pair.steps();
    }

    /** The last step's G loss, D loss and gradient penalty (NaN before the first step). */
    public double[] losses() {
        return new double[] {lastG, lastD, lastPenalty};
    }

    int[] generatorSizes() {
        return new int[] {gIn, cfg.genHidden(), cfg.genHidden(), outDims};
    }

    private void ensure(int n) {
        if (cap == n) {
            return;
        }
        cap = n;
        int groups = n / cfg.pac();
        gin = new double[n * gIn];
        gz = new double[n * outDims];
        gh = new double[n * outDims];
        errG = new double[n * outDims];
        din = new double[2 * groups * dIn];
        eps = new double[2 * groups * dIn];
        dz = new double[2 * groups];
        errD = new double[2 * groups];
        errAdv = new double[2 * groups];
        scratch = new float[Math.max(n * Math.max(gIn, outDims), 2 * groups * dIn)];
        gInArr = Nets.matrix(n, gIn);
        dInArr = Nets.matrix(2 * groups, dIn);
        errGArr = Nets.matrix(n, outDims);
        errDArr = Nets.matrix(2 * groups, 1);
        errAdvArr = Nets.matrix(2 * groups, 1);
    }

    /**
     * One D and one G update.
     *
     * @param real     n x outDims encoded real rows (missing cells 0)
     * @param mask     n x outDims observation mask of the real rows (applied to the paired fake rows)
     * @param cond     n x condDims conditional vectors
     * @param condOut  per row: output-dim start of the conditioned column, -1 if none
     * @param condCat  per row: conditioned category
     */
    public void trainStep(double[] real, double[] mask, double[] cond, int[] condOut, int[] condCat,
                          SynthLayout layout) {
        int n = condOut.length;
        ensure(n);
        int pac = cfg.pac();
        int groups = n / pac;
        int nz = cfg.noiseDim();
        // ---- G forward
        for (int r = 0; r < n; r++) {
            int o = r * gIn;
            for (int j = 0; j < nz; j++) {
                gin[o + j] = normal.next();
            }
            System.arraycopy(cond, r * condDims, gin, o + nz, condDims);
        }
        Dl4j.write(gin, gInArr, scratch);
        Dl4j.read(pair.generator().stack().forward(gInArr), gz);
        activations(layout, n, false);
        // ---- D input: real groups then fake groups; each pac row = pac x [x, cond]
        for (int r = 0; r < n; r++) {
            int grp = r / pac;
            int u = r % pac;
            int oReal = grp * dIn + u * unit;
            int oFake = (groups + grp) * dIn + u * unit;
            for (int j = 0; j < outDims; j++) {
                int idx = r * outDims + j;
                din[oReal + j] = real[idx];
                din[oFake + j] = gh[idx] * mask[idx];
            }
            System.arraycopy(cond, r * condDims, din, oReal + outDims, condDims);
            System.arraycopy(cond, r * condDims, din, oFake + outDims, condDims);
        }
        Dl4j.write(din, dInArr, scratch);
        DenseStack dStack = pair.discriminator().stack();
        Dl4j.read(dStack.forward(dInArr), dz);
        boolean wgan = cfg.loss().equals("wgan-gp");
        double inv = 1.0 / groups;
        double lossD = 0;
        double lossG = 0;
        for (int q = 0; q < groups; q++) {
            double dr = dz[q];
            double df = dz[groups + q];
            if (wgan) {
                lossD += (df - dr) * inv;
                lossG -= df * inv;
                errD[q] = -inv;
                errD[groups + q] = inv;
            } else {
                double pr = sigmoid(dr);
                double pf = sigmoid(df);
                lossD += (softplus(-dr) + softplus(df)) * inv;
                lossG += softplus(-df) * inv;
                errD[q] = (pr - 1) * inv;
                errD[groups + q] = pf * inv;
                errAdv[q] = 0;
                errAdv[groups + q] = (pf - 1) * inv;
            }
        }
        INDArray gradD;
        double epsSign;
        if (wgan) {
            // dLossG/dD(fake) = -dLossD/dD(fake): one backprop gives both D's gradient and G's input gradient
            Dl4j.write(errD, errDArr, scratch);
            Dl4j.read(dStack.parameterAndInputGradient(errDArr), eps);
            gradD = dStack.flatGradient();
            epsSign = -1;
            lastPenalty = penalty.apply(pair.discriminator().network().params(), din, groups, cfg.gpWeight(), rng,
                    gradD);
            lossD += lastPenalty;
        } else {
            Dl4j.write(errAdv, errAdvArr, scratch);
            Dl4j.read(dStack.inputGradient(errAdvArr), eps);
            Dl4j.write(errD, errDArr, scratch);
            gradD = dStack.parameterGradient(errDArr);
            epsSign = 1;
            lastPenalty = 0;
        }
        // D's Adam update waits until G's gradient is done: G's adversarial term goes through the pre-update D
        // ---- G error: adversarial chain through the activations + conditional cross-entropy
        for (int r = 0; r < n; r++) {
            int oFake = (groups + r / pac) * dIn + (r % pac) * unit;
            for (int j = 0; j < outDims; j++) {
                int idx = r * outDims + j;
                errG[idx] = epsSign * eps[oFake + j] * mask[idx];
            }
        }
        activations(layout, n, true);
        double ce = 0;
        double cw = cfg.condWeight() / n;
        for (int r = 0; r < n; r++) {
            int s = condOut[r];
            if (s < 0) {
                continue;
            }
            int wd = widthAt(layout, s);
            int base = r * outDims + s;
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < wd; j++) {
                mx = Math.max(mx, gz[base + j]);
            }
            double tot = 0;
            for (int j = 0; j < wd; j++) {
                tot += Math.exp(gz[base + j] - mx);
            }
            for (int j = 0; j < wd; j++) {
                double p = Math.exp(gz[base + j] - mx) / tot;
                errG[base + j] += cw * (p - (j == condCat[r] ? 1 : 0));
                if (j == condCat[r]) {
                    ce -= Math.log(p + 1e-12) / n;
                }
            }
        }
        Dl4j.write(errG, errGArr, scratch);
        INDArray gradG = pair.generator().stack().parameterGradient(errGArr);
        pair.update(gradD, gradG, cfg.emaDecay());
        lastD = lossD;
        lastG = lossG + cfg.condWeight() * ce;
    }

    private static int widthAt(SynthLayout layout, int outStart) {
        for (int c = 0; c < layout.columns; c++) {
            if (layout.outStart[c] == outStart) {
                return layout.outWidth[c];
            }
        }
        throw new IllegalStateException("no column at " + outStart);
    }

    /**
     * The output activations per column, forward ({@code gh} from the logits {@code gz}; Gumbel noise drawn) or
     * backward ({@code errG} holds dL/d(activated output) and becomes dL/d(logits) in place): alpha tanh plus
     * Gumbel-softmax of the modes for numeric columns, Gumbel-softmax for categorical ones, sigmoid per element
     * of a vector.
     */
    private void activations(SynthLayout layout, int n, boolean backward) {
        for (int r = 0; r < n; r++) {
            int base = r * outDims;
            for (int c = 0; c < layout.columns; c++) {
                int s = base + layout.outStart[c];
                int wd = layout.outWidth[c];
                if (layout.vector[c] && backward) {
                    for (int j = 0; j < wd; j++) {
                        errG[s + j] *= gh[s + j] * (1 - gh[s + j]);
                    }
                } else if (layout.vector[c]) {
                    for (int j = 0; j < wd; j++) {
                        gh[s + j] = 1 / (1 + Math.exp(-gz[s + j]));
                    }
                } else if (backward) {
                    int first = layout.categorical[c] ? s : s + 1;
                    if (!layout.categorical[c]) {
                        errG[s] *= 1 - gh[s] * gh[s];
                    }
                    backSoftmax(first, s + wd - first);
                } else {
                    int first = layout.categorical[c] ? s : s + 1;
                    if (!layout.categorical[c]) {
                        gh[s] = Math.tanh(gz[s]);
                    }
                    gumbel(first, s + wd - first, base, layout);
                }
            }
        }
    }

    /**
     * Gumbel-softmax of the active slots: {@code softmax((z + g) / tau)} with {@code g = -log(e)},
     * {@code e = -log(u)}, computed as {@code exp((z - max z) / tau) * e^(-1/tau)} normalised: the same values
     * with one logarithm per slot instead of two and an exponential (this loop was ~20% of a step at 10 columns).
     */
    private void gumbel(int s, int wd, int base, SynthLayout layout) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < wd; j++) {
            if (layout.dimActive[s - base + j]) {
                mx = Math.max(mx, gz[s + j]);
            }
        }
        double tot = 0;
        for (int j = 0; j < wd; j++) {
            if (!layout.dimActive[s - base + j]) {
                gh[s + j] = 0;
                continue;
            }
            double e = -Math.log(rng.nextDouble() + 1e-20) + 1e-20;
            double e2 = e * e;
            double w = Math.exp((gz[s + j] - mx) * INV_TAU) / (e2 * e2 * e); // e^-5 = e^(-1/tau)
            gh[s + j] = w;
            tot += w;
        }
        for (int j = 0; j < wd; j++) {
            gh[s + j] /= tot;
        }
    }

    private void backSoftmax(int s, int wd) {
        double dot = 0;
        for (int j = 0; j < wd; j++) {
            dot += gh[s + j] * errG[s + j];
        }
        for (int j = 0; j < wd; j++) {
            errG[s + j] = gh[s + j] * (errG[s + j] - dot) / TAU;
        }
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double softplus(double z) {
        return z > 30 ? z : Math.log1p(Math.exp(z));
    }

    /** Generator weights for inference (EMA when enabled) as row-major float layers W[in][out] and b. */
    float[][][] generatorLayers() {
        float[] flat = Nets.floats(pair.servingParams(cfg.emaDecay()));
        int[] sizes = generatorSizes();
        float[][][] layers = new float[sizes.length - 1][2][];
        int p = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            float[] w = new float[in * out];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    w[i * out + o] = flat[p + o * in + i];
                }
            }
            p += in * out;
            float[] b = new float[out];
            System.arraycopy(flat, p, b, 0, out);
            p += out;
            layers[l][0] = w;
            layers[l][1] = b;
        }
        return layers;
    }

    /**
     * Everything: G, D, both nets' Adam state and the EMA generator (training resumes exactly). With
     * {@code servingOnly}, only the EMA generator (what samples are drawn from, about a seventh of the
     * whole): G's raw weights, D and both Adam states are written as empty arrays. Such a state serves the same
     * samples; a trainer restored from it starts warm (see {@link #fromBytes}). For wide datasets, whose whole
     * synthesizer does not fit the model topic's record beside the imputer.
     */
    public byte[] toBytes(boolean servingOnly) {
        return StateBytes.write(out -> {
            out.writeInt(outDims);
            out.writeInt(condDims);
            out.writeLong(pair.steps());
            out.writeDouble(lastG);
            out.writeDouble(lastD);
            pair.write(out, 4, servingOnly);
        });
    }

    /**
     * Restores {@link #toBytes(boolean)}. A whole state resumes exactly. A serving-only one resumes warm: G
     * starts from the EMA weights, D from a fresh initialization, Adam's moments from zero and the step count
     * from 0 (so Adam's bias correction and the EMA's warm-up start over with them).
     */
    public static SynthNet fromBytes(byte[] bytes, SynthConfig cfg) {
        return StateBytes.read(bytes, in -> {
            SynthNet net = new SynthNet(in.readInt(), in.readInt(), cfg);
            net.pair.resumeAt(in.readLong());
            net.lastG = in.readDouble();
            net.lastD = in.readDouble();
            net.pair.read(in, 4, true);
            return net;
        });
    }
}
