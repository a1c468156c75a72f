package io.ganstream.engine.synth;

import io.ganstream.engine.table.TableSpec;

/**
 * The synthesizer's configuration for wide datasets (images): wider G and D, more noise, no PacGAN packing
 * (pac 10 would make D's input 10 x 794 wide and its analytic gradient penalty ten times as costly, for a
 * mode-collapse guard that the per-label conditioning already gives images), a smaller batch, Adam at 1e-3
 * (at CTGAN's rate the digits learnt their shapes but not their labels; docs/models.md has the measurement)
 * and replay buffers capped by bytes ({@link TableSpec#replayRows}). Tables are left as they are.
 */
public final class WideSynth {
    static final int NOISE = 64;
    static final int HIDDEN = 256;
    static final int BATCH = 64;
    static final double LEARNING_RATE = 1e-3;

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
}
