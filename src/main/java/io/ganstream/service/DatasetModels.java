package io.ganstream.service;

import io.ganstream.config.TrainingConfig;
import io.ganstream.engine.DatasetTrainer;
import io.ganstream.engine.GainConfig;
import io.ganstream.engine.GainModel;
import io.ganstream.engine.Imputer;
import io.ganstream.engine.MeanModeImputer;
import io.ganstream.engine.TrainingStats;
import io.ganstream.metrics.GanstreamMetrics;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.TrainingSettings;
import io.ganstream.stream.ImputationModels;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of every dataset on this instance. Valid records are gathered into windows of
 * {@code windowRecords} and handed to the dataset's trainer, which learns on its own thread and publishes
 * model versions; each new version replaces the previous one for imputation at once (a volatile swap: no
 * restart, and a record is imputed by exactly one version). Until the first version exists, the fallback
 * (running means and modes) imputes. A changed schema starts its models afresh, since the columns they were
 * learned for may no longer exist.
 */
@Singleton
public class DatasetModels implements ImputationModels, AutoCloseable {
    private final ConcurrentHashMap<String, Models> byDataset = new ConcurrentHashMap<>();
    private final TrainingConfig config;
    private final GanstreamMetrics metrics;

    public DatasetModels(TrainingConfig config, GanstreamMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
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

    /** The fallback imputer of a dataset: the baseline for quality figures. */
    public MeanModeImputer fallbackFor(DatasetSchema schema) {
        return modelsOf(schema).fallback;
    }

    /** The latest training figures of a dataset, if it trains on this instance. */
    public Optional<TrainingStats> trainingStats(String dataset) {
        Models m = byDataset.get(dataset);
        return m == null || m.trainer == null ? Optional.empty() : Optional.of(m.trainer.stats());
    }

    /** Waits until the dataset's trainer has trained every window handed to it (benchmarks and tests). */
    public boolean awaitTrainerIdle(String dataset, long timeoutMillis) throws InterruptedException {
        Models m = byDataset.get(dataset);
        return m == null || m.trainer == null || m.trainer.awaitIdle(timeoutMillis);
    }

    private Models modelsOf(DatasetSchema schema) {
        Models m = byDataset.get(schema.name());
        if (m == null || !m.schemaHash.equals(schema.hash())) {
            m = byDataset.compute(schema.name(), (name, old) -> {
                if (old != null && old.schemaHash.equals(schema.hash())) {
                    return old;
                }
                if (old != null) {
                    old.close();
                }
                return new Models(schema);
            });
        }
        return m;
    }

    @Override
    @PreDestroy
    public void close() {
        byDataset.values().forEach(Models::close);
        byDataset.clear();
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
        final String schemaHash;
        final int windowRecords;
        final MeanModeImputer fallback;
        final DatasetTrainer trainer;
        volatile GainModel model;
        private List<double[]> window;

        Models(DatasetSchema schema) {
            this.schemaHash = schema.hash();
            this.windowRecords = schema.settings().windowRecords();
            this.fallback = new MeanModeImputer(schema.spec());
            this.window = new ArrayList<>(windowRecords);
            String dataset = schema.name();
            if (config.isEnabled()) {
                this.trainer = new DatasetTrainer(dataset, schema.spec(),
                        gainConfig(schema.settings(), config.getQueueWindows()),
                        (d, newModel, stats) -> {
                            model = newModel;
                            metrics.trainedWindow(d, stats);
                        });
                metrics.trainingGauges(dataset, trainer::stats);
            } else {
                this.trainer = null;
            }
        }

        void learn(double[] cells) {
            fallback.observe(cells);
            if (trainer == null) {
                return;
            }
            List<double[]> full = null;
            synchronized (this) {
                window.add(cells);
                if (window.size() >= windowRecords) {
                    full = window;
                    window = new ArrayList<>(windowRecords);
                }
            }
            // Outside the lock: the trainer copies the rows; a full queue drops the window (and counts it)
            // rather than stall the stream thread.
            if (full != null) {
                trainer.offerWindow(full);
            }
        }

        void close() {
            if (trainer != null) {
                trainer.close();
            }
        }
    }
}
