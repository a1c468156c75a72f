package io.ganstream.engine.nn;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The network's own updater configuration (Adam with its learning-rate schedule) applied to the whole flat
 * gradient at once, on the network's own updater state view, followed by {@code params -= update}.
 *
 * <p>Why not {@code net.getUpdater().update(...)}: for every parameter array of every layer that call creates
 * views and reshapes to apply regularization (even when none is configured) before the one Adam op over the
 * block; for our small nets that bookkeeping was ~1/8 of a GAIN step (JFR). And the Adam arithmetic itself runs
 * in Java ({@link #adamStep}): ND4J's op was a third of a synthesizer step. Valid because these nets have a
 * single updater block: one updater configuration for all layers, no regularization, no gradient
 * normalization, {@code miniBatch(false)} (checked at construction). The state view is the same array, so
 * checkpoints keep their format and {@code getUpdater().getStateViewArray()} stays current.
 */
public final class FlatAdam {
    private final MultiLayerNetwork net;
    private final GradientUpdater<?> updater;

    /** Elements per chunk of {@link #adamStep}: 4 x 16 KB of scratch per network, whatever its size. */
    private static final int CHUNK = 4_096;

    /** The Adam configuration when the updater is Adam on FLOAT parameters (the Java step), else null. */
    private final Adam adam;
    private final float[] g = new float[CHUNK];
    private final float[] m = new float[CHUNK];
    private final float[] v = new float[CHUNK];
    private final float[] p = new float[CHUNK];

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
        this.adam = config instanceof Adam a && net.params().dataType() == DataType.FLOAT ? a : null;
    }

    /**
     * Turns the network's flat gradient (DL4J's layout, as {@link DenseStack#parameterGradient} fills it) into
     * the update for iteration {@code iteration} and subtracts it from the parameters. Adam runs as
     * {@link #adamStep} (the gradient array is then left as it was); any other updater as DL4J's
     * {@link GradientUpdater} on the flat gradient, in place.
     */
    public void apply(INDArray flatGradient, int iteration) {
        if (adam == null) {
            updater.applyUpdater(flatGradient, iteration, 0);
            net.params().subi(flatGradient);
            return;
        }
        adamStep(flatGradient, iteration);
    }

    /**
     * DL4J's Adam step (the arithmetic of libnd4j's {@code adam_updater}, in float: {@code m = b1 m + (1 - b1) g},
     * {@code v = b2 v + (1 - b2) g^2}, {@code p -= m * lr sqrt(1 - b2^(t+1)) / (1 - b1^(t+1)) / (sqrt(v) + eps)},
     * with the schedule's learning rate) on the same state view (m = first half, v = second half), in chunks
     * copied to Java arrays.
     *
     * <p>Why: ND4J's op ran single-threaded at ~9 ns per parameter (1.19 ms for a 126k-parameter discriminator:
     * a third of a synthesizer step), this loop at ~1.2 ns including the copies ({@code DenseStackTest} checks
     * that parameters and state match the op's to float rounding).
     */
    private void adamStep(INDArray flatGradient, int iteration) {
        INDArray params = net.params();
        INDArray state = net.getUpdater().getStateViewArray();
        int n = (int) params.length();
        if (flatGradient.length() != n || state.length() != 2L * n) {
            throw new IllegalArgumentException("gradient/state do not match the parameters");
        }
        float b1 = (float) adam.getBeta1();
        float b2 = (float) adam.getBeta2();
        float eps = (float) adam.getEpsilon();
        float lr = (float) adam.getLearningRate(iteration, 0);
        float beta1T = (float) Math.pow(b1, iteration + 1);
        float beta2T = (float) Math.pow(b2, iteration + 1);
        float stepSize = lr * (float) Math.sqrt(1f - beta2T) / (1f - beta1T);
        if (Float.isNaN(stepSize) || Float.isInfinite(stepSize) || stepSize == 0f) {
            stepSize = eps; // what the op does
        }
        FloatBuffer gb = buffer(flatGradient);
        FloatBuffer mb = buffer(state);
        FloatBuffer vb = buffer(state);
        vb.position(vb.position() + n);
        FloatBuffer pb = buffer(params);
        int mStart = mb.position();
        int vStart = vb.position();
        int pStart = pb.position();
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            gb.get(g, 0, len);
            mb.get(mStart + from, m, 0, len);
            vb.get(vStart + from, v, 0, len);
            pb.get(pStart + from, p, 0, len);
            for (int i = 0; i < len; i++) {
                float gi = g[i];
                float mi = b1 * m[i] + gi * (1f - b1);
                float vi = b2 * v[i] + gi * gi * (1f - b2);
                m[i] = mi;
                v[i] = vi;
                p[i] -= mi * stepSize / ((float) Math.sqrt(vi) + eps);
            }
            mb.put(mStart + from, m, 0, len);
            vb.put(vStart + from, v, 0, len);
            pb.put(pStart + from, p, 0, len);
        }
    }

    /** The array's float buffer positioned at its first element (plain, contiguous arrays only). */
    private static FloatBuffer buffer(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.elementWiseStride() != 1) {
            throw new IllegalArgumentException("FLOAT contiguous arrays only");
        }
        FloatBuffer b = a.data().asNioFloat();
        b.position((int) a.offset());
        return b;
    }
}
