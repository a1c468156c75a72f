package io.ganstream.engine.impute;

/** Receives every new model version of a {@link DatasetTrainer}; called on the trainer thread. */
@FunctionalInterface
public interface TrainerListener {
    void onModel(String dataset, GainModel model, TrainingStats stats);
}
