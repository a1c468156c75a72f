package io.ganstream.bench;

import io.ganstream.engine.impute.GainStepFixture;
import io.ganstream.engine.synth.SynthStepFixture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training iteration (one discriminator update + one generator update, Adam) of the imputer
 * ({@code GainNet}, dims = columns, hidden = the default width for that many dims) and of the synthesizer
 * ({@code SynthNet}, 70% numeric / 30% 5-category columns, hidden 128, pac 8) at batch 128 on one thread.
 * {@code src/test/scripts/train-steps.sh} runs it back to back with the matching PyTorch steps (see README, "Speed").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TrainStepBenchmark {
    private static final int BATCH = 128;
    /** PacGAN group size: 128 rows = 16 groups of 8 (the default 10 does not divide 128). */
    private static final int PAC = 8;

    @Param({"10", "30", "100"})
    int columns;

    private GainStepFixture gain;
    private SynthStepFixture synth;

    @Setup(Level.Trial)
    public void setUp() {
        gain = new GainStepFixture(columns, BATCH);
        synth = new SynthStepFixture(columns, BATCH, PAC);
    }

    /** Imputer: {@code GainNet.trainStep} on 128 rows. */
    @Benchmark
    public double gainIteration() {
        gain.step();
        return gain.lastLoss();
    }

    /** Synthesizer: {@code SynthNet.trainStep} (WGAN-GP with the analytic penalty) on 128 rows. */
    @Benchmark
    public double synthIteration() {
        synth.step();
        return synth.lastLoss();
    }

    /** Prints the network shapes per column count, for the matching {@code torch_step.py} commands. */
    public static void main(String[] args) {
        for (String c : args.length > 0 ? args : new String[] {"10", "30", "100"}) {
            int cols = Integer.parseInt(c);
            GainStepFixture g = new GainStepFixture(cols, BATCH);
            SynthStepFixture s = new SynthStepFixture(cols, BATCH, PAC);
            System.out.printf("columns=%d gain --dim %d --hidden %d | synthG mlp --sizes %s --batch %d"
                            + " | synthD mlp --sizes %s --batch %d%n", cols, g.dims(), g.hidden(),
                    join(s.generatorSizes()), BATCH, join(s.discriminatorSizes()), 2 * BATCH / PAC);
        }
    }

    private static String join(int[] a) {
        StringBuilder b = new StringBuilder();
        for (int x : a) {
            b.append(b.length() == 0 ? "" : ",").append(x);
        }
        return b.toString();
    }
}
