package io.ganstream.engine.synth;

import io.ganstream.engine.FlatAdam;
import io.ganstream.engine.WorkspaceForward;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();
    static final double TAU = 0.2;

    private final SynthConfig cfg;
    private final int outDims;
    private final int condDims;
    private final int gIn;
    private final int unit;
    private final int dIn;
    private final MultiLayerNetwork g;
    private final MultiLayerNetwork d;
    private final Random rng;
    private final INDArray ema;
    private final WorkspaceForward gPass;
    private final WorkspaceForward dPass;
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
        this.rng = new Random(cfg.seed() * 31 + 7);
        this.g = Nets.mlp(gIn, cfg.genHidden(), outDims, Nets.relu(), cfg.seed(), cfg.lrG());
        this.d = Nets.mlp(dIn, cfg.discHidden(), 1, Nets.lrelu(0.2), cfg.seed() * 0x9E3779B97F4A7C15L + 1,
                cfg.lrD());
        this.ema = g.params().dup();
        this.gPass = new WorkspaceForward(g, "ganstream-synth-G");
        this.dPass = new WorkspaceForward(d, "ganstream-synth-D");
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

    /** Training-mode forward pass, activations kept in {@code pass}'s workspace until it closes; logits to out. */
    private static void forward(WorkspaceForward pass, INDArray in, double[] out) {
        Nets.read(pass.forward(in), out);
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
        try {
            forwardBackward(real, mask, cond, condOut, condCat, layout);
        } finally {
            dPass.close(); // reverse order of opening; no-ops unless an exception left them open
            gPass.close();
        }
    }

    private void forwardBackward(double[] real, double[] mask, double[] cond, int[] condOut, int[] condCat,
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
                gin[o + j] = rng.nextGaussian();
            }
            System.arraycopy(cond, r * condDims, gin, o + nz, condDims);
        }
        Nets.write(gin, gInArr, scratch);
        forward(gPass, gInArr, gz);
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
        Nets.write(din, dInArr, scratch);
        forward(dPass, dInArr, dz);
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
        Gradient gradD;
        double epsSign;
        if (wgan) {
            // dLossG/dD(fake) = -dLossD/dD(fake): one backprop gives both D's gradient and G's input gradient
            Nets.write(errD, errDArr, scratch);
            Pair<Gradient, INDArray> p = d.backpropGradient(errDArr, NO_WS);
            Nets.read(p.getSecond(), eps);
            gradD = p.getFirst();
            epsSign = -1;
            lastPenalty = gradientPenalty(groups, gradD.gradient());
            lossD += lastPenalty;
        } else {
            Nets.write(errAdv, errAdvArr, scratch);
            Nets.read(d.backpropGradient(errAdvArr, NO_WS).getSecond(), eps);
            Nets.write(errD, errDArr, scratch);
            gradD = d.backpropGradient(errDArr, NO_WS).getFirst();
            epsSign = 1;
            lastPenalty = 0;
        }
        // D's Adam update waits until G's backprop is done: G's pass is still open and the update must not
        // allocate into it (the gradient is a view of D's own gradient array, valid after the pass closes)
        dPass.close();
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
        Nets.write(errG, errGArr, scratch);
        Gradient gradG = g.backpropGradient(errGArr, NO_WS).getFirst();
        gPass.close();
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

    private void gumbel(int s, int wd, int base, SynthLayout layout) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < wd; j++) {
            if (!layout.dimActive[s - base + j]) {
                gh[s + j] = Double.NaN;
                continue;
            }
            double u = rng.nextDouble();
            double gmb = -Math.log(-Math.log(u + 1e-20) + 1e-20);
            double v = (gz[s + j] + gmb) / TAU;
            gh[s + j] = v;
            mx = Math.max(mx, v);
        }
        double tot = 0;
        for (int j = 0; j < wd; j++) {
            if (Double.isNaN(gh[s + j])) {
                gh[s + j] = 0;
                continue;
            }
            gh[s + j] = Math.exp(gh[s + j] - mx);
            tot += gh[s + j];
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
        return penaltyBatch(d.params(), dIn, cfg.discHidden(), gpX, groups, lambda / groups, flatGrad);
    }

    /**
     * {@link #penalty} for {@code q} inputs at once (rows of {@code x}, q x dIn), each weighted {@code lambda}:
     * returns the summed penalty and adds the summed parameter gradient into {@code flatGrad} (D's flat gradient
     * layout). The three products with the wide first layer (q x dIn x h each: the whole cost) run as ND4J
     * matrix products over all rows; the h-wide rest stays in Java. Package-private for the test against
     * {@link #penalty}.
     */
    static double penaltyBatch(INDArray params, int dIn, int h, double[] x, int q, double lambda,
                               INDArray flatGrad) {
        int w1 = 0;
        int b1 = w1 + dIn * h;
        int w2 = b1 + h;
        int b2 = w2 + h * h;
        int w3 = b2 + h;
        int np = w3 + h + 1;
        // both as 1 x np row views (DL4J hands out the flat gradient as a vector)
        params = params.reshape(1, np);
        flatGrad = flatGrad.reshape(1, np);
        float[] small = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(b1, np)).dup().data().asFloat();
        INDArray wIn = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(w1, b1)).reshape('f', dIn, h);
        INDArray gIn = flatGrad.get(NDArrayIndex.point(0), NDArrayIndex.interval(w1, b1)).reshape('f', dIn, h);
        INDArray xa = Nd4j.create(params.dataType(), q, dIn);
        Nets.write(x, xa, new float[q * dIn]);
        double[] z1 = new double[q * h];
        Nets.read(xa.mmul(wIn), z1);
        double[] s1 = new double[q * h];
        double[] u1 = new double[q * h];
        double[] u2 = new double[q * h];
        double[] a1 = new double[h];
        double[] s2 = new double[q * h];
        for (int r = 0; r < q; r++) {
            int o0 = r * h;
            for (int o = 0; o < h; o++) {
                double z = z1[o0 + o] + small[o];
                s1[o0 + o] = z > 0 ? 1 : 0.2;
                a1[o] = z * s1[o0 + o];
            }
            for (int o = 0; o < h; o++) {
                double z = small[b2 - b1 + o];
                int row = w2 - b1 + o * h;
                for (int i = 0; i < h; i++) {
                    z += small[row + i] * a1[i];
                }
                s2[o0 + o] = z > 0 ? 1 : 0.2;
                u2[o0 + o] = s2[o0 + o] * small[w3 - b1 + o];
            }
            for (int o = 0; o < h; o++) {
                int row = w2 - b1 + o * h;
                double uo = u2[o0 + o];
                for (int i = 0; i < h; i++) {
                    u1[o0 + i] += small[row + i] * uo;
                }
            }
            for (int i = 0; i < h; i++) {
                u1[o0 + i] *= s1[o0 + i];
            }
        }
        INDArray u1a = Nd4j.create(params.dataType(), q, h);
        Nets.write(u1, u1a, new float[q * h]);
        double[] gv = new double[q * dIn];
        Nets.read(u1a.mmul(wIn.transpose()), gv);
        double pen = 0;
        for (int r = 0; r < q; r++) {
            double norm = 0;
            for (int i = 0; i < dIn; i++) {
                norm += gv[r * dIn + i] * gv[r * dIn + i];
            }
            norm = Math.sqrt(norm) + 1e-12;
            pen += lambda * (norm - 1) * (norm - 1);
            double coef = 2 * lambda * (norm - 1) / norm;
            for (int i = 0; i < dIn; i++) {
                gv[r * dIn + i] *= coef; // gamma = dP/dg
            }
        }
        INDArray gamma = Nd4j.create(params.dataType(), q, dIn);
        Nets.write(gv, gamma, new float[q * dIn]);
        // dP/dW1 = sum over rows of gamma^T u1, accumulated into the gradient view
        Nd4j.gemm(gamma, u1a, gIn, true, false, 1.0, 1.0);
        double[] t1 = new double[q * h];
        Nets.read(gamma.mmul(wIn), t1);
        float[] gSmall = new float[np - b1];
        for (int r = 0; r < q; r++) {
            int o0 = r * h;
            for (int o = 0; o < h; o++) {
                t1[o0 + o] *= s1[o0 + o]; // delta1
            }
            for (int o = 0; o < h; o++) {
                int row = w2 - b1 + o * h;
                double uo = u2[o0 + o];
                double t = 0;
                for (int i = 0; i < h; i++) {
                    gSmall[row + i] += (float) (uo * t1[o0 + i]);
                    t += small[row + i] * t1[o0 + i];
                }
                gSmall[w3 - b1 + o] += (float) (s2[o0 + o] * t);
            }
        }
        INDArray gRest = flatGrad.get(NDArrayIndex.point(0), NDArrayIndex.interval(b1, np));
        gRest.addi(Nd4j.createFromArray(gSmall).reshape(gRest.shape()).castTo(flatGrad.dataType()));
        return pen;
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
        ema.muli(k);
        Nd4j.getBlasWrapper().level1().axpy(ema.length(), 1 - k, g.params(), ema);
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

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.writeInt(outDims);
            out.writeInt(condDims);
            out.writeLong(steps);
            out.writeDouble(lastG);
            out.writeDouble(lastD);
            for (INDArray a : new INDArray[] {g.params(), d.params(), g.getUpdater().getStateViewArray(),
                    d.getUpdater().getStateViewArray(), ema}) {
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

    public static SynthNet fromBytes(byte[] bytes, SynthConfig cfg) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            SynthNet net = new SynthNet(in.readInt(), in.readInt(), cfg);
            net.steps = in.readLong();
            net.lastG = in.readDouble();
            net.lastD = in.readDouble();
            for (INDArray a : new INDArray[] {net.g.params(), net.d.params(), net.g.getUpdater().getStateViewArray(),
                    net.d.getUpdater().getStateViewArray(), net.ema}) {
                int len = in.readInt();
                if (len != a.length()) {
                    throw new IllegalArgumentException("checkpoint does not match the network shape");
                }
                float[] f = new float[len];
                for (int i = 0; i < len; i++) {
                    f[i] = in.readFloat();
                }
                a.assign(Nd4j.createFromArray(f).reshape(a.shape()).castTo(a.dataType()));
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
