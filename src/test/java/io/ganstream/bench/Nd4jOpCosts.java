package io.ganstream.bench;

import io.ganstream.engine.nn.Dl4j;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * What single ND4J operations cost at the imputer's shapes (128 rows, 60 inputs, 64 hidden units) against the
 * same work as one Java loop over the array's buffer: the measurements behind {@code DenseStack} and
 * {@code FlatAdam} (README, "Training steps vs PyTorch"). Prints wall and thread-CPU microseconds per call.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) io.ganstream.bench.Nd4jOpCosts
 * </pre>
 */
public final class Nd4jOpCosts {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private Nd4jOpCosts() {
    }

    private static void time(String name, int calls, Runnable op) {
        for (int i = 0; i < calls / 5; i++) {
            op.run();
        }
        long c0 = MX.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            op.run();
        }
        long cpu = MX.getCurrentThreadCpuTime() - c0;
        long wall = System.nanoTime() - t0;
        System.out.printf("| %s | %.1f | %.1f |%n", name, wall / 1e3 / calls, cpu / 1e3 / calls);
    }

    public static void main(String[] args) {
        Dl4j.init();
        int n = 128;
        int in = 60;
        int h = 64;
        INDArray x = Nd4j.rand(DataType.FLOAT, n, in);
        INDArray w = Nd4j.rand(DataType.FLOAT, in, h).dup('f');
        INDArray bias = Nd4j.rand(DataType.FLOAT, 1, h);
        INDArray outC = Nd4j.create(DataType.FLOAT, n, h);
        INDArray outF = Nd4j.create(DataType.FLOAT, new long[] {n, h}, 'f');
        INDArray eps = Nd4j.rand(DataType.FLOAT, n, h);
        INDArray biasGrad = Nd4j.create(DataType.FLOAT, 1, h);
        INDArray weightGrad = Nd4j.create(DataType.FLOAT, new long[] {in, h}, 'f');
        System.out.println("| operation (128 x 60 input, 60 x 64 weights) | µs wall | µs CPU |");
        System.out.println("| --- | --- | --- |");
        time("`x.mmuli(w, out)` (DL4J's dense layer)", 20_000, () -> x.mmuli(w, outC));
        time("`Nd4j.gemm(x, w, out)`, 'c' output", 20_000, () -> Nd4j.gemm(x, w, outC, false, false, 1.0, 0.0));
        time("`Nd4j.gemm(x, w, out)`, 'f' output", 20_000, () -> Nd4j.gemm(x, w, outF, false, false, 1.0, 0.0));
        time("`Nd4j.gemm(x^T, eps)` into an 'f' weight gradient", 20_000,
                () -> Nd4j.gemm(x, eps, weightGrad, true, false, 1.0, 0.0));
        time("`out.addiRowVector(b)`", 20_000, () -> outC.addiRowVector(bias));
        time("ReLU backprop op (`relu_bp`)", 20_000,
                () -> Nd4j.exec(new RectifiedLinearDerivative(outC, eps, eps)));
        time("`eps.sum(biasGrad, 0)`", 20_000, () -> eps.sum(biasGrad, 0));
        float[] z = new float[n * h];
        float[] b = bias.data().asFloat();
        time("Java: bias + ReLU over the block (bulk copy in and out)", 20_000, () -> {
            FloatBuffer fb = outF.data().asNioFloat();
            fb.get(z);
            for (int c = 0; c < h; c++) {
                for (int r = c * n; r < (c + 1) * n; r++) {
                    z[r] = Math.max(z[r] + b[c], 0f);
                }
            }
            fb.position(0);
            fb.put(z);
        });

        int params = 126_000; // the synthesizer's discriminator at 10 columns
        INDArray grad = Nd4j.rand(DataType.FLOAT, params).muli(1e-3);
        INDArray work = grad.dup();
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2L * params);
        GradientUpdater<?> adam = new Adam(1e-3, 0.5, 0.9, 1e-8).instantiate(state, true);
        System.out.println();
        System.out.println("| Adam step over " + params + " parameters | µs wall | µs CPU |");
        System.out.println("| --- | --- | --- |");
        time("ND4J `adam_updater` op (DL4J's AdamUpdater)", 500, () -> {
            work.assign(grad);
            adam.applyUpdater(work, 5, 0);
        });
        INDArray p = Nd4j.rand(DataType.FLOAT, params);
        float[] g = new float[params];
        float[] m = new float[params];
        float[] v = new float[params];
        float[] pv = new float[params];
        time("Java loop incl. bulk copies of gradient, state and parameters", 500, () -> {
            FloatBuffer gb = grad.data().asNioFloat();
            FloatBuffer sb = state.data().asNioFloat();
            FloatBuffer pb = p.data().asNioFloat();
            gb.get(g);
            sb.get(m);
            sb.get(v);
            pb.get(pv);
            float step = (float) (1e-3 * Math.sqrt(1 - Math.pow(0.9, 6)) / (1 - Math.pow(0.5, 6)));
            for (int i = 0; i < params; i++) {
                float gi = g[i];
                m[i] = 0.5f * m[i] + 0.5f * gi;
                v[i] = 0.9f * v[i] + 0.1f * gi * gi;
                pv[i] -= m[i] * step / ((float) Math.sqrt(v[i]) + 1e-8f);
            }
            sb.position(0);
            sb.put(m);
            sb.put(v);
            pb.position(0);
            pb.put(pv);
        });
    }
}
