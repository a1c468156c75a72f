package io.ganstream.service;

import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.schema.DatasetSchema;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The operator's actions on a dataset as a whole: retiring it, and publishing a model file for it. Both go
 * through the compacted topics, so every instance follows; training on this instance is stopped here.
 */
@Singleton
public class DatasetOperations {
    private static final long VISIBLE_TIMEOUT_MS = 15_000;

    private final DatasetRegistry registry;
    private final DatasetModels models;
    private final ModelCheckpoints checkpoints;

    public DatasetOperations(DatasetRegistry registry, DatasetModels models, ModelCheckpoints checkpoints) {
        this.registry = registry;
        this.models = models;
        this.checkpoints = checkpoints;
    }

    /**
     * Retires a dataset: its schema, then its model record, are tombstoned, and its training here stops without
     * a final checkpoint. The schema goes first, so no new training starts and its records are dead-lettered;
     * the trainer is stopped before the model's tombstone, so it cannot write a checkpoint after it.
     *
     * @return false when there is no such dataset
     */
    public boolean retire(String dataset) throws InterruptedException {
        if (!registry.delete(dataset)) {
            return false;
        }
        models.forget(dataset);
        checkpoints.delete(dataset);
        if (!checkpoints.awaitStored(dataset, null, VISIBLE_TIMEOUT_MS)) {
            throw new DatasetRegistry.NotReadyException("model of " + dataset
                    + " deleted, but still visible on this instance");
        }
        // What serving may have cached meanwhile goes too.
        models.forget(dataset);
        return true;
    }

    /**
     * Publishes a model file as the dataset's served model and the checkpoint its training resumes from.
     *
     * @throws ModelCheckpoint.InvalidCheckpointException when the bytes are not a sound checkpoint, or one made
     *                                                    for another schema than the dataset's
     */
    public ModelCheckpoint publishModel(DatasetSchema schema, byte[] bytes)
            throws ModelCheckpoint.InvalidCheckpointException, InterruptedException {
        ModelCheckpoint checkpoint = ModelCheckpoint.parse(bytes);
        if (!checkpoint.schemaHash().equals(schema.hash())) {
            throw new ModelCheckpoint.InvalidCheckpointException("the model file was made for another schema (hash "
                    + checkpoint.schemaHash() + ") than the one of dataset '" + schema.name() + "' (hash "
                    + schema.hash() + ")");
        }
        String dataset = schema.name();
        // Stopped first, so this instance's trainer cannot publish over the file; a training sample arriving
        // before the file is in the store restarts it from the previous checkpoint, hence the second stop once
        // it is: the next sample then resumes training from the file.
        models.adoptPublished(dataset);
        checkpoints.publish(dataset, bytes);
        if (!checkpoints.awaitStored(dataset, bytes, VISIBLE_TIMEOUT_MS)) {
            throw new DatasetRegistry.NotReadyException("model of " + dataset
                    + " published, but not yet visible on this instance");
        }
        models.adoptPublished(dataset);
        return checkpoint;
    }

    /** The dataset's stored checkpoint, when there is one made for its current schema: what is served. */
    public Optional<byte[]> servedModel(DatasetSchema schema) {
        Optional<byte[]> bytes = checkpoints.latest(schema.name());
        if (bytes.isEmpty()) {
            return bytes;
        }
        try {
            return ModelCheckpoint.parse(bytes.get()).schemaHash().equals(schema.hash()) ? bytes : Optional.empty();
        } catch (ModelCheckpoint.InvalidCheckpointException e) {
            return Optional.empty();
        }
    }
}
