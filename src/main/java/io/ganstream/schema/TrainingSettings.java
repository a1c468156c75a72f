package io.ganstream.schema;

/**
 * Per-dataset training settings from the schema's {@code "x-ganstream"} keyword; every one has a default.
 *
 * @param windowRecords          records per training window
 * @param stepsPerWindow         mini-batch steps trained per window
 * @param batchSize              mini-batch size
 * @param replayCapacity         rows kept in the replay buffer
 * @param syntheticPerRecord     synthetic records published per real record (0 turns synthesis off)
 * @param checkpointEveryWindows windows between model checkpoints
 * @param seed                   seed of every random choice the models make
 */
public record TrainingSettings(int windowRecords, int stepsPerWindow, int batchSize, int replayCapacity,
                               double syntheticPerRecord, int checkpointEveryWindows, long seed) {

    public static final TrainingSettings DEFAULTS = new TrainingSettings(256, 60, 128, 20_000, 1.0, 10, 42L);
}
