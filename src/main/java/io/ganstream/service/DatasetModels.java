package io.ganstream.service;

import io.ganstream.config.TrainingConfig;
import io.ganstream.engine.DatasetTrainer;
import io.ganstream.engine.GainConfig;
import io.ganstream.engine.GainModel;
import io.ganstream.engine.Imputer;
import io.ganstream.engine.MeanModeImputer;
import io.ganstream.engine.ModelCheckpoint;
import io.ganstream.engine.TrainingStats;
import io.ganstream.metrics.GanstreamMetrics;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.TrainingSettings;
import io.ganstream.stream.ImputationModels;
import io.micronaut.context.BeanProvider;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The models of every dataset on this instance. Valid records are gathered into windows of
 * {@code windowRecords} and handed to the dataset's trainer, which learns on its own thread and publishes
 * model versions; each new version replaces the previous one for imputation at once (a volatile swap: no
 * restart, and a record is imputed by exactly one version). Until the first version exists, the fallback
 * (running means and modes) imputes. A trainer starts from the dataset's latest checkpoint in
 * {@code ganstream.models} when one fits the schema, and checkpoints every {@code checkpointEveryWindows}
 * windows and on a clean stop. A changed schema starts its models afresh, since the columns they were
 * learned for may no longer exist.
 */
@Singleton
public class DatasetModels implements ImputationModels, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetModels.class);

    private final ConcurrentHashMap<String, Models> byDataset = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> checkpointProblems = new ConcurrentHashMap<>();
    private final TrainingConfig config;
    private final GanstreamMetrics metrics;
    // A provider: the checkpoint store reads the streams' global store, and the streams need these models.
    private final BeanProvider<ModelCheckpoints> checkpoints;
    private final AtomicBoolean finalCheckpointHooked = new AtomicBoolean();
    private volatile boolean closed;

    public DatasetModels(TrainingConfig config, GanstreamMetrics metrics, BeanProvider<ModelCheckpoints> checkpoints) {
        this.config = config;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
    }

    @Override
    public Imputer imputerFor(DatasetSchema schema) {
        Models m = modelsOf(schema);
        GainModel model = m.model;
        return model != null ? model : m.fallback;
    }

    @Override
    public void learnFrom(DatasetSchema schema, double[] cells) {
        modelsOf(schema).learn(cells);
    }

    /** The version imputing a dataset on this instance now, without starting anything for it. */
    public String currentVersion(String dataset) {
        Models m = byDataset.get(dataset);
        GainModel model = m == null ? null : m.model;
        return model != null ? model.version() : MeanModeImputer.VERSION;
    }

    /** The fallback imputer of a dataset: the baseline for quality figures. */
    public MeanModeImputer fallbackFor(DatasetSchema schema) {
        return modelsOf(schema).fallback;
    }

    /** The latest training figures of a dataset, if it trains on this instance. */
    public Optional<TrainingStats> trainingStats(String dataset) {
        Models m = byDataset.get(dataset);
        DatasetTrainer t = m == null ? null : m.trainer;
        return t == null ? Optional.empty() : Optional.of(t.stats());
    }

    /** The last checkpoint problem of a dataset (corrupted or incompatible), if any. */
    public Optional<String> checkpointProblem(String dataset) {
        return Optional.ofNullable(checkpointProblems.get(dataset));
    }

    /** Waits until the dataset's trainer has trained every window handed to it (benchmarks and tests). */
    public boolean awaitTrainerIdle(String dataset, long timeoutMillis) throws InterruptedException {
        Models m = byDataset.get(dataset);
        DatasetTrainer t = m == null ? null : m.trainer;
        return t == null || t.awaitIdle(timeoutMillis);
    }

    private Models modelsOf(DatasetSchema schema) {
        Models m = byDataset.get(schema.name());
        if (m == null || !m.schemaHash.equals(schema.hash())) {
            m = byDataset.compute(schema.name(), (name, old) -> {
                if (old != null && old.schemaHash.equals(schema.hash())) {
                    return old;
                }
                if (old != null) {
                    old.stop(false);
                }
                return new Models(schema);
            });
        }
        return m;
    }

    /** Stops every trainer and writes its final checkpoint (clean shutdown); imputation goes on. Idempotent. */
    @Override
    @PreDestroy
    public void close() {
        closed = true;
        byDataset.values().forEach(m -> m.stop(true));
    }

    static GainConfig gainConfig(TrainingSettings s, int queueWindows) {
        return GainConfig.defaults()
                .withSeed(s.seed())
                .withSteps(s.batchSize(), s.stepsPerWindow())
                .withReplay(s.replayCapacity(), GainConfig.defaults().recentFraction())
                .withQueueCapacity(queueWindows);
    }

    /** One dataset's models under one schema version. */
    private final class Models {
        final DatasetSchema schema;
        final String schemaHash;
        final MeanModeImputer fallback;
        volatile DatasetTrainer trainer;
        volatile GainModel model;
        private List<double[]> window;
        private boolean stopped;

        Models(DatasetSchema schema) {
            this.schema = schema;
            this.schemaHash = schema.hash();
            this.fallback = new MeanModeImputer(schema.spec());
            this.window = new ArrayList<>(schema.settings().windowRecords());
            if (config.isEnabled()) {
                startTrainer();
            }
        }

        /**
         * Starts the trainer, from the latest fitting checkpoint if there is one. While the checkpoint store is
         * not readable (the streams are starting), it waits: starting afresh then would later overwrite a good
         * checkpoint with a worse model. Returns whether a trainer runs.
         */
        private synchronized boolean startTrainer() {
            if (trainer != null || stopped || closed) {
                return trainer != null;
            }
            ModelCheckpoint checkpoint;
            try {
                checkpoint = restorable();
            } catch (InvalidStateStoreException e) {
                return false;
            }
            String dataset = schema.name();
            GainConfig gain = gainConfig(schema.settings(), config.getQueueWindows());
            DatasetTrainer t = null;
            if (checkpoint != null) {
                try {
                    long t0 = System.nanoTime();
                    t = DatasetTrainer.restore(dataset, schema.spec(), gain, this::onModel, checkpoint.state());
                    LOG.info("Resumed {} from its checkpoint: model version {}, {} bytes, restored in {} ms", dataset,
                            checkpoint.modelVersion(), checkpoint.state().length, (System.nanoTime() - t0) / 1_000_000);
                    metrics.checkpoint(dataset, "restored");
                    checkpointProblems.remove(dataset);
                } catch (RuntimeException e) {
                    reject(dataset, "unreadable trainer state (" + e.getClass().getSimpleName() + ")");
                }
            }
            if (t == null) {
                t = new DatasetTrainer(dataset, schema.spec(), gain, this::onModel);
            }
            model = t.latestModel();
            trainer = t;
            metrics.trainingGauges(dataset, t::stats);
            return true;
        }

        /** The latest checkpoint of the dataset if it is sound and made for this schema; problems are reported. */
        private ModelCheckpoint restorable() {
            ModelCheckpoints store = checkpoints.get();
            if (finalCheckpointHooked.compareAndSet(false, true)) {
                // The final checkpoints must be written before the checkpoint producer closes.
                store.beforeClose(DatasetModels.this::close);
            }
            Optional<byte[]> bytes = store.latest(schema.name());
            if (bytes.isEmpty()) {
                return null;
            }
            try {
                ModelCheckpoint c = ModelCheckpoint.parse(bytes.get());
                if (!c.schemaHash().equals(schemaHash)) {
                    LOG.info("Checkpoint of {} was made for another schema version; training starts afresh",
                            schema.name());
                    metrics.checkpoint(schema.name(), "ignored");
                    return null;
                }
                return c;
            } catch (ModelCheckpoint.InvalidCheckpointException e) {
                reject(schema.name(), e.getMessage());
                return null;
            }
        }

        private void reject(String dataset, String reason) {
            LOG.warn("Checkpoint of {} rejected: {}; training starts afresh", dataset, reason);
            checkpointProblems.put(dataset, reason);
            metrics.checkpoint(dataset, "rejected");
        }

        void learn(double[] cells) {
            fallback.observe(cells);
            DatasetTrainer t = trainer;
            if (t == null && (!config.isEnabled() || !startTrainer())) {
                return;
            }
            t = trainer;
            List<double[]> full = null;
            synchronized (this) {
                window.add(cells);
                if (window.size() >= schema.settings().windowRecords()) {
                    full = window;
                    window = new ArrayList<>(schema.settings().windowRecords());
                }
            }
            // Outside the lock: the trainer copies the rows; a full queue drops the window (and counts it)
            // rather than stall the stream thread.
            if (full != null) {
                t.offerWindow(full);
            }
        }

        /** On the trainer thread, for each new model version. */
        private void onModel(String dataset, GainModel newModel, TrainingStats stats) {
            model = newModel;
            metrics.trainedWindow(dataset, stats);
            if (stats.windowsTrained() % schema.settings().checkpointEveryWindows() == 0) {
                checkpoint(newModel.versionNumber());
            }
        }

        private void checkpoint(long version) {
            try {
                checkpoints.get().write(new ModelCheckpoint(schema.name(), schemaHash,
                        ModelCheckpoints.softwareVersion(), System.currentTimeMillis(), version,
                        schema.settings().seed(), trainer.checkpoint()));
            } catch (RuntimeException e) {
                LOG.warn("Checkpoint of {} failed: {}", schema.name(), e.toString());
                metrics.checkpoint(schema.name(), "failed");
            }
        }

        /** Stops training; with {@code finalCheckpoint}, writes the trainer's state first. */
        synchronized void stop(boolean finalCheckpoint) {
            if (stopped) {
                return;
            }
            stopped = true;
            DatasetTrainer t = trainer;
            if (t == null) {
                return;
            }
            t.close();
            if (finalCheckpoint && model != null) {
                checkpoint(model.versionNumber());
            }
        }
    }
}
