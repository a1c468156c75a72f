package io.ganstream.schema;

/**
 * Per-dataset training settings from the schema's {@code "x-ganstream"} keyword; every one has a default.
 *
 * @param windowRecords          rows a model waits for before its first step (fewer once the stream is quiet)
 * @param stepsPerWindow         imputer steps between two held-out measurements (model versions)
 * @param batchSize              mini-batch size
 * @param replayCapacity         rows kept in the replay buffer
 * @param syntheticPerRecord     synthetic records published per real record (0 turns synthesis off)
 * @param checkpointEveryWindows kept for schemas written for windowed training (versions are published by time)
 * @param seed                   seed of every random choice the models make
 * @param privacyFilter          whether synthetic rows that copy a training row, or lie nearer one than
 *                               {@code privacyQuantile} of real rows lie to theirs, are withheld (D.synthetic and
 *                               the samples endpoints)
 * @param privacyQuantile        the quantile (0..0.5) of the real rows' nearest-neighbour distances under which a
 *                               synthetic row is withheld
 * @param stepBudget             most steps a model of this dataset takes in one stretch of learning; 0 = the
 *                               instance's {@code ganstream.training.step-budget}
 * @param target                 the categorical column downstream models predict from the synthetic records (a
 *                               label), null when none is named: the synthesizer keys its class maps on it, so
 *                               that each of its classes keeps its own joint distribution of the numeric columns
 * @param syntheticMissing       whether synthetic records leave cells missing as the real records do (each scalar
 *                               column as often, in the same kind of rows); off, every synthetic record is complete
 */
public record TrainingSettings(int windowRecords, int stepsPerWindow, int batchSize, int replayCapacity,
                               double syntheticPerRecord, int checkpointEveryWindows, long seed,
                               boolean privacyFilter, double privacyQuantile, long stepBudget,
                               String target, boolean syntheticMissing) {

    public static final TrainingSettings DEFAULTS = new TrainingSettings(256, 60, 128, 20_000, 1.0, 10, 42L,
            true, 0.01, 0, null, true);

    /** The largest {@code privacyQuantile}: beyond it the filter would withhold most of a faithful sample. */
    public static final double MAX_PRIVACY_QUANTILE = 0.5;
}
