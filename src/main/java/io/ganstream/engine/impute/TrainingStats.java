package io.ganstream.engine.impute;

/**
 * Snapshot of a trainer's counters after a window.
 *
 * @param version           model version published with these stats (0 = none yet)
 * @param stepsTotal        mini-batch steps trained so far
 * @param windowsTrained    windows consumed by the trainer thread
 * @param windowsDropped    windows refused by {@code offerWindow} because the queue was full
 * @param windowsFailed     windows whose training threw (logged, skipped)
 * @param rowsSeen          rows added to the replay buffer
 * @param lastGeneratorLoss adversarial + alpha * reconstruction loss of the last step
 * @param lastDiscriminatorLoss discriminator cross-entropy of the last step
 * @param lastReconstructionLoss reconstruction part of the last generator loss
 * @param lastWindowTrainMillis wall time spent training the last window
 * @param heldOutRows       rows in the held-out buffer
 * @param heldOutCells      numeric cells masked for the quality estimate
 * @param heldOutRmseModel  RMSE (in [0,1] min-max units) of the model on masked held-out cells, NaN if none
 * @param heldOutRmseMean   the same for column-mean imputation
 */
public record TrainingStats(long version, long stepsTotal, long windowsTrained, long windowsDropped,
                            long windowsFailed, long rowsSeen, double lastGeneratorLoss,
                            double lastDiscriminatorLoss, double lastReconstructionLoss,
                            double lastWindowTrainMillis, int heldOutRows, int heldOutCells,
                            double heldOutRmseModel, double heldOutRmseMean) {

    public static TrainingStats empty() {
        return new TrainingStats(0, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, Double.NaN,
                Double.NaN);
    }

    TrainingStats withDropped(long dropped) {
        return new TrainingStats(version, stepsTotal, windowsTrained, dropped, windowsFailed, rowsSeen,
                lastGeneratorLoss, lastDiscriminatorLoss, lastReconstructionLoss, lastWindowTrainMillis,
                heldOutRows, heldOutCells, heldOutRmseModel, heldOutRmseMean);
    }
}
