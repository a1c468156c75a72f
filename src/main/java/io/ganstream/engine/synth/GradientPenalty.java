package io.ganstream.engine.synth;

import io.ganstream.engine.nn.Dl4j;
import io.ganstream.engine.nn.Nets;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The synthesizer's WGAN gradient penalty {@code lambda (||grad_x D(x^)|| - 1)^2} on interpolates {@code x^} of
 * real and fake pac rows, with its gradient w.r.t. D's parameters. DL4J has no double backprop, so both are
 * computed analytically for D's shape, a 2-hidden-layer LeakyReLU(0.2) MLP {@code in -> h -> h -> 1}: the
 * activation slopes are piecewise constant, so {@code grad_x D = W1^T diag(s1) W2^T diag(s2) w3} and its
 * derivative w.r.t. W1, W2 and w3 is exact (the biases get none). {@link #batch} computes them with ND4J matrix
 * products over all pac groups at once (its tests hold it against a per-input reference in plain Java). NOT
 * thread-safe: one per net.
 */
final class GradientPenalty {
    private final int dIn;
    private final int hidden;
    /** The interpolates of the current step, one row per pac group. */
    private double[] x;
    private final Buffers buffers = new Buffers();

    /** The penalty of a D of input width {@code dIn} and hidden width {@code hidden}. */
    GradientPenalty(int dIn, int hidden) {
        this.dIn = dIn;
        this.hidden = hidden;
    }

    /**
     * The penalty on interpolates of the real/fake pac rows in {@code din} (the {@code groups} real rows, then
     * the {@code groups} fake ones, {@code dIn} values each; one uniform draw a group), each weighted
     * {@code lambda / groups}; adds its parameter gradient into D's flat gradient and returns the penalty (0
     * without a draw when {@code lambda <= 0}).
     */
    double apply(INDArray params, double[] din, int groups, double lambda, SplittableRandom rng,
                 INDArray flatGrad) {
        if (lambda <= 0) {
            return 0;
        }
        if (x == null || x.length != groups * dIn) {
            x = new double[groups * dIn];
        }
        for (int q = 0; q < groups; q++) {
            double e = rng.nextDouble();
            int or = q * dIn;
            int of = (groups + q) * dIn;
            for (int i = 0; i < dIn; i++) {
                x[or + i] = e * din[or + i] + (1 - e) * din[of + i];
            }
        }
        return batch(params, dIn, hidden, x, groups, lambda / groups, flatGrad, buffers);
    }

    /**
     * {@link #penalty} for {@code q} inputs at once (rows of {@code x}, q x dIn), each weighted {@code lambda}:
     * returns the summed penalty and adds the summed parameter gradient into {@code flatGrad} (D's flat gradient
     * layout). Every product (three with the wide first layer, four h x h ones) runs as one ND4J matrix product
     * over all rows into {@code buf}; only the element-wise slopes, norms and the last layer's column sums are
     * Java loops. Package-private for its test.
     */
    static double batch(INDArray params, int dIn, int h, double[] x, int q, double lambda,
                        INDArray flatGrad, Buffers buf) {
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

    /** Scratch arrays of {@link #batch}, kept between steps. */
    static final class Buffers {
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

        /** The views of {@code params} and {@code flatGrad}, made once per pair of arrays (D keeps its own arrays). */
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
}
