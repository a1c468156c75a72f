package io.ganstream.service;

import io.ganstream.config.TrainingConfig;
import io.ganstream.engine.impute.DatasetTrainer;
import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.WideInputs;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.impute.Imputer;
import io.ganstream.engine.impute.MeanModeImputer;
import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.engine.impute.TrainingStats;
import io.ganstream.engine.quality.Detection;
import io.ganstream.engine.quality.QualityReport;
import io.ganstream.engine.synth.SynthConfig;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.engine.synth.SynthStats;
import io.ganstream.engine.synth.SynthTrainer;
import io.ganstream.engine.synth.WideSynth;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
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
 *   <li><b>Training</b> (one instance per dataset: the owner of its training partition): samples are gathered
 *   into windows of {@code windowRecords} and handed to the trainer, which learns on its own thread and
 *   publishes a checkpoint at its first version, whenever it has caught up with the stream (no window
 *   waiting), at least every {@code checkpointEveryWindows} windows under load, and when it stops. A new
 *   owner resumes from the latest checkpoint that fits the schema.</li>
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
    private final ConcurrentHashMap<String, Training> trainers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> checkpointProblems = new ConcurrentHashMap<>();
    private final TrainingConfig config;
    private final GanstreamMetrics metrics;
    // A provider: the checkpoint store reads the streams' global store, and the streams need these models.
    private final BeanProvider<ModelCheckpoints> checkpoints;
    private final BeanProvider<SyntheticPublisher> synthetic;
    private final AtomicBoolean finalCheckpointHooked = new AtomicBoolean();
    private volatile boolean closed;

    private record Fallback(String schemaHash, MeanModeImputer imputer) {
    }

    /** The published model a dataset is served with, and the checkpoint it came from. */
    private record Served(String schemaHash, long checkpointCrc, int checkpointLength, GainModel model,
                          SynthModel synth, long checkedAtNanos) {
    }

    public DatasetModels(TrainingConfig config, GanstreamMetrics metrics, BeanProvider<ModelCheckpoints> checkpoints,
                         BeanProvider<SyntheticPublisher> synthetic) {
        this.config = config;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.synthetic = synthetic;
    }

    /**
     * The dataset's latest synthesizer: on the instance that trains it, its newest version; on every other
     * instance, the one in the latest published checkpoint.
     */
    public Optional<SynthModel> synthesizer(DatasetSchema schema) {
        Training t = trainers.get(schema.name());
        if (t != null && t.schemaHash.equals(schema.hash()) && t.synthModel != null) {
            return Optional.of(t.synthModel);
        }
        servedModel(schema);
        Served s = served.get(schema.name());
        return s == null || !s.schemaHash().equals(schema.hash()) ? Optional.empty() : Optional.ofNullable(s.synth());
    }

    /** Waits until the dataset's synthesizer on this instance has trained every window handed to it. */
    public boolean awaitSynthesizer(String dataset, long timeoutMillis) throws InterruptedException {
        Training t = trainers.get(dataset);
        return t == null || t.synth == null || t.synth.awaitIdle(timeoutMillis);
    }

    /** Quality of the latest synthesizer: overall, column shapes, column pair trends, detection AUC. */
    public Optional<double[]> synthesizerQuality(String dataset) {
        Training t = trainers.get(dataset);
        return t == null || t.synthModel == null ? Optional.empty() : Optional.of(t.synthQuality.clone());
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
        Training t = trainers.get(schema.name());
        if (t == null || !t.schemaHash.equals(schema.hash())) {
            try {
                t = trainers.compute(schema.name(), (name, old) -> {
                    if (old != null && old.schemaHash.equals(schema.hash())) {
                        return old;
                    }
                    if (old != null) {
                        old.stop(false);
                    }
                    return new Training(schema);
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
            Training t = trainers.remove(dataset);
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
        Training t = trainers.remove(dataset);
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
        Training t = trainers.remove(dataset);
        if (t != null) {
            t.stop(false);
        }
    }

    /** The version imputing a dataset now: its latest published model's, or {@code fallback}. */
    public String currentVersion(DatasetSchema schema) {
        GainModel model = servedModel(schema);
        return model != null ? model.version() : MeanModeImputer.VERSION;
    }

    /** The latest training figures of a dataset, if it trains on this instance. */
    public Optional<TrainingStats> trainingStats(String dataset) {
        Training t = trainers.get(dataset);
        return t == null ? Optional.empty() : Optional.of(t.trainer.stats());
    }

    /** The last checkpoint problem of a dataset (corrupted or incompatible), if any. */
    public Optional<String> checkpointProblem(String dataset) {
        return Optional.ofNullable(checkpointProblems.get(dataset));
    }

    /**
     * Waits until the dataset's trainer on this instance has received {@code samples} training samples in all
     * (they travel through the training topic, after the outputs), has trained every full window, and its last
     * version is published and served here. For benchmarks and the demo.
     */
    public boolean awaitTrained(String dataset, long samples, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Training t = trainers.get(dataset);
        while ((t == null || t.samples.get() < samples) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            t = trainers.get(dataset);
        }
        if (t == null || !t.trainer.awaitIdle(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))) {
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
        if (bytes == null || bytes.length < 8) {
            return new Served(schema.hash(), 0, 0, model, synth, now);
        }
        long crc = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (current != null && current.checkpointCrc() == crc && current.checkpointLength() == bytes.length) {
            return new Served(schema.hash(), crc, bytes.length, model, synth, now);
        }
        try {
            ModelCheckpoint c = ModelCheckpoint.parse(bytes);
            if (c.schemaHash().equals(schema.hash())) {
                model = DatasetTrainer.modelFrom(schema.spec(), gainConfig(schema, 1), c.state());
                if (c.hasSynthesizer() && synthesizes(schema)) {
                    synth = SynthTrainer.modelFrom(schema.spec(), synthConfig(schema, 1), c.synthState());
                }
            }
        } catch (ModelCheckpoint.InvalidCheckpointException | RuntimeException e) {
            reject(schema.name(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return new Served(schema.hash(), crc, bytes.length, model, synth, now);
    }

    private void reject(String dataset, String reason) {
        if (!reason.equals(checkpointProblems.put(dataset, reason))) {
            LOG.warn("Checkpoint of {} rejected: {}", dataset, reason);
            metrics.checkpoint(dataset, "rejected");
        }
    }

    /** Stops every trainer and publishes its final checkpoint (clean shutdown); serving goes on. Idempotent. */
    @Override
    @PreDestroy
    public void close() {
        closed = true;
        releaseTraining(new ArrayList<>(trainers.keySet()));
    }

    /**
     * A synthesizer's checkpoint bytes and the model version they hold; for wide datasets also its sampling state
     * alone (what goes with the checkpoint when the whole does not fit the model topic), else null.
     */
    private record SynthState(long version, byte[] bytes, byte[] servingBytes) {
    }

    private static final int HELD_OUT_ROWS = 400;
    private static final int HELD_OUT_EVERY = 10;

    /** Synthesis runs when asked for. */
    static boolean synthesizes(DatasetSchema schema) {
        return schema.settings().syntheticPerRecord() > 0;
    }

    private static boolean complete(double[] cells) {
        for (double c : cells) {
            if (Double.isNaN(c)) {
                return false;
            }
        }
        return true;
    }

    /** The synthesizer's settings for a dataset (sized for wide vector columns by {@link WideSynth}). */
    static SynthConfig synthConfig(DatasetSchema schema, int queueWindows) {
        TrainingSettings s = schema.settings();
        return WideSynth.config(SynthConfig.defaults().withSeed(s.seed()).withQueueCapacity(queueWindows)
                .withReplay(s.replayCapacity()), schema.spec());
    }

    static GainConfig gainConfig(DatasetSchema schema, int queueWindows) {
        TrainingSettings s = schema.settings();
        return WideInputs.gain(GainConfig.defaults()
                .withSeed(s.seed())
                .withSteps(s.batchSize(), s.stepsPerWindow())
                .withReplay(s.replayCapacity(), GainConfig.defaults().recentFraction())
                .withQueueCapacity(queueWindows), schema.spec());
    }

    /** One dataset's training on this instance, under one schema version. */
    private final class Training {
        final DatasetSchema schema;
        final String schemaHash;
        final DatasetTrainer trainer;
        volatile long lastPublished;
        private long lastPublishedSynth;
        final java.util.concurrent.atomic.AtomicLong samples = new java.util.concurrent.atomic.AtomicLong();
        /** The synthesizer, trained on the same windows less a held-out share; null when synthesis is off. */
        final SynthTrainer synth;
        volatile SynthModel synthModel;
        /** The synthesizer's latest state, published with the next checkpoint. */
        volatile SynthState synthState;
        volatile double[] synthQuality = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        private List<double[]> synthWindow = new ArrayList<>();
        /** Recent complete real rows never shown to the synthesizer: what its output is compared with. */
        private final double[][] heldOut = new double[HELD_OUT_ROWS][];
        private int heldOutCount;
        private long lastSyntheticWindows;
        private long firstVersion = -1;
        private List<double[]> window;
        private boolean stopped;

        Training(DatasetSchema schema) {
            this.schema = schema;
            this.schemaHash = schema.hash();
            this.window = new ArrayList<>(schema.settings().windowRecords());
            ModelCheckpoint checkpoint = restorable();
            this.trainer = start(checkpoint);
            metrics.trainingGauges(schema.name(), trainer::stats);
            this.synth = synthesizes(schema) ? startSynthesizer(checkpoint) : null;
            if (synth != null) {
                metrics.synthesizerGauges(schema.name(), synth::stats, () -> synthQuality);
            }
        }

        /** The synthesizer, resumed from the checkpoint's synthesizer state when it has one. */
        private SynthTrainer startSynthesizer(ModelCheckpoint checkpoint) {
            SynthConfig synthConfig = synthConfig(schema, config.getQueueWindows());
            if (checkpoint != null && checkpoint.hasSynthesizer()) {
                try {
                    SynthTrainer restored = SynthTrainer.restore(schema.name(), schema.spec(), synthConfig,
                            this::onSynthModel, checkpoint.synthState());
                    synthModel = restored.latestModel();
                    synthState = new SynthState(checkpoint.synthVersion(), checkpoint.synthState(), null);
                    lastSyntheticWindows = restored.stats().windowsTrained();
                    LOG.info("Resumed the synthesizer of {} from its checkpoint: version {}", schema.name(),
                            checkpoint.synthVersion());
                    return restored;
                } catch (RuntimeException e) {
                    reject(schema.name(), "unreadable synthesizer state (" + e.getClass().getSimpleName() + ")");
                }
            }
            return new SynthTrainer(schema.name(), schema.spec(), synthConfig, this::onSynthModel);
        }

        /** The synthesizer's state now (on its thread, or after it closed). */
        private SynthState captureSynthState(long version) {
            return new SynthState(version, synth.checkpoint(),
                    schema.spec().isWide() ? synth.checkpoint(true) : null);
        }

        /** On the synthesizer's thread: publish synthetic records for the real ones learned, measure quality. */
        private void onSynthModel(String dataset, SynthModel model, SynthStats stats) {
            metrics.trainedWindow(dataset, "synthesizer", stats.lastWindowTrainMillis());
            synthModel = model;
            // Captured here, on the synthesizer's own thread (the only place its state may be read while it
            // runs); the imputer's checkpoints carry the latest capture.
            synthState = captureSynthState(model.versionNumber());
            long windows = stats.windowsTrained() - lastSyntheticWindows;
            lastSyntheticWindows = stats.windowsTrained();
            int count = (int) Math.round(windows * schema.settings().windowRecords() * schema.settings().syntheticPerRecord());
            if (count > 0) {
                synthetic.get().publish(schema, model.sample(count, schema.settings().seed() + model.versionNumber()),
                        model.version());
            }
            double[][] real;
            synchronized (this) {
                real = Arrays.copyOf(heldOut, Math.min(heldOutCount, heldOut.length));
            }
            if (real.length >= 40) {
                double[][] fresh = model.sample(real.length, schema.settings().seed() * 31 + model.versionNumber());
                QualityReport q = QualityReport.evaluate(schema.spec(), real, fresh);
                double auc = Detection.logisticAuc(schema.spec(), real, fresh, 3, schema.settings().seed());
                synthQuality = new double[]{q.overall(), q.columnShapes(), q.columnPairTrends(), auc};
            }
        }

        private DatasetTrainer start(ModelCheckpoint checkpoint) {
            String dataset = schema.name();
            GainConfig gain = gainConfig(schema, config.getQueueWindows());
            if (checkpoint != null) {
                try {
                    long t0 = System.nanoTime();
                    DatasetTrainer t = DatasetTrainer.restore(dataset, schema.spec(), gain, this::onModel,
                            checkpoint.state());
                    LOG.info("Resumed training of {} from its checkpoint: model version {}, {} bytes, in {} ms",
                            dataset, checkpoint.modelVersion(), checkpoint.state().length,
                            (System.nanoTime() - t0) / 1_000_000);
                    metrics.checkpoint(dataset, "restored");
                    checkpointProblems.remove(dataset);
                    lastPublished = checkpoint.modelVersion();
                    return t;
                } catch (RuntimeException e) {
                    reject(dataset, "unreadable trainer state (" + e.getClass().getSimpleName() + ")");
                }
            }
            return new DatasetTrainer(dataset, schema.spec(), gain, this::onModel);
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

        void learn(double[] cells) {
            long n = samples.incrementAndGet();
            List<double[]> full = null;
            List<double[]> synthFull = null;
            synchronized (this) {
                window.add(cells);
                if (synth != null) {
                    if (n % HELD_OUT_EVERY == 0 && complete(cells)) {
                        heldOut[(heldOutCount++) % heldOut.length] = cells;
                    } else {
                        synthWindow.add(cells);
                    }
                }
                if (window.size() >= schema.settings().windowRecords()) {
                    full = window;
                    window = new ArrayList<>(schema.settings().windowRecords());
                    synthFull = synthWindow;
                    synthWindow = new ArrayList<>(schema.settings().windowRecords());
                }
            }
            // Outside the lock: the trainers copy the rows; a full queue drops the window (and counts it)
            // rather than stall the stream thread.
            if (full != null) {
                trainer.offerWindow(full);
                if (synth != null && !synthFull.isEmpty()) {
                    synth.offerWindow(synthFull);
                }
            }
        }

        /**
         * On the trainer thread, for each new model version: published when it is the first, when the trainer
         * has caught up with the stream (so light load serves every version), and every N windows under load.
         */
        private void onModel(String dataset, GainModel model, TrainingStats stats) {
            metrics.trainedWindow(dataset, stats);
            if (firstVersion < 0) {
                firstVersion = model.versionNumber();
            }
            if (model.versionNumber() == firstVersion || trainer.queuedWindows() == 0
                    || stats.windowsTrained() % schema.settings().checkpointEveryWindows() == 0) {
                publish(model.versionNumber());
            }
        }

        /** After the trainers are closed: publishes their last state unless it is already published. */
        synchronized void publishLatest() {
            if (synth != null && synth.latestModel() != null) {
                synthState = captureSynthState(synth.latestModel().versionNumber());
            }
            GainModel latest = trainer.latestModel();
            SynthState s = synthState;
            if (latest != null && (latest.versionNumber() > lastPublished
                    || (s != null && s.version() > lastPublishedSynth))) {
                publish(latest.versionNumber());
            }
        }

        private void publish(long version) {
            SynthState s = synthState;
            try {
                checkpoints.get().write(new ModelCheckpoint(schema.name(), schemaHash,
                        ModelCheckpoints.softwareVersion(), System.currentTimeMillis(), version,
                        schema.settings().seed(), trainer.checkpoint(), s == null ? 0 : s.version(),
                        s == null ? null : s.bytes()), s == null ? null : s.servingBytes());
                lastPublished = version;
                lastPublishedSynth = s == null ? 0 : s.version();
            } catch (RuntimeException e) {
                LOG.warn("Checkpoint of {} failed: {}", schema.name(), e.toString());
                metrics.checkpoint(schema.name(), "failed");
            }
        }

        /** Stops training; with {@code finalCheckpoint}, publishes the trainer's last state first. */
        synchronized void stop(boolean finalCheckpoint) {
            if (stopped) {
                return;
            }
            stopped = true;
            trainer.close();
            if (synth != null) {
                synth.close();
            }
            if (finalCheckpoint) {
                publishLatest();
            }
        }
    }
}
