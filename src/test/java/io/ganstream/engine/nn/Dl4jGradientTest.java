package io.ganstream.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Proves the external-error wiring of the DL4J nets: for identical weights and inputs, DL4J's forward output,
 * parameter gradients, input gradients (epsilon) and Adam updates match the hand-written {@link ReferenceMlp}.
 */
class Dl4jGradientTest {
    private static final int IN = 14;
    private static final int H = 24;
    private static final int OUT = 7;
    private static final int N = 32;
    private static final int[] SIZES = {IN, H, H, OUT};

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-4 * Math.max(1.0, Math.abs(expected[i]));
            double diff = Math.abs(expected[i] - actual[i]);
            worst = Math.max(worst, diff);
            assertTrue(diff <= tol, what + "[" + i + "]: expected " + expected[i] + " got " + actual[i]);
        }
        System.out.printf("%s: max abs diff %.2e over %d values%n", what, worst, expected.length);
    }

    private static double[] random(Random r, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian() * scale;
        }
        return a;
    }

    private static ReferenceMlp referenceWith(MultiLayerNetwork net) {
        ReferenceMlp ref = new ReferenceMlp(SIZES, new Random(0));
        double[][] w = new double[3][];
        double[][] b = new double[3][];
        Dl4j.unflatten(Dl4j.toDoubles(net.params()), SIZES, w, b);
        for (int l = 0; l < 3; l++) {
            System.arraycopy(w[l], 0, ref.w[l], 0, w[l].length);
            System.arraycopy(b[l], 0, ref.b[l], 0, b[l].length);
        }
        return ref;
    }

    private static double[] dl4jForward(MultiLayerNetwork net, double[] x) {
        INDArray in = Dl4j.matrix(N, IN);
        Dl4j.write(x, in, new float[x.length]);
        net.setInput(in);
        List<INDArray> acts = net.feedForward(true, false);
        double[] out = new double[N * OUT];
        Dl4j.read(acts.get(acts.size() - 1), out);
        return out;
    }

    private static Pair<Gradient, INDArray> dl4jBackprop(MultiLayerNetwork net, double[] err) {
        INDArray e = Dl4j.matrix(N, OUT);
        Dl4j.write(err, e, new float[err.length]);
        return net.backpropGradient(e, LayerWorkspaceMgr.noWorkspaces());
    }

    @Test
    void layoutMatchesGetParam() {
        MultiLayerNetwork net = Dl4j.mlp(IN, H, OUT, 5, 1e-3, 0);
        double[][] w = new double[3][];
        double[][] b = new double[3][];
        Dl4j.unflatten(Dl4j.toDoubles(net.params()), SIZES, w, b);
        for (int l = 0; l < 3; l++) {
            INDArray wl = net.getParam(l + "_W");
            for (int i = 0; i < SIZES[l]; i++) {
                for (int o = 0; o < SIZES[l + 1]; o++) {
                    assertEquals(wl.getDouble(i, o), w[l][i * SIZES[l + 1] + o], 0.0);
                }
            }
            assertArrayEquals(Dl4j.toDoubles(net.getParam(l + "_b")), b[l], 0.0);
        }
        assertArrayEquals(Dl4j.toDoubles(net.params()), flatten(SIZES, w, b), 0.0);
    }

    @Test
    void gradientsMatchReference() {
        Random r = new Random(3);
        MultiLayerNetwork net = Dl4j.mlp(IN, H, OUT, 11, 1e-3, 0);
        // non-zero biases so that every parameter block is exercised
        net.params().addi(0.05);
        ReferenceMlp ref = referenceWith(net);
        double[] x = random(r, N * IN, 1.0);
        for (int i = 0; i < x.length; i += 5) {
            x[i] = 0.0; // exact zeros like masked GAIN inputs
        }
        double[] e1 = random(r, N * OUT, 0.1);
        double[] e2 = random(r, N * OUT, 0.1);

        System.arraycopy(x, 0, ref.input(N), 0, x.length);
        double[] refOut = ref.forward(N).clone();
        assertClose(refOut, dl4jForward(net, x), "forward");

        // first external error: parameter gradients and input gradient
        System.arraycopy(e1, 0, ref.outputDelta(), 0, e1.length);
        double[] refIn1 = ref.backward(N, true, true).clone();
        double[] refG1 = flatten(SIZES, ref.gw, ref.gb);
        Pair<Gradient, INDArray> p1 = dl4jBackprop(net, e1);
        double[] eps1 = new double[N * IN];
        Dl4j.read(p1.getSecond(), eps1);
        assertClose(refIn1, eps1, "input gradient #1");
        assertClose(refG1, Dl4j.toDoubles(p1.getFirst().gradient()), "param gradient #1");

        // a second error on the same forward pass (GainNet backprops D twice per step)
        System.arraycopy(e2, 0, ref.outputDelta(), 0, e2.length);
        double[] refIn2 = ref.backward(N, true, true).clone();
        double[] refG2 = flatten(SIZES, ref.gw, ref.gb);
        Pair<Gradient, INDArray> p2 = dl4jBackprop(net, e2);
        double[] eps2 = new double[N * IN];
        Dl4j.read(p2.getSecond(), eps2);
        assertClose(refIn2, eps2, "input gradient #2");
        assertClose(refG2, Dl4j.toDoubles(p2.getFirst().gradient()), "param gradient #2");
    }

    @Test
    void adamUpdatesMatchReference() {
        Random r = new Random(4);
        double lr = 2e-3;
        MultiLayerNetwork net = Dl4j.mlp(IN, H, OUT, 12, lr, 0);
        ReferenceMlp ref = referenceWith(net);
        for (int step = 0; step < 3; step++) {
            double[] x = random(r, N * IN, 1.0);
            double[] e = random(r, N * OUT, 0.1);
            System.arraycopy(x, 0, ref.input(N), 0, x.length);
            ref.forward(N);
            System.arraycopy(e, 0, ref.outputDelta(), 0, e.length);
            ref.backward(N, true, false);
            ref.adam(lr, 0.9, 0.999, 1e-8);
            dl4jForward(net, x);
            Gradient grad = dl4jBackprop(net, e).getFirst();
            net.getUpdater().update(net, grad, step, 0, N, LayerWorkspaceMgr.noWorkspaces());
            net.params().subi(grad.gradient());
            assertClose(flatten(SIZES, ref.w, ref.b), Dl4j.toDoubles(net.params()), "params after Adam step " + step);
        }
    }

    /** Inverse of {@link Dl4j#unflatten}: row-major layers to the DL4J flat layout. */
    private static double[] flatten(int[] sizes, double[][] w, double[][] b) {
        int n = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            n += sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        double[] flat = new double[n];
        int p = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    flat[p + o * in + i] = w[l][i * out + o];
                }
            }
            p += in * out;
            System.arraycopy(b[l], 0, flat, p, out);
            p += out;
        }
        return flat;
    }
}
