package io.ganstream.bench;

import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainStepFixture;
import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.engine.table.TableSpec;
import io.ganstream.engine.synth.SynthStepFixture;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * How a dataset's training cost grows with its width: per column count, the CPU time of one imputer
 * iteration and one synthesizer iteration (batch 128, one thread; thread CPU time, so that other processes
 * on a shared machine do not inflate it), and the size of the imputer's {@link ModelCheckpoint} and of the
 * synthesizer's state. {@code java ... io.ganstream.bench.CostVsColumns [columns...]} (default 10 30 100 300).
 */
public final class CostVsColumns {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        String[] cols = args.length > 0 ? args : new String[] {"10", "30", "100", "300"};
        System.out.println("| columns | imputer iteration (ms CPU) | synthesizer iteration (ms CPU) "
                + "| imputer checkpoint (KB) | synthesizer state (KB) |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (String c : cols) {
            int n = Integer.parseInt(c);
            GainStepFixture gain = new GainStepFixture(n, 128);
            SynthStepFixture synth = new SynthStepFixture(n, 128, 8);
            double g = cpuMillis(gain::step);
            double s = cpuMillis(synth::step);
            System.out.printf("| %d | %.2f | %.2f | %.0f | %.0f |%n", n, g, s, gainCheckpointBytes(n) / 1024.0,
                    synth.stateBytes().length / 1024.0);
        }
    }

    /**
     * Best of 5 rounds of the mean thread CPU time per call, after a warm-up long enough for the JIT to compile
     * the steps' Java loops (100 calls left the synthesizer's at 10 columns ~50% slower than its steady state).
     */
    private static double cpuMillis(Runnable step) {
        for (int i = 0; i < 400; i++) {
            step.run();
        }
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < 40; i++) {
                step.run();
            }
            best = Math.min(best, (CPU.getCurrentThreadCpuTime() - t0) / 1e6 / 40);
        }
        return best;
    }

    /** A {@link GainLearner} for {@code columns} numeric columns, checkpointed as the service writes it. */
    private static int gainCheckpointBytes(int columns) {
        List<Column> cl = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            cl.add(Column.continuous("x" + i, Double.NaN, Double.NaN));
        }
        GainConfig config = GainConfig.defaults();
        byte[] state = new GainLearner(new TableSpec(cl), config).checkpoint();
        return new ModelCheckpoint("bench", "hash", "bench", 0L, 0L, config.seed(), state).toBytes().length;
    }
}
