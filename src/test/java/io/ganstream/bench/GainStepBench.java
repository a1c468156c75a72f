package io.ganstream.bench;

import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainNet;
import io.ganstream.engine.nn.Dl4j;
import io.ganstream.engine.nn.ReferenceMlp;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Per-step training time: the DL4J {@link GainNet#trainStep} versus the same network work done by the
 * plain-Java {@link ReferenceMlp} (G fwd+bwd, D fwd + 2 bwd, 2 Adam updates; loss math excluded).
 * {@code java ... io.ganstream.bench.GainStepBench [columns=12] [hidden=64] [batch=128] [steps=1500]}
 * (the ND4J settings it prints are fixed: {@link Dl4j}).
 */
public final class GainStepBench {
    public static void main(String[] args) {
        int cols = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 1500;
        List<Column> cl = new ArrayList<>();
        for (int i = 0; i < cols; i++) {
            cl.add(Column.continuous("c" + i, Double.NaN, Double.NaN));
        }
        TableSpec spec = new TableSpec(cl);
        Random r = new Random(1);
        ColumnStats stats = new ColumnStats(spec);
        double[][] rows = new double[batch][cols];
        for (double[] row : rows) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextDouble() < 0.2 ? Double.NaN : r.nextGaussian();
            }
            stats.observe(row);
        }
        Encoder enc = stats.snapshot();
        GainConfig cfg = GainConfig.defaults().withNetwork(hidden, 300, 0.9, 2e-3, 0);
        GainNet net = new GainNet(enc.dims(), cfg);
        double dl4j = time(() -> net.trainStep(rows, enc), steps);
        int d = enc.dims();
        int[] sizes = {2 * d, hidden, hidden, d};
        ReferenceMlp g = new ReferenceMlp(sizes, new Random(1));
        ReferenceMlp dn = new ReferenceMlp(sizes, new Random(2));
        double[] x = new double[batch * 2 * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 2 == 0 ? r.nextDouble() : 0;
        }
        double plain = time(() -> {
            System.arraycopy(x, 0, g.input(batch), 0, x.length);
            g.forward(batch);
            System.arraycopy(x, 0, dn.input(batch), 0, x.length);
            dn.forward(batch);
            java.util.Arrays.fill(dn.outputDelta(), 1e-3);
            dn.backward(batch, false, true);
            dn.backward(batch, true, false);
            dn.adam(1e-3, 0.9, 0.999, 1e-8);
            java.util.Arrays.fill(g.outputDelta(), 1e-3);
            g.backward(batch, true, false);
            g.adam(1e-3, 0.9, 0.999, 1e-8);
        }, steps);
        System.out.printf("dims=%d hidden=%d batch=%d dtype=%s ws=%s cache=%s helpers=%s threads=%d: "
                + "DL4J GAIN step %.3f ms, plain-Java reference nets %.3f ms%n", d, hidden, batch, Dl4j.DTYPE,
                Dl4j.WS, Dl4j.CACHE, Dl4j.HELPERS, Dl4j.THREADS, dl4j, plain);
    }

    private static double time(Runnable step, int steps) {
        for (int i = 0; i < Math.max(50, steps / 5); i++) {
            step.run();
        }
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < steps / 3; i++) {
                step.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e6 / (steps / 3));
        }
        return best;
    }
}
