package io.ganstream.engine.train;

/**
 * When a {@link Trainer} steps, measures, rests and wakes.
 *
 * @param minRows            rows it waits for before its first step (fewer are enough once no row has arrived
 *                           for {@code quietMillis})
 * @param quietMillis        how long the stream must be quiet before a smaller table starts learning anyway
 * @param chunkSteps         steps taken per hold of a training thread (how often it yields to others)
 * @param evalEverySteps     steps between two held-out measurements (and model versions)
 * @param patienceSteps      steps without an improvement of {@code minImprovement} after which it has converged
 * @param minImprovement     relative improvement of the best held-out measure that counts as progress
 * @param unmeasuredSteps    most steps after which a learner that cannot measure itself (too few held-out rows) is
 *                           taken as converged (fewer for small tables: 300 epochs, at least 40 measurements)
 * @param stepBudget         most steps in one stretch of learning (a wake), then it rests as converged
 * @param wakeFraction       new rows, as a share of the rows it learned from, that wake a converged trainer
 * @param driftRatio         the newest held-out rows' measure over the converged level beyond which it wakes
 * @param driftCheckRows     new held-out rows between two drift checks while it rests
 * @param publishEveryMillis least time between two published versions while learning (the first version and
 *                           the converged one are always published)
 * @param backoffFactor      while the stream lags, it sleeps this many times the time a chunk took after each
 *                           chunk (3 = a quarter of a core)
 */
public record TrainerSettings(int minRows, long quietMillis, int chunkSteps, int evalEverySteps, int patienceSteps,
                              double minImprovement, int unmeasuredSteps, long stepBudget, double wakeFraction,
                              double driftRatio, int driftCheckRows, long publishEveryMillis,
                              double backoffFactor) {

    public TrainerSettings {
        if (minRows < 1 || chunkSteps < 1 || evalEverySteps < 1 || patienceSteps < 1 || unmeasuredSteps < 1
                || stepBudget < 1 || wakeFraction <= 0 || driftRatio <= 1 || driftCheckRows < 1
                || minImprovement < 0 || backoffFactor < 0 || publishEveryMillis < 0 || quietMillis < 0) {
            throw new IllegalArgumentException("bad TrainerSettings " + this);
        }
    }

    /** Defaults for a learner measured every {@code evalEverySteps} steps. */
    public static TrainerSettings defaults(int minRows, int evalEverySteps) {
        int chunk = Math.max(1, Math.min(25, evalEverySteps));
        return new TrainerSettings(minRows, 2_000, chunk, evalEverySteps, Math.max(1_500, 10 * evalEverySteps),
                0.005, 3_000, 200_000, 0.25, 1.25, 50, 5_000, 3.0);
    }

    public TrainerSettings withStepBudget(long budget) {
        return new TrainerSettings(minRows, quietMillis, chunkSteps, evalEverySteps, patienceSteps, minImprovement,
                unmeasuredSteps, budget, wakeFraction, driftRatio, driftCheckRows, publishEveryMillis, backoffFactor);
    }

    public TrainerSettings withPatience(int patience, double improvement) {
        return new TrainerSettings(minRows, quietMillis, chunkSteps, evalEverySteps, patience, improvement,
                unmeasuredSteps, stepBudget, wakeFraction, driftRatio, driftCheckRows, publishEveryMillis,
                backoffFactor);
    }

    public TrainerSettings withPublishEvery(long millis) {
        return new TrainerSettings(minRows, quietMillis, chunkSteps, evalEverySteps, patienceSteps, minImprovement,
                unmeasuredSteps, stepBudget, wakeFraction, driftRatio, driftCheckRows, millis, backoffFactor);
    }

    public TrainerSettings withDrift(double ratio, int checkRows) {
        return new TrainerSettings(minRows, quietMillis, chunkSteps, evalEverySteps, patienceSteps, minImprovement,
                unmeasuredSteps, stepBudget, wakeFraction, ratio, checkRows, publishEveryMillis, backoffFactor);
    }

    public TrainerSettings withBackoff(double factor) {
        return new TrainerSettings(minRows, quietMillis, chunkSteps, evalEverySteps, patienceSteps, minImprovement,
                unmeasuredSteps, stepBudget, wakeFraction, driftRatio, driftCheckRows, publishEveryMillis, factor);
    }

    public TrainerSettings withQuiet(long millis) {
        return new TrainerSettings(minRows, millis, chunkSteps, evalEverySteps, patienceSteps, minImprovement,
                unmeasuredSteps, stepBudget, wakeFraction, driftRatio, driftCheckRows, publishEveryMillis,
                backoffFactor);
    }
}
