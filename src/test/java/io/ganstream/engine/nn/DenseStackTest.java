package io.ganstream.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * {@link DenseStack} + {@link FlatAdam} compute what DL4J's own training path computes ({@code feedForward},
 * {@code backpropGradient}, the network's updater): outputs, input gradients, parameter gradients and the
 * weights and Adam state after several steps, for the ReLU nets of the imputer and the leaky-ReLU nets of the
 * synthesizer, with a learning-rate schedule and with the batch size changing between steps.
 */
class DenseStackTest {
    private static final int IN = 14;
    private static final int H = 24;
    private static final int OUT = 7;

    /** Float products may be summed in another order than DL4J's: relative 1e-5 of the array's scale. */
    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        assertEquals(e.length, a.length, what + " length");
        double scale = 1e-12;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(e[i] - a[i]));
        }
        assertTrue(worst <= 1e-5 * scale, what + ": max abs diff " + worst + " at scale " + scale);
    }

    private static INDArray random(Random r, int rows, int cols, double scale) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 5 == 0 ? 0.0 : r.nextGaussian() * scale; // exact zeros like masked GAIN inputs
        }
        INDArray a = Dl4j.matrix(rows, cols);
        Dl4j.write(v, a, new float[v.length]);
        return a;
    }

    private static MultiLayerNetwork leaky(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Adam(2e-3, 0.5, 0.9, 1e-8)).weightInit(WeightInit.XAVIER).miniBatch(false).list()
                .layer(new DenseLayer.Builder().nIn(IN).nOut(H).activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nIn(H).nOut(H).activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nIn(H).nOut(OUT).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.getUpdater(true);
        return net;
    }

    private static void matchesDl4j(MultiLayerNetwork a, MultiLayerNetwork b) {
        Random r = new Random(7);
        DenseStack stack = new DenseStack(b);
        FlatAdam adam = new FlatAdam(b);
        int[] batches = {32, 32, 17, 32, 32, 5};
        for (int step = 0; step < batches.length; step++) {
            int n = batches[step];
            INDArray x = random(r, n, IN, 1.0);
            INDArray e1 = random(r, n, OUT, 0.1);
            INDArray e2 = random(r, n, OUT, 0.1);

            a.setInput(x);
            List<INDArray> acts = a.feedForward(true, false);
            INDArray outA = acts.get(acts.size() - 1).dup();
            INDArray epsA = a.backpropGradient(e1.dup(), LayerWorkspaceMgr.noWorkspaces()).getSecond().dup();
            Pair<Gradient, INDArray> p = a.backpropGradient(e2.dup(), LayerWorkspaceMgr.noWorkspaces());
            INDArray gradA = p.getFirst().gradient().dup();
            INDArray epsA2 = p.getSecond().dup();
            a.getUpdater().update(a, p.getFirst(), step, 0, n, LayerWorkspaceMgr.noWorkspaces());
            a.params().subi(p.getFirst().gradient());

            assertClose(outA, stack.forward(x), "forward, step " + step);
            assertClose(epsA, stack.inputGradient(e1), "input gradient, step " + step);
            INDArray gradB;
            if (step % 2 == 0) {
                gradB = stack.parameterGradient(e2);
            } else {
                assertClose(epsA2, stack.parameterAndInputGradient(e2), "input gradient (both), step " + step);
                gradB = stack.flatGradient();
            }
            assertClose(gradA, gradB, "parameter gradient, step " + step);
            adam.apply(gradB, step);
            assertClose(a.params(), b.params(), "parameters after Adam, step " + step);
            assertClose(a.getUpdater().getStateViewArray(), b.getUpdater().getStateViewArray(),
                    "Adam state, step " + step);
        }
    }

    @Test
    void reluNetworkMatchesDl4jsOwnTrainingPath() {
        MultiLayerNetwork a = Dl4j.mlp(IN, H, OUT, 12, 2e-3, 3);
        MultiLayerNetwork b = Dl4j.mlp(IN, H, OUT, 12, 2e-3, 3);
        a.params().addi(0.05); // non-zero biases, so every parameter block is exercised
        b.params().addi(0.05);
        matchesDl4j(a, b);
    }

    @Test
    void deeperReluNetworkMatchesDl4jsOwnTrainingPath() {
        // the imputer's G for images has three hidden layers
        MultiLayerNetwork a = Dl4j.mlp(IN, H, 3, OUT, 13, 2e-3, 0);
        MultiLayerNetwork b = Dl4j.mlp(IN, H, 3, OUT, 13, 2e-3, 0);
        a.params().addi(0.05);
        b.params().addi(0.05);
        matchesDl4j(a, b);
    }

    @Test
    void leakyReluNetworkMatchesDl4jsOwnTrainingPath() {
        matchesDl4j(leaky(21), leaky(21));
    }

    @Test
    void rejectsWhatItDoesNotImplement() {
        MultiLayerConfiguration tanh = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).miniBatch(false)
                .updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(tanh);
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DenseStack(net));
        assertTrue(e.getMessage().contains("unsupported activation"), e.getMessage());
        DenseStack stack = new DenseStack(Dl4j.mlp(IN, H, OUT, 1, 1e-3, 0));
        assertThrows(IllegalArgumentException.class, () -> stack.forward(Dl4j.matrix(4, IN + 1)));
    }
}
