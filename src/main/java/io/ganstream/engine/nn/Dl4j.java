package io.ganstream.engine.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Deeplearning4j plumbing for the GAIN networks: the (one-time, process-wide) ND4J settings, the
 * {@link MultiLayerNetwork} definition, and bulk copies between Java arrays and small INDArrays.
 *
 * <p>The settings are fixed: FLOAT values (half the memory and checkpoint bytes of DOUBLE), workspaces on, no
 * layer cache, no OneDNN helpers (for these tiny ops they cost more than they save) and one ND4J thread (fast
 * for tiny ops, and what makes training bit-reproducible). docs/models.md has the measurements behind them.
 */
public final class Dl4j {
    static {
        // JavaCPP checks the process RSS (a /proc read) on EVERY native allocation while maxPhysicalBytes > 0;
        // with thousands of tiny ND4J buffers per GAIN step that check alone was ~1/3 of the native time.
        // Only a default: an explicit -Dorg.bytedeco.javacpp.maxPhysicalBytes wins. Effective only if this
        // class is initialised before JavaCPP's Pointer class (else pass the flag on the JVM command line).
        if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null
                && System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
    }

    /** Bytes of one value of the nets' data type (what a checkpoint stores per parameter). */
    public static int bytesPerValue() {
        return DTYPE.width();
    }

    /** The nets' data type. */
    public static final DataType DTYPE = DataType.FLOAT;
    /** DL4J workspaces for training and inference passes. */
    public static final WorkspaceMode WS = WorkspaceMode.ENABLED;
    /** DL4J's layer cache: none. */
    public static final CacheMode CACHE = CacheMode.NONE;
    /** Whether ND4J may use its platform helpers (OneDNN): no. */
    public static final boolean HELPERS = false;
    /** ND4J and BLAS threads: one. */
    public static final int THREADS = 1;

    private static volatile boolean initialized;
    /** Per trainer thread: the float copy {@link #read} converts from. */
    private static final ThreadLocal<float[]> READ_SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[][]> BLEND_SCRATCH =
            ThreadLocal.withInitial(() -> new float[][] {new float[4_096], new float[4_096]});

    private Dl4j() {
    }

    /** Process-wide ND4J settings for many tiny ops; idempotent. Every DL4J model of the engine calls it. */
    public static void init() {
        if (initialized) {
            return;
        }
        synchronized (Dl4j.class) {
            if (initialized) {
                return;
            }
            Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
            Nd4j.getEnvironment().setProfiling(false);
            Nd4j.getEnvironment().setDebug(false);
            Nd4j.getEnvironment().setVerbose(false);
            Nd4j.getEnvironment().allowHelpers(HELPERS);
            Nd4j.getEnvironment().setMaxThreads(THREADS);
            Nd4j.getEnvironment().setMaxMasterThreads(THREADS);
            Nd4j.factory().blas().setMaxThreads(THREADS);
            initialized = true;
        }
    }

    /**
     * {@code in -> hidden (ReLU) -> hidden (ReLU) -> out (identity)}; Xavier init from {@code seed}; Adam with
     * {@code lr} (decayed as {@code lr / (1 + t / halfLife)} when halfLife > 0). No minibatch division in the
     * updater: the GAIN losses fed in as external errors are already means.
     */
    public static MultiLayerNetwork mlp(int in, int hidden, int out, long seed, double lr, int halfLife) {
        return mlp(in, hidden, 2, out, seed, lr, halfLife);
    }

    /** As {@link #mlp(int, int, int, long, double, int)} with {@code hiddenLayers} ReLU layers of {@code hidden}. */
    public static MultiLayerNetwork mlp(int in, int hidden, int hiddenLayers, int out, long seed, double lr, int halfLife) {
        init();
        Adam adam = halfLife > 0
                ? new Adam(new InverseSchedule(ScheduleType.ITERATION, lr, 1.0 / halfLife, 1.0))
                : new Adam(lr);
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DTYPE)
                .updater(adam)
                .weightInit(WeightInit.XAVIER)
                .miniBatch(false)
                .trainingWorkspaceMode(WS)
                .inferenceWorkspaceMode(WS)
                .cacheMode(CACHE)
                .list();
        for (int l = 0; l < hiddenLayers; l++) {
            list.layer(new DenseLayer.Builder().nIn(l == 0 ? in : hidden).nOut(hidden).activation(Activation.RELU)
                    .build());
        }
        MultiLayerConfiguration conf = list
                .layer(new DenseLayer.Builder().nIn(hidden).nOut(out).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.getUpdater(true); // create the updater (and its state view) now
        return net;
    }

    /** A new zeroed c-order matrix of the network data type. */
    public static INDArray matrix(int rows, int cols) {
        return Nd4j.create(DTYPE, rows, cols);
    }

    /** Copies a row-major Java array into a c-order, non-view INDArray of the same length. */
    public static void write(double[] src, INDArray dst, float[] scratch) {
        if (dst.dataType() == DataType.FLOAT) {
            int n = (int) dst.length();
            for (int i = 0; i < n; i++) {
                scratch[i] = (float) src[i];
            }
            FloatBuffer fb = dst.data().asNioFloat();
            fb.put(scratch, 0, n);
        } else {
            DoubleBuffer db = dst.data().asNioDouble();
            db.put(src, 0, (int) dst.length());
        }
    }

    /** Copies a 2-D INDArray (c or f order, any strides) into a row-major Java array. */
    public static void read(INDArray src, double[] dst) {
        int rows = (int) src.size(0);
        int cols = (int) src.size(1);
        boolean plain = !src.isView() && src.offset() == 0 && src.data().length() == (long) rows * cols;
        if (!plain) {
            src = src.dup('c');
        }
        boolean f = src.ordering() == 'f' && rows > 1 && cols > 1;
        if (src.dataType() == DataType.FLOAT) {
            // one bulk copy, then plain array reads (per-element buffer reads cost ~5x more)
            float[] v = READ_SCRATCH.get();
            if (v.length < rows * cols) {
                v = new float[rows * cols];
                READ_SCRATCH.set(v);
            }
            src.data().asNioFloat().get(v, 0, rows * cols);
            if (!f) {
                for (int i = 0; i < rows * cols; i++) {
                    dst[i] = v[i];
                }
            } else {
                for (int c = 0; c < cols; c++) {
                    for (int r = 0; r < rows; r++) {
                        dst[r * cols + c] = v[c * rows + r];
                    }
                }
            }
        } else {
            DoubleBuffer db = src.data().asNioDouble();
            if (!f) {
                db.get(0, dst, 0, rows * cols);
            } else {
                for (int c = 0; c < cols; c++) {
                    for (int r = 0; r < rows; r++) {
                        dst[r * cols + c] = db.get(c * rows + r);
                    }
                }
            }
        }
    }

    /**
     * {@code ema = k * ema + (1 - k) * params} over two contiguous FLOAT arrays of the same length, as one Java
     * loop over bulk copies in chunks (two ND4J ops, a scale and an axpy, cost ~3x more at our sizes).
     */
    public static void blendInto(INDArray ema, INDArray params, double k) {
        int n = (int) ema.length();
        if (params.length() != n || ema.dataType() != DataType.FLOAT || params.dataType() != DataType.FLOAT
                || ema.elementWiseStride() != 1 || params.elementWiseStride() != 1) {
            throw new IllegalArgumentException("two contiguous FLOAT arrays of one length expected");
        }
        float keep = (float) k;
        float take = (float) (1 - k);
        FloatBuffer e = ema.data().asNioFloat();
        FloatBuffer p = params.data().asNioFloat();
        int eo = (int) ema.offset();
        int po = (int) params.offset();
        float[][] scratch = BLEND_SCRATCH.get();
        float[] a = scratch[0];
        float[] b = scratch[1];
        for (int from = 0; from < n; from += a.length) {
            int len = Math.min(a.length, n - from);
            e.position(eo + from);
            e.get(a, 0, len);
            p.position(po + from);
            p.get(b, 0, len);
            for (int i = 0; i < len; i++) {
                a[i] = keep * a[i] + take * b[i];
            }
            e.position(eo + from);
            e.put(a, 0, len);
        }
    }

    /** Flat copy of a vector-like INDArray as double[]. */
    public static double[] toDoubles(INDArray a) {
        return a.dup().data().asDouble();
    }

    /**
     * Splits a DL4J flat parameter vector of a dense MLP ({@code sizes}) into per-layer row-major
     * {@code W[in][out]} and {@code b[out]}. DL4J stores each layer as W in 'f' (column-major) order then b.
     */
    public static void unflatten(double[] flat, int[] sizes, double[][] w, double[][] b) {
        int p = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            if (w[l] == null) {
                w[l] = new double[in * out];
                b[l] = new double[out];
            }
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    w[l][i * out + o] = flat[p + o * in + i];
                }
            }
            p += in * out;
            System.arraycopy(flat, p, b[l], 0, out);
            p += out;
        }
    }
}
