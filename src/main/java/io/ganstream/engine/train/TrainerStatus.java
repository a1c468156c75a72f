package io.ganstream.engine.train;

/**
 * One model's training as its trainer sees it now.
 *
 * @param state            waiting, learning or converged
 * @param version          latest model version (0 = none yet)
 * @param steps            mini-batch steps so far
 * @param rowsOffered      rows handed to the trainer by the stream (every valid record)
 * @param rowsLearned      rows that reached the learner (replay buffer or held-out rows), over its whole life
 * @param rowsInBuffer     rows in the replay buffer now
 * @param rowsSampledOut   rows the bounded buffers let go (reservoir sampling), so never trained on again
 * @param rowsPending      rows offered but not yet taken by the learner (the training lag, in rows)
 * @param heldOutRows      rows kept aside for measuring
 * @param measure          latest held-out measure (lower is better; NaN when not measurable)
 * @param bestMeasure      best held-out measure since the trainer last woke
 * @param convergedMeasure held-out measure when it last converged (NaN before)
 * @param trend            relative change of the measure over the last evaluations (negative = improving)
 * @param drift            the newest held-out rows' measure over the converged level (1 = no drift; NaN
 *                         before the first convergence)
 * @param wakes            times it woke after converging
 * @param driftWakes       of which because of drift
 * @param failures         chunks of steps whose training threw (logged, skipped)
 * @param lastChunkMillis  wall time of the last chunk of steps
 * @param figures          the learner's own figures (see {@link Learner#figures()})
 * @param losses           the last step's losses (see {@link Learner#losses()})
 */
public record TrainerStatus(TrainerState state, long version, long steps, long rowsOffered, long rowsLearned,
                            int rowsInBuffer, long rowsSampledOut, long rowsPending, int heldOutRows,
                            double measure, double bestMeasure, double convergedMeasure, double trend,
                            double drift, long wakes, long driftWakes, long failures, double lastChunkMillis,
                            double[] figures, double[] losses) {

    public static TrainerStatus empty() {
        return new TrainerStatus(TrainerState.WAITING, 0, 0, 0, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, 0, 0, 0, 0, new double[0], new double[] {Double.NaN, Double.NaN, Double.NaN});
    }

    /** The i-th figure, NaN when the learner has fewer. */
    public double figure(int i) {
        return i < figures.length ? figures[i] : Double.NaN;
    }

    /** The i-th loss, NaN when the learner has fewer. */
    public double loss(int i) {
        return i < losses.length ? losses[i] : Double.NaN;
    }
}
