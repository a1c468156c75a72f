package io.ganstream.engine.synth;

import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Standard normal draws from a seeded generator by Marsaglia's polar method, as {@link Random#nextGaussian()}
 * does, but without its lock and with {@link Math#log}/{@link Math#sqrt} instead of the {@link StrictMath} ones.
 *
 * <p>Why: the generator's training input is 128 rows of 128 noise values, 16k draws per step; through
 * {@code nextGaussian} they were ~14% of a synthesizer step (JFR). Same seed, same sequence on one JVM; not the
 * sequence {@code nextGaussian} gives, so only the training noise uses it (generation from a checkpoint keeps
 * {@code nextGaussian}, whose outputs are pinned by the checkpoint fixtures). Not thread-safe.
 */
final class NormalDraws {
    private final RandomGenerator rng;
    private double spare;
    private boolean hasSpare;

    NormalDraws(RandomGenerator rng) {
        this.rng = rng;
    }

    double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * rng.nextDouble() - 1;
            v2 = 2 * rng.nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        double k = Math.sqrt(-2 * Math.log(s) / s);
        spare = v2 * k;
        hasSpare = true;
        return v1 * k;
    }
}
