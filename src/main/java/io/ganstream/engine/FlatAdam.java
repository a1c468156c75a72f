package io.ganstream.engine;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The network's own updater (DL4J's {@link GradientUpdater} for its configured {@link IUpdater}, e.g. Adam with
 * its learning-rate schedule) applied in one op to the whole flat gradient, on the network's own updater state
 * view, followed by {@code params -= update}.
 *
 * <p>Why not {@code net.getUpdater().update(...)}: for every parameter array of every layer that call creates
 * views and reshapes to apply regularization (even when none is configured) before the one Adam op over the
 * block; for our small nets that bookkeeping was ~1/8 of a GAIN step (JFR). Valid because these nets have a
 * single updater block: one updater configuration for all layers, no regularization, no gradient
 * normalization, {@code miniBatch(false)} (checked at construction). The state view is the same array, so
 * checkpoints keep their format and {@code getUpdater().getStateViewArray()} stays current.
 */
public final class FlatAdam {
    private final MultiLayerNetwork net;
    private final GradientUpdater<?> updater;
    /** Benchmark-only ({@code -Dgain.dl4j.netUpdater=true}): the network's MultiLayerUpdater, as before. */
    private final boolean viaNetUpdater = Boolean.getBoolean("gain.dl4j.netUpdater");

    public FlatAdam(MultiLayerNetwork net) {
        this.net = net;
        IUpdater config = null;
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            BaseLayer conf = (BaseLayer) layer.conf().getLayer();
            if (config == null) {
                config = conf.getIUpdater();
            } else if (!config.equals(conf.getIUpdater()) || conf.getBiasUpdater() != null) {
                throw new IllegalArgumentException("layers with different updaters");
            }
            if (!conf.getRegularization().isEmpty() || !conf.getRegularizationBias().isEmpty()
                    || conf.getGradientNormalization() != org.deeplearning4j.nn.conf.GradientNormalization.None) {
                throw new IllegalArgumentException("regularization/gradient normalization not supported");
            }
        }
        if (config == null || net.conf().isMiniBatch()) {
            throw new IllegalArgumentException("needs an updater and miniBatch(false)");
        }
        INDArray state = net.getUpdater(true).getStateViewArray();
        this.updater = config.instantiate(state, false);
    }

    /**
     * Turns the gradient (from {@code net.backpropGradient}) into the update for iteration {@code iteration},
     * in place, and subtracts it from the parameters.
     */
    public void apply(Gradient gradient, int iteration) {
        INDArray flat = gradient.gradient();
        if (viaNetUpdater) {
            net.getUpdater().update(net, gradient, iteration, 0, 1, LayerWorkspaceMgr.noWorkspaces());
        } else {
            updater.applyUpdater(flat, iteration, 0);
        }
        net.params().subi(flat);
    }

    /**
     * Same as {@link #apply(Gradient, int)} for the network's flat gradient array (DL4J's layout), e.g. as
     * {@link DenseStack#parameterGradient} fills it.
     */
    public void apply(INDArray flatGradient, int iteration) {
        updater.applyUpdater(flatGradient, iteration, 0);
        net.params().subi(flatGradient);
    }
}
