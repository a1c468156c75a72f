package io.ganstream.engine.synth;

import io.ganstream.engine.table.TableSpec;
import io.ganstream.engine.train.TrainerSettings;

/**
 * The synthesizer's configuration for wide datasets (images): wider G and D, more noise, no PacGAN packing
 * (pac 10 would make D's input 10 x 794 wide and its analytic gradient penalty ten times as costly, for a
 * mode-collapse guard that the per-label conditioning already gives images), a smaller batch, Adam at 1e-3
 * (at CTGAN's rate the digits learnt their shapes but not their labels; docs/models.md has the measurement)
 * and replay buffers capped by bytes ({@link TableSpec#replayRows}), and more patience before it counts as
 * converged ({@link #trainerSettings}). Tables are left as they are.
 */
public final class WideSynth {
    static final int NOISE = 64;
    static final int HIDDEN = 256;
    static final int BATCH = 64;
    static final double LEARNING_RATE = 1e-3;
    /** Least steps without a measured improvement before a wide synthesizer has converged. */
    static final int PATIENCE_STEPS = 5_000;

    private WideSynth() {
    }

    public static SynthConfig config(SynthConfig base, TableSpec spec) {
        if (!spec.isWide()) {
            return base;
        }
        return base.withNetwork(NOISE, HIDDEN, HIDDEN, LEARNING_RATE, LEARNING_RATE)
                .withSteps(BATCH, base.stepsPerWindow(), 1)
                .withReplay(spec.replayRows(base.replayCapacity()));
    }

    /**
     * The trainer's settings for a synthesizer of {@code spec}: for wide tables, at least {@value #PATIENCE_STEPS}
     * steps of patience. An image's held-out quality rises slowly and unevenly (a fraction of a percent per
     * thousand steps while the digits still sharpen), so the tables' patience stopped it at a point that varied
     * from run to run by thousands of steps.
     */
    public static TrainerSettings trainerSettings(TrainerSettings base, TableSpec spec) {
        return !spec.isWide() ? base
                : base.withPatience(Math.max(base.patienceSteps(), PATIENCE_STEPS), base.minImprovement());
    }
}
