package io.ganstream.engine.nn;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training passes (forward, input gradient, parameter gradient) of a {@link MultiLayerNetwork} made of
 * {@link DenseLayer}s, computed on the network's own parameter and gradient arrays with one ND4J matrix product
 * per layer and direction, everything else (bias, activation, its derivative, bias gradient) in one Java loop
 * over the same buffers.
 *
 * <p>Why: for our 128-row batches DL4J's per-op cost dominates the arithmetic. A product of 128×60 by 60×64
 * takes ~20 µs as one {@code Nd4j.gemm}, ~120 µs through {@code mmuli} (which computes into a temporary and
 * copies), and every further ND4J op (row-vector add, ReLU, ReLU backprop, column sum) costs 10–25 µs of
 * dispatch for a few µs of work; the same element-wise work in a Java loop over the array's buffer takes ~5 µs.
 * {@code backpropGradient} also recomputes each layer's pre-activation and computes the parameter gradient even
 * when only the input gradient is wanted (the GAIN generator's adversarial term). Here a GAIN iteration needs 19
 * products and no other op but the two Adam updates, where DL4J's own path ran 88 ops.
 *
 * <p>The results are DL4J's: the same definitions (weights, biases, activations, Adam state, flat gradient
 * layout), the same products; {@code DenseStackTest} checks outputs, input gradients, parameter gradients and
 * the weights after Adam steps against {@code feedForward}/{@code backpropGradient}. FLOAT networks with ReLU,
 * leaky ReLU or identity activations (what the engine builds); anything else is rejected at construction.
 * Buffers are allocated once per batch size, outside any workspace. Not thread-safe: owned by the trainer thread.
 */
public final class DenseStack {
    private enum Act { IDENTITY, RELU, LEAKY }

    private final MultiLayerNetwork net;
    private final int depth;
    /** Widths: input, then each layer's output. */
    private final int[] sizes;
    private final Act[] acts;
    private final float[] slopes;
    /** Weight views ({@code [in, out]}, 'f' order, into the network's flat parameters). */
    private final INDArray[] weights;
    /** Weight-gradient views, same layout, into the network's flat gradient. */
    private final INDArray[] weightGrads;
    /** Offsets of each layer's bias in the flat parameter (and gradient) buffer. */
    private final long[] biasOffsets;
    private final INDArray flatGrad;

    private int rows = -1;
    private INDArray input;
    /** Each layer's activations {@code [rows, out]}, 'f' order (column-contiguous). */
    private INDArray[] activations;
    /** dLoss/d(pre-activation) of the hidden layers, same shapes as their activations. */
    private INDArray[] deltas;
    private INDArray inputGrad;
    /** Java-side copies for the element-wise loops (bulk copies beat per-element buffer access ~10x). */
    private float[] work = new float[0];
    private float[] work2 = new float[0];
    private final float[] bias;

    public DenseStack(MultiLayerNetwork net) {
        this.net = net;
        Layer[] layers = net.getLayers();
        this.depth = layers.length;
        this.sizes = new int[depth + 1];
        this.acts = new Act[depth];
        this.slopes = new float[depth];
        this.weights = new INDArray[depth];
        this.weightGrads = new INDArray[depth];
        this.biasOffsets = new long[depth];
        if (net.params().dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("FLOAT networks only, got " + net.params().dataType());
        }
        if (net.conf().isMiniBatch()) {
            throw new IllegalArgumentException("needs miniBatch(false): the errors fed in are already means");
        }
        if (net.getFlattenedGradients() == null) {
            net.initGradientsView(); // DL4J creates it lazily, at the first backprop or updater
        }
        INDArray grads = net.getFlattenedGradients();
        if (grads.isView() || net.params().isView() || grads.length() != net.params().length()) {
            throw new IllegalStateException("unexpected flat parameter/gradient arrays");
        }
        // the updater and params.subi(...) want the parameters' shape ([n]); DL4J keeps the gradient as [1, n]
        this.flatGrad = grads.reshape(net.params().shape());
        for (int l = 0; l < depth; l++) {
            if (!(layers[l].conf().getLayer() instanceof DenseLayer dense)) {
                throw new IllegalArgumentException("layer " + l + " is not a DenseLayer");
            }
            sizes[l] = (int) dense.getNIn();
            sizes[l + 1] = (int) dense.getNOut();
            IActivation fn = dense.getActivationFn();
            if (fn instanceof ActivationIdentity) {
                acts[l] = Act.IDENTITY;
            } else if (fn instanceof ActivationReLU relu && relu.getMax() == null && relu.getThreshold() == null
                    && relu.getNegativeSlope() == null) {
                acts[l] = Act.RELU;
            } else if (fn instanceof ActivationLReLU leaky) {
                acts[l] = Act.LEAKY;
                slopes[l] = (float) leaky.getAlpha();
            } else {
                throw new IllegalArgumentException("unsupported activation " + fn + " in layer " + l);
            }
            INDArray w = layers[l].getParam("W");
            INDArray b = layers[l].getParam("b");
            if (w.ordering() != 'f' || w.length() != (long) sizes[l] * sizes[l + 1] || b.length() != sizes[l + 1]) {
                throw new IllegalArgumentException("unexpected parameter layout in layer " + l);
            }
            weights[l] = w;
            weightGrads[l] = Nd4j.create(flatGrad.data(), w.shape(), w.stride(), w.offset(), 'f');
            biasOffsets[l] = b.offset();
        }
        int widest = 0;
        for (int size : sizes) {
            widest = Math.max(widest, size);
        }
        this.bias = new float[widest];
    }

    /** The network these passes train. */
    public MultiLayerNetwork network() {
        return net;
    }

    private void ensure(int n) {
        if (n == rows) {
            return;
        }
        rows = n;
        activations = new INDArray[depth];
        deltas = new INDArray[depth];
        for (int l = 0; l < depth; l++) {
            activations[l] = Nd4j.create(DataType.FLOAT, new long[] {n, sizes[l + 1]}, 'f');
            deltas[l] = Nd4j.create(DataType.FLOAT, new long[] {n, sizes[l + 1]}, 'f');
        }
        inputGrad = Nd4j.create(DataType.FLOAT, new long[] {n, sizes[0]}, 'f');
        int widest = 0;
        for (int size : sizes) {
            widest = Math.max(widest, size);
        }
        work = new float[n * widest];
        work2 = new float[n * widest];
    }

    /**
     * Training-mode forward pass of {@code x} ({@code [rows, in]}, any order, not modified and kept by reference
     * until the next forward); returns the output activations ({@code [rows, out]}, 'f' order, valid until the
     * next forward with another batch size).
     */
    public INDArray forward(INDArray x) {
        if (x.rank() != 2 || x.size(1) != sizes[0]) {
            throw new IllegalArgumentException("input width " + x.size(1) + " vs " + sizes[0]);
        }
        int n = (int) x.size(0);
        ensure(n);
        input = x;
        FloatBuffer params = net.params().data().asNioFloat();
        INDArray prev = x;
        for (int l = 0; l < depth; l++) {
            INDArray z = activations[l];
            Nd4j.gemm(prev, weights[l], z, false, false, 1.0, 0.0);
            int width = sizes[l + 1];
            params.position((int) biasOffsets[l]);
            params.get(bias, 0, width);
            FloatBuffer zb = z.data().asNioFloat();
            zb.get(work, 0, n * width);
            addBiasAndActivate(work, bias, n, width, acts[l], slopes[l]);
            zb.position(0);
            zb.put(work, 0, n * width);
            prev = z;
        }
        return activations[depth - 1];
    }

    /** In place on a column-major {@code n x width} block: {@code z = act(z + bias)}. */
    private static void addBiasAndActivate(float[] z, float[] bias, int n, int width, Act act, float slope) {
        for (int c = 0; c < width; c++) {
            float b = bias[c];
            int base = c * n;
            switch (act) {
                case RELU -> {
                    for (int i = base; i < base + n; i++) {
                        z[i] = Math.max(z[i] + b, 0f);
                    }
                }
                case LEAKY -> {
                    for (int i = base; i < base + n; i++) {
                        float v = z[i] + b;
                        z[i] = v < 0f ? slope * v : v;
                    }
                }
                default -> {
                    for (int i = base; i < base + n; i++) {
                        z[i] += b;
                    }
                }
            }
        }
    }

    /**
     * dLoss/dInput for the errors {@code err} = dLoss/dOutput ({@code [rows, out]}, any order) of the last forward
     * pass; the parameter gradient is neither computed nor touched. Valid until the next call on this stack.
     */
    public INDArray inputGradient(INDArray err) {
        return backward(err, false, true);
    }

    /**
     * Writes dLoss/dParameters for the errors {@code err} of the last forward pass into the network's flat
     * gradient (DL4J's layout, what its updater reads) and returns that array.
     */
    public INDArray parameterGradient(INDArray err) {
        return backward(err, true, false);
    }

    /**
     * Both at once, as {@code backpropGradient} does: the parameter gradient into the flat gradient (see
     * {@link #parameterGradient}) and dLoss/dInput returned (see {@link #inputGradient}).
     */
    public INDArray parameterAndInputGradient(INDArray err) {
        return backward(err, true, true);
    }

    /** The network's flat gradient (what {@link #parameterGradient} fills), in the parameters' shape. */
    public INDArray flatGradient() {
        return flatGrad;
    }

    private INDArray backward(INDArray err, boolean params, boolean wantInput) {
        if (input == null || err.size(0) != rows || err.size(1) != sizes[depth]) {
            throw new IllegalArgumentException("errors do not match the last forward pass");
        }
        INDArray dz = err;
        if (acts[depth - 1] != Act.IDENTITY) {
            dz = deltas[depth - 1];
            dz.assign(err);
            applyDerivative(dz, activations[depth - 1], rows * sizes[depth], acts[depth - 1], slopes[depth - 1]);
        }
        FloatBuffer grads = params ? flatGrad.data().asNioFloat() : null;
        for (int l = depth - 1; l >= 0; l--) {
            if (params) {
                Nd4j.gemm(l == 0 ? input : activations[l - 1], dz, weightGrads[l], true, false, 1.0, 0.0);
                columnSums(dz, grads, biasOffsets[l]);
            }
            if (l == 0 && !wantInput) {
                break;
            }
            INDArray below = l > 0 ? deltas[l - 1] : inputGrad;
            Nd4j.gemm(dz, weights[l], below, false, true, 1.0, 0.0);
            if (l > 0) {
                applyDerivative(below, activations[l - 1], rows * sizes[l], acts[l - 1], slopes[l - 1]);
            }
            dz = below;
        }
        return wantInput ? inputGrad : flatGrad;
    }

    /**
     * {@code delta *= act'(pre-activation)} over {@code len} elements, the sign read from the activation (the same
     * as the pre-activation's for ReLU and leaky ReLU).
     */
    private void applyDerivative(INDArray delta, INDArray activation, int len, Act kind, float slope) {
        if (kind == Act.IDENTITY) {
            return;
        }
        FloatBuffer db = delta.data().asNioFloat();
        db.get(work, 0, len);
        activation.data().asNioFloat().get(work2, 0, len);
        float[] d = work;
        float[] a = work2;
        if (kind == Act.RELU) {
            for (int i = 0; i < len; i++) {
                d[i] = a[i] > 0f ? d[i] : 0f;
            }
        } else {
            for (int i = 0; i < len; i++) {
                d[i] = a[i] < 0f ? slope * d[i] : d[i];
            }
        }
        db.position(0);
        db.put(d, 0, len);
    }

    /** Column sums of {@code m} (any order, strided) into {@code out} from {@code offset} (the bias gradient). */
    private void columnSums(INDArray m, FloatBuffer out, long offset) {
        int n = (int) m.size(0);
        int width = (int) m.size(1);
        int rs = (int) m.stride(0);
        int cs = (int) m.stride(1);
        FloatBuffer buf = m.data().asNioFloat();
        buf.position((int) m.offset());
        int span = (n - 1) * rs + (width - 1) * cs + 1;
        float[] v = span <= work.length ? work : new float[span];
        buf.get(v, 0, span);
        for (int c = 0; c < width; c++) {
            double s = 0;
            for (int r = 0; r < n; r++) {
                s += v[r * rs + c * cs];
            }
            bias[c] = (float) s;
        }
        out.position((int) offset);
        out.put(bias, 0, width);
    }
}
