package io.ganstream.service;

import io.ganstream.config.TrainingConfig;
import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.impute.Imputer;
import io.ganstream.engine.impute.MeanModeImputer;
import io.ganstream.engine.synth.SynthLearner;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.engine.train.TrainerState;
import io.ganstream.engine.train.TrainerStatus;
import io.ganstream.engine.train.TrainingBudget;
import io.ganstream.metrics.GanstreamMetrics;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ModelConfigs;
import io.ganstream.stream.ImputationModels;
import io.micronaut.context.BeanProvider;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The models of every dataset, as this instance sees them.
 * <ul>
 *   <li><b>Serving</b> (every instance): imputation uses the dataset's latest <em>published</em> model, read
 *   from the global store of {@code ganstream.models}, so every instance imputes with the same version and a
 *   new version replaces the previous one without a restart (a reference swap: each record is imputed by
 *   exactly one version). Before the first version, the fallback imputes: running means and modes of the
 *   records this instance saw.</li>
 *   <li><b>Training</b> (one instance per dataset: the owner of its training partition): every sample goes to
 *   the dataset's {@link DatasetTraining}, whose trainers learn on their own schedule within the instance's
 *   {@link TrainingBudget} and publish checkpoints. A new owner resumes from the latest checkpoint that fits
 *   the schema.</li>
 * </ul>
 * A changed schema starts afresh, since the columns the models were learned for may no longer exist.
 */
@Singleton
public class DatasetModels implements ImputationModels, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetModels.class);
    /** How often serving looks for a newer published model; a look is a map read unless there is one. */
    private static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ConcurrentHashMap<String, Fallback> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Served> served = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DatasetTraining> trainers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> checkpointProblems = new ConcurrentHashMap<>();
    private final TrainingConfig config;
    private final GanstreamMetrics metrics;
    // A provider: the checkpoint store reads the streams' global store, and the streams need these models.
    private final BeanProvider<ModelCheckpoints> checkpoints;
    private final BeanProvider<SyntheticPublisher> synthetic;
    private final TrainingBudget budget;
    private final AtomicBoolean finalCheckpointHooked = new AtomicBoolean();
    private volatile boolean closed;

    private record Fallback(String schemaHash, MeanModeImputer imputer) {
    }

    /** The published models a dataset is served with, the checkpoint they came from and its training states. */
    private record Served(String schemaHash, long checkpointCrc, int checkpointLength, GainModel model,
                          SynthModel synth, TrainerState imputerTraining, TrainerState synthTraining,
                          long checkedAtNanos) {
    }

    /** Both models' training as this instance knows it: live on the instance that trains, else as published. */
    public record TrainingView(TrainerState imputerState, TrainerStatus imputer, TrainerState synthesizerState,
                               TrainerStatus synthesizer) {
    }

    public DatasetModels(TrainingConfig config, GanstreamMetrics metrics, BeanProvider<ModelCheckpoints> checkpoints,
                         BeanProvider<SyntheticPublisher> synthetic, StreamLag lag) {
        this.config = config;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.synthetic = synthetic;
        int threads = config.getThreads() > 0 ? config.getThreads() : TrainingBudget.defaultThreads();
        this.budget = new TrainingBudget(threads, lag::lagging);
    }

    /**
     * The dataset's latest synthesizer: on the instance that trains it, its newest version; on every other
     * instance, the one in the latest published checkpoint.
     */
    public Optional<SynthModel> synthesizer(DatasetSchema schema) {
        DatasetTraining t = trainers.get(schema.name());
        if (t != null && t.schema.hash().equals(schema.hash()) && t.synthModel() != null) {
            return Optional.of(t.synthModel());
        }
        servedModel(schema);
        Served s = served.get(schema.name());
        return s == null || !s.schemaHash().equals(schema.hash()) ? Optional.empty() : Optional.ofNullable(s.synth());
    }

    @Override
    public Imputer imputerFor(DatasetSchema schema) {
        GainModel model = servedModel(schema);
        return model != null ? model : fallback(schema);
    }

    @Override
    public void observe(DatasetSchema schema, double[] cells) {
        fallback(schema).observe(cells);
    }

    @Override
    public void train(DatasetSchema schema, double[] cells) {
        if (!config.isEnabled() || closed) {
            return;
        }
        DatasetTraining t = trainers.get(schema.name());
        if (t == null || !t.schema.hash().equals(schema.hash())) {
            try {
                t = trainers.compute(schema.name(), (name, old) -> {
                    if (old != null && old.schema.hash().equals(schema.hash())) {
                        return old;
                    }
                    if (old != null) {
                        old.stop(false);
                    }
                    return new DatasetTraining(schema, context(), restorable(schema));
                });
            } catch (InvalidStateStoreException e) {
                // The checkpoint store is not readable yet (the streams are starting): starting afresh now
                // could later overwrite a good checkpoint with a worse model. The next sample tries again.
                return;
            }
        }
        t.learn(cells);
    }

    @Override
    public void releaseTraining(Collection<String> datasets) {
        for (String dataset : datasets) {
            DatasetTraining t = trainers.remove(dataset);
            if (t != null) {
                t.stop(true);
                LOG.info("Training of {} released by this instance (checkpointed at version {})", dataset,
                        t.lastPublished);
            }
        }
    }

    /**
     * Forgets a retired dataset ({@code DELETE /datasets/{name}}): stops its trainer on this instance without a
     * final checkpoint, and drops the model and fallback it was served with, so a dataset registered again
     * under that name starts afresh.
     */
    public void forget(String dataset) {
        DatasetTraining t = trainers.remove(dataset);
        if (t != null) {
            t.stop(false);
        }
        served.remove(dataset);
        fallbacks.remove(dataset);
        checkpointProblems.remove(dataset);
    }

    /**
     * A model file was published for the dataset ({@code PUT /datasets/{name}/model}): stops its trainer on this
     * instance without a final checkpoint, so that it cannot overwrite the published one and the next training
     * sample restarts training from it. Serving picks the published model up by itself.
     */
    public void adoptPublished(String dataset) {
        DatasetTraining t = trainers.remove(dataset);
        if (t != null) {
            t.stop(false);
        }
    }

    private DatasetTraining.Context context() {
        ModelCheckpoints store = checkpoints.get();
        if (finalCheckpointHooked.compareAndSet(false, true)) {
            // The final checkpoints must be written before the checkpoint producer closes.
            store.beforeClose(this::close);
        }
        return new DatasetTraining.Context(config, metrics, store, synthetic.get(), budget, this::reject);
    }

    /** The version imputing a dataset now: its latest published model's, or {@code fallback}. */
    public String currentVersion(DatasetSchema schema) {
        GainModel model = servedModel(schema);
        return model != null ? model.version() : MeanModeImputer.VERSION;
    }

    /**
     * Where both models' training stands: live figures on the instance that trains the dataset; elsewhere the
     * states the latest checkpoint was published with ({@code waiting} when there is none).
     */
    public TrainingView training(DatasetSchema schema) {
        DatasetTraining t = trainers.get(schema.name());
        if (t != null && t.schema.hash().equals(schema.hash())) {
            TrainerStatus i = t.imputer.status();
            TrainerStatus s = t.synthesizer == null ? null : t.synthesizer.status();
            return new TrainingView(i.state(), i, s == null ? null : s.state(), s);
        }
        GainModel model = servedModel(schema);
        Served s = served.get(schema.name());
        boolean fits = s != null && s.schemaHash().equals(schema.hash());
        TrainerState imputer = model == null ? TrainerState.WAITING
                : fits && s.imputerTraining() != null ? s.imputerTraining() : TrainerState.CONVERGED;
        TrainerState synth = !ModelConfigs.synthesizes(schema) ? null
                : fits && s.synth() != null ? (s.synthTraining() != null ? s.synthTraining() : TrainerState.CONVERGED)
                : TrainerState.WAITING;
        return new TrainingView(imputer, null, synth, null);
    }

    /** The imputer's training status, if the dataset trains on this instance. */
    public Optional<TrainerStatus> imputerStatus(String dataset) {
        DatasetTraining t = trainers.get(dataset);
        return t == null ? Optional.empty() : Optional.of(t.imputer.status());
    }

    /** The last checkpoint problem of a dataset (corrupted or incompatible), if any. */
    public Optional<String> checkpointProblem(String dataset) {
        return Optional.ofNullable(checkpointProblems.get(dataset));
    }

    /**
     * Waits until the dataset's trainers on this instance have received {@code samples} training samples in all
     * (they travel through the training topic, after the outputs), both models have converged on them, and the
     * imputer's last version is published and served here. For benchmarks, the demo and tests.
     */
    public boolean awaitTrained(String dataset, long samples, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        DatasetTraining t = trainers.get(dataset);
        while ((t == null || t.samples.get() < samples) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            t = trainers.get(dataset);
        }
        if (t == null || !t.imputer.awaitConverged(remaining(deadline))
                || (t.synthesizer != null && !t.synthesizer.awaitConverged(remaining(deadline)))) {
            return false;
        }
        while (System.nanoTime() < deadline) {
            GainModel model = servedModel(t.schema);
            if (model != null && model.versionNumber() >= t.lastPublished) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Waits until the dataset's synthesizer on this instance has converged on every row offered to it. */
    public boolean awaitSynthesizer(String dataset, long timeoutMillis) throws InterruptedException {
        DatasetTraining t = trainers.get(dataset);
        return t == null || t.synthesizer == null || t.synthesizer.awaitConverged(timeoutMillis);
    }

    private static long remaining(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private MeanModeImputer fallback(DatasetSchema schema) {
        Fallback f = fallbacks.get(schema.name());
        if (f == null || !f.schemaHash().equals(schema.hash())) {
            f = fallbacks.compute(schema.name(), (name, old) -> old != null && old.schemaHash().equals(schema.hash())
                    ? old : new Fallback(schema.hash(), new MeanModeImputer(schema.spec())));
        }
        return f.imputer();
    }

    /** The latest published model of the dataset that fits its schema, or null; refreshed every 250 ms. */
    private GainModel servedModel(DatasetSchema schema) {
        Served s = served.get(schema.name());
        long now = System.nanoTime();
        if (s != null && s.schemaHash().equals(schema.hash()) && now - s.checkedAtNanos() < REFRESH_NANOS) {
            return s.model();
        }
        Served updated = served.compute(schema.name(), (name, old) -> refreshed(schema, old, now));
        return updated == null ? null : updated.model();
    }

    private Served refreshed(DatasetSchema schema, Served old, long now) {
        Served current = old != null && old.schemaHash().equals(schema.hash()) ? old : null;
        byte[] bytes;
        try {
            bytes = checkpoints.get().latest(schema.name()).orElse(null);
        } catch (InvalidStateStoreException e) {
            return current;
        }
        GainModel model = current == null ? null : current.model();
        SynthModel synth = current == null ? null : current.synth();
        TrainerState imputerTraining = current == null ? null : current.imputerTraining();
        TrainerState synthTraining = current == null ? null : current.synthTraining();
        if (bytes == null || bytes.length < 8) {
            return new Served(schema.hash(), 0, 0, model, synth, imputerTraining, synthTraining, now);
        }
        long crc = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (current != null && current.checkpointCrc() == crc && current.checkpointLength() == bytes.length) {
            return new Served(schema.hash(), crc, bytes.length, model, synth, imputerTraining, synthTraining, now);
        }
        try {
            ModelCheckpoint c = ModelCheckpoint.parse(bytes);
            if (c.schemaHash().equals(schema.hash())) {
                model = GainLearner.modelFrom(schema.spec(), ModelConfigs.gainConfig(schema), c.state());
                imputerTraining = c.imputerTraining();
                if (c.hasSynthesizer() && ModelConfigs.synthesizes(schema)) {
                    synth = SynthLearner.modelFrom(schema.spec(), ModelConfigs.synthConfig(schema),
                            c.synthState());
                    synthTraining = c.synthTraining();
                }
            }
        } catch (ModelCheckpoint.InvalidCheckpointException | RuntimeException e) {
            reject(schema.name(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return new Served(schema.hash(), crc, bytes.length, model, synth, imputerTraining, synthTraining, now);
    }

    private void reject(String dataset, String reason) {
        if (!reason.equals(checkpointProblems.put(dataset, reason))) {
            LOG.warn("Checkpoint of {} rejected: {}", dataset, reason);
            metrics.checkpoint(dataset, "rejected");
        }
    }

    /** The latest checkpoint of the dataset if it is sound and made for this schema; problems are reported. */
    private ModelCheckpoint restorable(DatasetSchema schema) {
        Optional<byte[]> bytes = checkpoints.get().latest(schema.name());
        if (bytes.isEmpty()) {
            return null;
        }
        try {
            ModelCheckpoint c = ModelCheckpoint.parse(bytes.get());
            if (!c.schemaHash().equals(schema.hash())) {
                LOG.info("Checkpoint of {} was made for another schema version; training starts afresh",
                        schema.name());
                metrics.checkpoint(schema.name(), "ignored");
                return null;
            }
            checkpointProblems.remove(schema.name());
            return c;
        } catch (ModelCheckpoint.InvalidCheckpointException e) {
            reject(schema.name(), e.getMessage());
            return null;
        }
    }

    /** Stops every trainer and publishes its final checkpoint (clean shutdown); serving goes on. Idempotent. */
    @Override
    @PreDestroy
    public void close() {
        closed = true;
        releaseTraining(new ArrayList<>(trainers.keySet()));
    }
}
