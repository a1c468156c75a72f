package io.ganstream.engine.synth;

/**
 * Counters published with every model version.
 *
 * @param version               model version (0 = none yet)
 * @param stepsTotal            G+D steps trained so far
 * @param windowsTrained        windows consumed
 * @param windowsDropped        windows refused by offerWindow (queue full or closed)
 * @param windowsFailed         windows whose training threw (logged, skipped)
 * @param rowsSeen              rows added to the replay reservoir
 * @param lastGeneratorLoss     adversarial + conditional loss of G in the last step
 * @param lastDiscriminatorLoss D loss (incl. gradient penalty) of the last step
 * @param lastPenalty           gradient penalty of the last step (0 for loss "ns")
 * @param lastWindowTrainMillis wall time of the last window
 */
public record SynthStats(long version, long stepsTotal, long windowsTrained, long windowsDropped, long windowsFailed,
                         long rowsSeen, double lastGeneratorLoss, double lastDiscriminatorLoss, double lastPenalty,
                         double lastWindowTrainMillis) {

    public static SynthStats empty() {
        return new SynthStats(0, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0);
    }

    SynthStats withDropped(long dropped) {
        return new SynthStats(version, stepsTotal, windowsTrained, dropped, windowsFailed, rowsSeen,
                lastGeneratorLoss, lastDiscriminatorLoss, lastPenalty, lastWindowTrainMillis);
    }
}
