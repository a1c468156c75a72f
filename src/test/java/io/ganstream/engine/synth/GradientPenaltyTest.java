package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ganstream.engine.nn.Nets;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The synthesizer's analytic gradient penalty: its value and parameter gradient, per input and batched. */
class GradientPenaltyTest {
    static {
        Nets.init();
    }

    @Test
    void analyticGradientPenaltyMatchesFiniteDifferences() {
        int in = 6;
        int h = 5;
        Random r = new Random(3);
        int np = in * h + h + h * h + h + h + 1;
        float[] p = new float[np];
        for (int i = 0; i < np; i++) {
            p[i] = (float) (r.nextGaussian() * 0.6);
        }
        double[] x = new double[in];
        for (int i = 0; i < in; i++) {
            x[i] = r.nextGaussian();
        }
        float[] grad = new float[np];
        ReferencePenalty.penalty(p, in, h, x, 10, grad);
        for (int i = 0; i < np; i++) {
            float keep = p[i];
            float eps = 1e-3f;
            p[i] = keep + eps;
            double up = ReferencePenalty.penalty(p, in, h, x, 10, null);
            p[i] = keep - eps;
            double dn = ReferencePenalty.penalty(p, in, h, x, 10, null);
            p[i] = keep;
            double fd = (up - dn) / (2 * eps);
            assertEquals(fd, grad[i], 2e-2 * Math.max(1, Math.abs(fd)), "param " + i);
        }
    }

    /** The batched penalty (ND4J products over all pac groups) equals the per-input reference, value and gradient. */
    @Test
    void batchedGradientPenaltyMatchesPerInputPenalty() {
        int in = 23;
        int h = 7;
        int q = 4;
        Random r = new Random(8);
        int np = in * h + h + h * h + h + h + 1;
        float[] p = new float[np];
        for (int i = 0; i < np; i++) {
            p[i] = (float) (r.nextGaussian() * 0.4);
        }
        double[] xs = new double[q * in];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.nextGaussian();
        }
        float[] grad = new float[np];
        double pen = 0;
        for (int k = 0; k < q; k++) {
            pen += ReferencePenalty.penalty(p, in, h, Arrays.copyOfRange(xs, k * in, (k + 1) * in), 2.5,
                    grad);
        }
        INDArray flat = Nd4j.zeros(DataType.FLOAT, 1, np);
        INDArray params = Nd4j.createFromArray(p).reshape(1, np);
        double batched = GradientPenalty.batch(params, in, h, xs, q, 2.5, flat, new GradientPenalty.Buffers());
        assertEquals(pen, batched, 1e-4 * Math.max(1, Math.abs(pen)));
        float[] got = flat.data().asFloat();
        for (int i = 0; i < np; i++) {
            assertEquals(grad[i], got[i], 1e-4 * Math.max(1, Math.abs(grad[i])), "param " + i);
        }
    }

    /**
     * D = w3 . LReLU(W2 LReLU(W1 x + b1) + b2) with identity W1 and W2, biases that keep every unit in its
     * positive part, and w3 = (0.6, 0.8): grad_x D = w3, of norm 1, so the penalty and its gradient vanish.
     */
    @Test
    void noPenaltyWhereTheInputGradientHasUnitNorm() {
        int in = 2;
        int h = 2;
        float[] p = {
            1, 0, 0, 1, // W1 ('f' order [in, out])
            10, 10, // b1
            1, 0, 0, 1, // W2
            10, 10, // b2
            0.6f, 0.8f, // w3
            0 // b3
        };
        float[] grad = new float[p.length];
        double pen = ReferencePenalty.penalty(p, in, h, new double[] {0.3, -0.2}, 10, grad);
        assertEquals(0, pen, 1e-9);
        for (float g : grad) {
            assertEquals(0, g, 1e-6);
        }
        // twice the weights of the output: norm 2, penalty lambda (2 - 1)^2
        p[12] = 1.2f;
        p[13] = 1.6f;
        assertEquals(10, ReferencePenalty.penalty(p, in, h, new double[] {0.3, -0.2}, 10, null), 1e-5);
    }

    /** {@code apply} interpolates each real/fake pac pair with one draw and weighs each group lambda / groups. */
    @Test
    void applyPenalizesInterpolatesOfRealAndFakeGroups() {
        int in = 5;
        int h = 4;
        int groups = 3;
        Random r = new Random(11);
        int np = in * h + h + h * h + h + h + 1;
        float[] p = new float[np];
        for (int i = 0; i < np; i++) {
            p[i] = (float) (r.nextGaussian() * 0.5);
        }
        double[] din = new double[2 * groups * in];
        for (int i = 0; i < din.length; i++) {
            din[i] = r.nextGaussian();
        }
        INDArray params = Nd4j.createFromArray(p).reshape(1, np);
        INDArray flat = Nd4j.zeros(DataType.FLOAT, 1, np);
        double got = new GradientPenalty(in, h).apply(params, din, groups, 6, new SplittableRandom(5), flat);
        SplittableRandom draws = new SplittableRandom(5);
        float[] grad = new float[np];
        double want = 0;
        for (int q = 0; q < groups; q++) {
            double e = draws.nextDouble();
            double[] x = new double[in];
            for (int i = 0; i < in; i++) {
                x[i] = e * din[q * in + i] + (1 - e) * din[(groups + q) * in + i];
            }
            want += ReferencePenalty.penalty(p, in, h, x, 6.0 / groups, grad);
        }
        assertEquals(want, got, 1e-4 * Math.max(1, Math.abs(want)));
        float[] flatGrad = flat.data().asFloat();
        for (int i = 0; i < np; i++) {
            assertEquals(grad[i], flatGrad[i], 1e-4 * Math.max(1, Math.abs(grad[i])), "param " + i);
        }
        assertEquals(0, new GradientPenalty(in, h).apply(params, din, groups, 0, new SplittableRandom(5), flat));
    }
}
