package io.ganstream.engine.synth;

import io.ganstream.engine.nn.Nets;
import io.ganstream.engine.nn.FlatAdam;
import io.ganstream.engine.nn.DenseStack;
import io.ganstream.engine.nn.Dl4j;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conditional tabular GAN (CTGAN-style) as two DL4J {@link MultiLayerNetwork}s trained with external errors.
 * G: {@code [noise, cond] -> h -> h -> outDims} (ReLU; raw logits, activations in Java: tanh for alphas,
 * Gumbel-softmax (tau 0.2) for mode and category groups, inactive mode slots masked out, sigmoid for the
 * elements of vector columns).
 * D (PacGAN): {@code pac x [encoded row, cond] -> h -> h -> 1} (LeakyReLU 0.2).
 *
 * <p>Loss "wgan-gp": D minimizes {@code mean D(fake) - mean D(real) + lambda (||grad_x D(x^)|| - 1)^2} on
 * per-pac-group interpolates. DL4J has no double backprop, so the penalty and its parameter gradient are
 * computed analytically in Java for this 2-hidden-layer LeakyReLU MLP (the activation slopes are piecewise
 * constant, so {@code grad_x D = W1^T diag(s1) W2^T diag(s2) w3} and its derivative w.r.t. W1, W2, w3 is exact;
 * biases get none) and added to DL4J's flat gradient before the Adam update. Loss "ns": non-saturating BCE.
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
    private final MultiLayerNetwork g;
    private final MultiLayerNetwork d;
    /** Noise, Gumbel and interpolation draws; SplittableRandom has no per-draw CAS as Random does. */
    private final SplittableRandom rng;
    private final NormalDraws normal;
    private final INDArray ema;
    private final DenseStack gStack;
    private final DenseStack dStack;
    private final FlatAdam gAdam;
    private final FlatAdam dAdam;
    private long steps;
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
    private double[] gpX;
    private final PenaltyBuffers penaltyBuffers = new PenaltyBuffers();
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
        this.g = Nets.mlp(gIn, cfg.genHidden(), outDims, Nets.relu(), cfg.seed(), cfg.lrG());
        this.d = Nets.mlp(dIn, cfg.discHidden(), 1, Nets.lrelu(0.2), cfg.seed() * 0x9E3779B97F4A7C15L + 1,
                cfg.lrD());
        this.ema = g.params().dup();
        this.gStack = new DenseStack(g);
        this.dStack = new DenseStack(d);
        this.gAdam = new FlatAdam(g);
        this.dAdam = new FlatAdam(d);
    }

    public MultiLayerNetwork generator() {
        return g;
    }

    public MultiLayerNetwork discriminator() {
        return d;
    }

    public long steps() {
        return steps;
    }

    public double lastGeneratorLoss() {
        return lastG;
    }

    public double lastDiscriminatorLoss() {
        return lastD;
    }

    public double lastPenalty() {
        return lastPenalty;
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
        Dl4j.read(gStack.forward(gInArr), gz);
        activate(layout, n);
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
            lastPenalty = gradientPenalty(groups, gradD);
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
        backActivate(layout, n);
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
        INDArray gradG = gStack.parameterGradient(errGArr);
        dAdam.apply(gradD, (int) steps);
        gAdam.apply(gradG, (int) steps);
        steps++;
        updateEma();
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

    private void activate(SynthLayout layout, int n) {
        for (int r = 0; r < n; r++) {
            int base = r * outDims;
            for (int c = 0; c < layout.columns; c++) {
                int s = base + layout.outStart[c];
                int wd = layout.outWidth[c];
                if (layout.categorical[c]) {
                    gumbel(s, wd, base, layout);
                } else if (layout.vector[c]) {
                    for (int j = 0; j < wd; j++) {
                        gh[s + j] = 1 / (1 + Math.exp(-gz[s + j]));
                    }
                } else {
                    gh[s] = Math.tanh(gz[s]);
                    gumbel(s + 1, wd - 1, base, layout);
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

    /** errG holds dL/d(activated output); turn it into dL/d(logits) in place. */
    private void backActivate(SynthLayout layout, int n) {
        for (int r = 0; r < n; r++) {
            int base = r * outDims;
            for (int c = 0; c < layout.columns; c++) {
                int s = base + layout.outStart[c];
                int wd = layout.outWidth[c];
                if (layout.categorical[c]) {
                    backSoftmax(s, wd);
                } else if (layout.vector[c]) {
                    for (int j = 0; j < wd; j++) {
                        errG[s + j] *= gh[s + j] * (1 - gh[s + j]);
                    }
                } else {
                    errG[s] *= 1 - gh[s] * gh[s];
                    backSoftmax(s + 1, wd - 1);
                }
            }
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

    /**
     * Analytic WGAN gradient penalty on interpolates of the real/fake pac rows currently in {@code din};
     * adds its parameter gradient into D's flat gradient and returns the penalty.
     */
    private double gradientPenalty(int groups, INDArray flatGrad) {
        double lambda = cfg.gpWeight();
        if (lambda <= 0) {
            return 0;
        }
        if (gpX == null || gpX.length != groups * dIn) {
            gpX = new double[groups * dIn];
        }
        for (int q = 0; q < groups; q++) {
            double e = rng.nextDouble();
            int or = q * dIn;
            int of = (groups + q) * dIn;
            for (int i = 0; i < dIn; i++) {
                gpX[or + i] = e * din[or + i] + (1 - e) * din[of + i];
            }
        }
        return penaltyBatch(d.params(), dIn, cfg.discHidden(), gpX, groups, lambda / groups, flatGrad, penaltyBuffers);
    }

    /**
     * {@link #penalty} for {@code q} inputs at once (rows of {@code x}, q x dIn), each weighted {@code lambda}:
     * returns the summed penalty and adds the summed parameter gradient into {@code flatGrad} (D's flat gradient
     * layout). Every product (three with the wide first layer, four h x h ones) runs as one ND4J matrix product
     * over all rows into {@code buf}; only the element-wise slopes, norms and the last layer's column sums are
     * Java loops. Package-private for the test against {@link #penalty}.
     */
    static double penaltyBatch(INDArray params, int dIn, int h, double[] x, int q, double lambda,
                               INDArray flatGrad, PenaltyBuffers buf) {
        int w1 = 0;
        int b1 = w1 + dIn * h;
        int w2 = b1 + h;
        int b2 = w2 + h * h;
        int w3 = b2 + h;
        int np = w3 + h + 1;
        if (params.length() != np || flatGrad.length() != np) {
            throw new IllegalArgumentException("not a " + dIn + " -> " + h + " -> " + h + " -> 1 network");
        }
        buf.ensure(q, dIn, h);
        buf.views(params, flatGrad, w1, w2, dIn, h);
        INDArray wIn = buf.wIn;
        INDArray wMid = buf.wMid;
        FloatBuffer p = params.data().asNioFloat();
        int po = (int) params.offset();
        FloatBuffer g = flatGrad.data().asNioFloat();
        int go = (int) flatGrad.offset();
        // all q x k scratch matrices are 'f' order: element (r, o) at o * q + r
        Dl4j.write(x, buf.x, buf.xScratch);
        Nd4j.gemm(buf.x, wIn, buf.a1, false, false, 1.0, 0.0);
        FloatBuffer a1 = buf.a1.data().asNioFloat();
        float[] s1 = buf.s1;
        float[] s2 = buf.s2;
        for (int o = 0; o < h; o++) {
            float bias = p.get(po + b1 + o);
            for (int r = 0; r < q; r++) {
                int i = o * q + r;
                float z = a1.get(i) + bias;
                s1[i] = z > 0 ? 1f : 0.2f;
                a1.put(i, z * s1[i]);
            }
        }
        Nd4j.gemm(buf.a1, wMid, buf.u2, false, false, 1.0, 0.0);
        FloatBuffer u2 = buf.u2.data().asNioFloat();
        for (int o = 0; o < h; o++) {
            float bias = p.get(po + b2 + o);
            float w = p.get(po + w3 + o);
            for (int r = 0; r < q; r++) {
                int i = o * q + r;
                s2[i] = u2.get(i) + bias > 0 ? 1f : 0.2f;
                u2.put(i, s2[i] * w); // u2 = s2 * w3: d out / d a2
            }
        }
        Nd4j.gemm(buf.u2, wMid, buf.u1, false, true, 1.0, 0.0);
        FloatBuffer u1 = buf.u1.data().asNioFloat();
        for (int i = 0; i < q * h; i++) {
            u1.put(i, u1.get(i) * s1[i]); // u1 = d out / d z1
        }
        Nd4j.gemm(buf.u1, wIn, buf.gv, false, true, 1.0, 0.0); // gv = d out / d x, q x dIn
        FloatBuffer gv = buf.gv.data().asNioFloat();
        double pen = 0;
        for (int r = 0; r < q; r++) {
            double norm = 0;
            for (int i = 0; i < dIn; i++) {
                double v = gv.get(i * q + r);
                norm += v * v;
            }
            norm = Math.sqrt(norm) + 1e-12;
            pen += lambda * (norm - 1) * (norm - 1);
            float coef = (float) (2 * lambda * (norm - 1) / norm);
            for (int i = 0; i < dIn; i++) {
                gv.put(i * q + r, gv.get(i * q + r) * coef); // gamma = dP/dg
            }
        }
        // dP/dW1 = gamma^T u1, dP/dW2 = t1^T u2 with t1 = (gamma W1) * s1, dP/dw3 = colsum(s2 * (t1 W2))
        Nd4j.gemm(buf.gv, buf.u1, buf.gIn, true, false, 1.0, 1.0);
        Nd4j.gemm(buf.gv, wIn, buf.t1, false, false, 1.0, 0.0);
        FloatBuffer t1 = buf.t1.data().asNioFloat();
        for (int i = 0; i < q * h; i++) {
            t1.put(i, t1.get(i) * s1[i]);
        }
        Nd4j.gemm(buf.t1, buf.u2, buf.gMid, true, false, 1.0, 1.0);
        Nd4j.gemm(buf.t1, wMid, buf.a1, false, false, 1.0, 0.0); // a1 no longer needed: reuse for t1 W2
        for (int o = 0; o < h; o++) {
            double sum = 0;
            for (int r = 0; r < q; r++) {
                int i = o * q + r;
                sum += s2[i] * a1.get(i);
            }
            g.put(go + w3 + o, (float) (g.get(go + w3 + o) + sum));
        }
        return pen;
    }

    /** The 'f'-order {@code [in, out]} weight block at {@code offset} of a flat DL4J parameter (or gradient) array. */
    private static INDArray weightView(INDArray flat, int offset, int in, int out) {
        return Nd4j.create(flat.data(), new long[] {in, out}, new long[] {1, in}, flat.offset() + offset, 'f');
    }

    /** Scratch arrays of {@link #penaltyBatch}, kept by the net between steps. */
    static final class PenaltyBuffers {
        private int q = -1;
        private int dIn = -1;
        private int h = -1;
        INDArray x;
        float[] xScratch;
        INDArray a1;
        INDArray u2;
        INDArray u1;
        INDArray gv;
        INDArray t1;
        float[] s1;
        float[] s2;
        /** Weight and weight-gradient views of the first two layers, for the arrays they were made from. */
        private INDArray viewsOfParams;
        private INDArray viewsOfGrad;
        INDArray wIn;
        INDArray wMid;
        INDArray gIn;
        INDArray gMid;

        /** The views of {@code params} and {@code flatGrad}, made once per pair of arrays (D keeps its own). */
        void views(INDArray params, INDArray flatGrad, int w1, int w2, int in, int hidden) {
            if (params == viewsOfParams && flatGrad == viewsOfGrad) {
                return;
            }
            viewsOfParams = params;
            viewsOfGrad = flatGrad;
            wIn = weightView(params, w1, in, hidden);
            wMid = weightView(params, w2, hidden, hidden);
            gIn = weightView(flatGrad, w1, in, hidden);
            gMid = weightView(flatGrad, w2, hidden, hidden);
        }

        void ensure(int rows, int in, int hidden) {
            if (rows == q && in == dIn && hidden == h) {
                return;
            }
            viewsOfParams = null; // other shapes: other views
            q = rows;
            dIn = in;
            h = hidden;
            x = Nets.matrix(rows, in);
            xScratch = new float[rows * in];
            a1 = fMatrix(rows, hidden);
            u2 = fMatrix(rows, hidden);
            u1 = fMatrix(rows, hidden);
            gv = fMatrix(rows, in);
            t1 = fMatrix(rows, hidden);
            s1 = new float[rows * hidden];
            s2 = new float[rows * hidden];
        }

        private static INDArray fMatrix(int rows, int cols) {
            return Nd4j.create(Nets.DTYPE, new long[] {rows, cols}, 'f');
        }
    }

    /**
     * {@code lambda (||grad_x D(x)|| - 1)^2} for the DL4J flat parameters {@code p} of D
     * ({@code in -> h -> h -> 1}, LeakyReLU 0.2; per layer W in 'f' order [in,out] then b) and adds its exact
     * gradient w.r.t. p into {@code grad}. Package-private for the finite-difference test.
     */
    static double penalty(float[] p, int dIn, int h, double[] x, double lambda, float[] grad) {
        int w1 = 0;
        int b1 = w1 + dIn * h;
        int w2 = b1 + h;
        int b2 = w2 + h * h;
        int w3 = b2 + h;
        double[] a1 = new double[h];
        double[] s1 = new double[h];
        double[] s2 = new double[h];
        double[] u2 = new double[h];
        double[] u1 = new double[h];
        double[] gv = new double[dIn];
        double[] delta1 = new double[h];
        for (int o = 0; o < h; o++) {
            double z = p[b1 + o];
            int row = w1 + o * dIn;
            for (int i = 0; i < dIn; i++) {
                z += p[row + i] * x[i];
            }
            s1[o] = z > 0 ? 1 : 0.2;
            a1[o] = z * s1[o];
        }
        for (int o = 0; o < h; o++) {
            double z = p[b2 + o];
            int row = w2 + o * h;
            for (int i = 0; i < h; i++) {
                z += p[row + i] * a1[i];
            }
            s2[o] = z > 0 ? 1 : 0.2;
            u2[o] = s2[o] * p[w3 + o];
        }
        for (int o = 0; o < h; o++) {
            int row = w2 + o * h;
            double uo = u2[o];
            for (int i = 0; i < h; i++) {
                u1[i] += p[row + i] * uo;
            }
        }
        for (int i = 0; i < h; i++) {
            u1[i] *= s1[i];
        }
        for (int o = 0; o < h; o++) {
            int row = w1 + o * dIn;
            double uo = u1[o];
            for (int i = 0; i < dIn; i++) {
                gv[i] += p[row + i] * uo;
            }
        }
        double norm = 0;
        for (int i = 0; i < dIn; i++) {
            norm += gv[i] * gv[i];
        }
        norm = Math.sqrt(norm) + 1e-12;
        double pen = lambda * (norm - 1) * (norm - 1);
        if (grad == null) {
            return pen;
        }
        double coef = 2 * lambda * (norm - 1) / norm;
        for (int i = 0; i < dIn; i++) {
            gv[i] *= coef; // gamma = dP/dg
        }
        for (int o = 0; o < h; o++) {
            int row = w1 + o * dIn;
            double uo = u1[o];
            double t = 0;
            for (int i = 0; i < dIn; i++) {
                grad[row + i] += (float) (uo * gv[i]);
                t += p[row + i] * gv[i];
            }
            delta1[o] = s1[o] * t;
        }
        for (int o = 0; o < h; o++) {
            int row = w2 + o * h;
            double uo = u2[o];
            double t = 0;
            for (int i = 0; i < h; i++) {
                grad[row + i] += (float) (uo * delta1[i]);
                t += p[row + i] * delta1[i];
            }
            grad[w3 + o] += (float) (s2[o] * t);
        }
        return pen;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double softplus(double z) {
        return z > 30 ? z : Math.log1p(Math.exp(z));
    }

    private void updateEma() {
        double decay = cfg.emaDecay();
        if (decay <= 0) {
            return;
        }
        double k = Math.min(decay, (1.0 + steps) / (10.0 + steps));
        Dl4j.blendInto(ema, g.params(), k);
    }

    /** Generator weights for inference (EMA when enabled) as row-major float layers W[in][out] and b. */
    float[][][] generatorLayers() {
        float[] flat = Nets.floats(cfg.emaDecay() > 0 ? ema : g.params());
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

    /** Everything: G, D, both nets' Adam state and the EMA generator (training resumes exactly). */
    public byte[] toBytes() {
        return toBytes(false);
    }

    /**
     * With {@code servingOnly}, only the EMA generator (what samples are drawn from, about a seventh of the
     * whole): G's raw weights, D and both Adam states are written as empty arrays. Such a state serves the same
     * samples; a trainer restored from it starts warm (see {@link #fromBytes}). For wide datasets, whose whole
     * synthesizer does not fit the model topic's record beside the imputer.
     */
    public byte[] toBytes(boolean servingOnly) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.writeInt(outDims);
            out.writeInt(condDims);
            out.writeLong(steps);
            out.writeDouble(lastG);
            out.writeDouble(lastD);
            INDArray[] arrays = {g.params(), d.params(), g.getUpdater().getStateViewArray(),
                d.getUpdater().getStateViewArray(), ema};
            for (INDArray a : arrays) {
                if (servingOnly && a != ema) {
                    out.writeInt(0);
                    continue;
                }
                float[] f = Nets.floats(a);
                out.writeInt(f.length);
                for (float v : f) {
                    out.writeFloat(v);
                }
            }
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Restores {@link #toBytes(boolean)}. A whole state resumes exactly. A serving-only one resumes warm: G
     * starts from the EMA weights, D from a fresh initialization, Adam's moments from zero and the step count
     * from 0 (so Adam's bias correction and the EMA's warm-up start over with them).
     */
    public static SynthNet fromBytes(byte[] bytes, SynthConfig cfg) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            SynthNet net = new SynthNet(in.readInt(), in.readInt(), cfg);
            net.steps = in.readLong();
            net.lastG = in.readDouble();
            net.lastD = in.readDouble();
            INDArray[] arrays = {net.g.params(), net.d.params(), net.g.getUpdater().getStateViewArray(),
                net.d.getUpdater().getStateViewArray(), net.ema};
            int omitted = 0;
            for (INDArray a : arrays) {
                int len = in.readInt();
                if (len == 0 && a != net.ema) {
                    omitted++;
                    continue;
                }
                if (len != a.length()) {
                    throw new IllegalArgumentException("checkpoint does not match the network shape");
                }
                float[] f = new float[len];
                for (int i = 0; i < len; i++) {
                    f[i] = in.readFloat();
                }
                a.assign(Nd4j.createFromArray(f).reshape(a.shape()).castTo(a.dataType()));
            }
            if (omitted == arrays.length - 1) {
                net.g.params().assign(net.ema);
                net.steps = 0;
            } else if (omitted != 0) {
                throw new IllegalArgumentException("checkpoint holds " + omitted + " empty arrays of 4");
            }
            return net;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int outDims() {
        return outDims;
    }

    int condDims() {
        return condDims;
    }
}
