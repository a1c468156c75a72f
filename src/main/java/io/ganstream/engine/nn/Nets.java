package io.ganstream.engine.nn;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * DL4J plumbing for the synthesizer, with the engine's process-wide ND4J settings ({@code Dl4j.init}): FLOAT,
 * no helpers, 1 ND4J thread (fast for tiny ops and bit-reproducible), JavaCPP RSS check off by default,
 * miniBatch(false) (external errors are batch means). Training passes run through {@code DenseStack}.
 */
public final class Nets {
    public static final DataType DTYPE = DataType.FLOAT;
    private Nets() {
    }

    /** The engine's process-wide ND4J settings (one thread, no helpers, no profiling, no RSS check). */
    public static void init() {
        io.ganstream.engine.nn.Dl4j.init();
    }

    /** {@code in -> h (act) -> h (act) -> out (identity)}, Xavier init, Adam(lr, 0.5, 0.9). */
    public static MultiLayerNetwork mlp(int in, int hidden, int out, IActivation act, long seed, double lr) {
        init();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DTYPE)
                .updater(new Adam(lr, 0.5, 0.9, 1e-8))
                .weightInit(WeightInit.XAVIER)
                .miniBatch(false)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(CacheMode.NONE)
                .list()
                .layer(new DenseLayer.Builder().nIn(in).nOut(hidden).activation(act).build())
                .layer(new DenseLayer.Builder().nIn(hidden).nOut(hidden).activation(act).build())
                .layer(new DenseLayer.Builder().nIn(hidden).nOut(out).activation(new ActivationIdentity()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.getUpdater(true);
        return net;
    }

    public static IActivation relu() {
        return new ActivationReLU();
    }

    public static IActivation lrelu(double slope) {
        return new ActivationLReLU(slope);
    }

    public static INDArray matrix(int rows, int cols) {
        return Nd4j.create(DTYPE, rows, cols);
    }

    public static float[] floats(INDArray a) {
        return a.dup().data().asFloat();
    }
}
