package io.ganstream.service;

import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.synth.SynthConfig;
import io.ganstream.engine.synth.SynthLearner;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.engine.train.Trainer;
import io.ganstream.engine.train.TrainerSettings;
import io.ganstream.engine.train.TrainerState;
import io.ganstream.engine.train.TrainerStatus;
import io.ganstream.engine.train.TrainingBudget;
import io.ganstream.config.TrainingConfig;
import io.ganstream.metrics.GanstreamMetrics;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ModelConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One dataset's training on this instance, under one schema version: the imputer's and the synthesizer's
 * {@link Trainer}s, fed every training sample, and what their new versions lead to: checkpoints on the model
 * topic (both models' latest states in one record, whichever model published) and synthetic records.
 */
final class DatasetTraining {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetTraining.class);
    /** Most synthetic rows sampled at once (a backfill's worth is published in slices). */
    private static final int SYNTHETIC_SLICE = 10_000;

    /** What a dataset's training needs from the instance. */
    record Context(TrainingConfig config, GanstreamMetrics metrics, ModelCheckpoints checkpoints,
                   SyntheticPublisher synthetic, TrainingBudget budget, BiConsumer<String, String> reject) {
    }

    /** A learner's state as last captured on its own thread, with the version and training state it had. */
    private record Captured(long version, byte[] bytes, byte[] servingBytes, TrainerState state) {
    }

    final DatasetSchema schema;
    private final Context ctx;
    private final GainLearner gain;
    final Trainer<GainModel> imputer;
    private final SynthLearner synthLearner;
    /** Null when synthesis is off for the dataset. */
    final Trainer<SynthModel> synthesizer;
    final AtomicLong samples = new AtomicLong();
    private volatile Captured imputerState;
    private volatile Captured synthState;
    private volatile SynthModel synthModel;
    volatile long lastPublished;
    private long lastPublishedSynth;
    /** The training states the last checkpoint carried: a change of state alone is worth a checkpoint. */
    private TrainerState[] lastStates = new TrainerState[2];
    private long syntheticCovered;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

    DatasetTraining(DatasetSchema schema, Context ctx, ModelCheckpoint checkpoint) {
        this.schema = schema;
        this.ctx = ctx;
        String name = schema.name();
        GainConfig gainConfig = ModelConfigs.gainConfig(schema);
        GainLearner g = null;
        if (checkpoint != null) {
            try {
                long t0 = System.nanoTime();
                g = GainLearner.restore(schema.spec(), gainConfig, checkpoint.state());
                LOG.info("Resumed training of {} from its checkpoint: model version {}, {} bytes, in {} ms", name,
                        checkpoint.modelVersion(), checkpoint.state().length, (System.nanoTime() - t0) / 1_000_000);
                ctx.metrics().checkpoint(name, "restored");
                lastPublished = checkpoint.modelVersion();
                imputerState = new Captured(checkpoint.modelVersion(), checkpoint.state(), null,
                        checkpoint.imputerTraining());
            } catch (RuntimeException e) {
                ctx.reject().accept(name, "unreadable trainer state (" + e.getClass().getSimpleName() + ")");
            }
        }
        this.gain = g != null ? g : new GainLearner(schema.spec(), gainConfig);
        this.imputer = new Trainer<>(name + "/imputer", gain, settings(schema, gainConfig.stepsPerWindow()),
                ctx.budget(), this::onImputer, gain.restoredModel());
        ctx.metrics().trainerGauges(name, "imputer", imputer::status);
        if (ModelConfigs.synthesizes(schema)) {
            this.synthLearner = synthLearner(checkpoint);
            SynthModel restored = synthLearner.latestModel();
            this.synthModel = restored;
            this.syntheticCovered = 0;
            this.synthesizer = new Trainer<>(name + "/synthesizer", synthLearner,
                    settings(schema, synthLearner.config().stepsPerWindow()).withDrift(1.5, 100), ctx.budget(),
                    this::onSynth, restored);
            ctx.metrics().trainerGauges(name, "synthesizer", synthesizer::status);
        } else {
            this.synthLearner = null;
            this.synthesizer = null;
        }
    }

    private TrainerSettings settings(DatasetSchema schema, int evalEverySteps) {
        return TrainerSettings.defaults(schema.settings().windowRecords(), evalEverySteps)
                .withPublishEvery(ctx.config().getPublishEveryMillis())
                .withBackoff(ctx.config().getBackoffFactor())
                .withStepBudget(schema.settings().stepBudget() > 0 ? schema.settings().stepBudget()
                        : ctx.config().getStepBudget());
    }

    private SynthLearner synthLearner(ModelCheckpoint checkpoint) {
        SynthConfig config = ModelConfigs.synthConfig(schema);
        if (checkpoint != null && checkpoint.hasSynthesizer()) {
            try {
                SynthLearner restored = SynthLearner.restore(schema.spec(), config, checkpoint.synthState());
                synthState = new Captured(checkpoint.synthVersion(), checkpoint.synthState(), null,
                        checkpoint.synthTraining());
                lastPublishedSynth = checkpoint.synthVersion();
                LOG.info("Resumed the synthesizer of {} from its checkpoint: version {}", schema.name(),
                        checkpoint.synthVersion());
                return restored;
            } catch (RuntimeException e) {
                ctx.reject().accept(schema.name(),
                        "unreadable synthesizer state (" + e.getClass().getSimpleName() + ")");
            }
        }
        return new SynthLearner(schema.spec(), config);
    }

    /** Hands a training sample to both trainers; never blocks. */
    void learn(double[] cells) {
        samples.incrementAndGet();
        imputer.offer(cells);
        if (synthesizer != null) {
            synthesizer.offer(cells);
        }
    }

    /** The synthesizer's newest version on this instance, null before one. */
    SynthModel synthModel() {
        return synthModel;
    }

    /** On the imputer's thread: capture its state and publish a checkpoint. */
    private void onImputer(GainModel model, TrainerStatus status) {
        imputerState = new Captured(model.versionNumber(), gain.checkpoint(), null, status.state());
        publish();
    }

    /** On the synthesizer's thread: capture its state, publish synthetic records for the rows learned, checkpoint. */
    private void onSynth(SynthModel model, TrainerStatus status) {
        synthModel = model;
        synthState = new Captured(model.versionNumber(), synthLearner.checkpoint(),
                schema.spec().isWide() ? synthLearner.checkpoint(true) : null, status.state());
        publishSynthetic(model, status.rowsOffered());
        publish();
    }

    private void publishSynthetic(SynthModel model, long rowsOffered) {
        double perRecord = schema.settings().syntheticPerRecord();
        long due = (long) Math.floor(rowsOffered * perRecord) - syntheticCovered;
        long seed = schema.settings().seed() + model.versionNumber();
        while (due > 0) {
            int n = (int) Math.min(due, SYNTHETIC_SLICE);
            // withheld rows are made up for a few rounds, then this slice is published short (counted as covered)
            SynthModel.Filtered f = PrivateSamples.sample(schema, ctx.metrics(), model, n, java.util.Map.of(), seed++);
            ctx.synthetic().publish(schema, f.rows(), model.version());
            syntheticCovered += n;
            due -= n;
        }
    }

    /** Writes both models' latest captured states as one checkpoint, when either is newer than the last one. */
    private synchronized void publish() {
        Captured i = imputerState;
        Captured s = synthState;
        if (i == null || i.version() == 0) {
            return;
        }
        if (i.version() <= lastPublished && (s == null || s.version() <= lastPublishedSynth)
                && !stateChanged(i, s)) {
            return;
        }
        try {
            ctx.checkpoints().write(new ModelCheckpoint(schema.name(), schema.hash(),
                    ModelCheckpoints.softwareVersion(), System.currentTimeMillis(), i.version(),
                    schema.settings().seed(), i.bytes(), s == null ? 0 : s.version(), s == null ? null : s.bytes(),
                    i.state(), s == null ? null : s.state(), schema.text()), s == null ? null : s.servingBytes());
            lastPublished = i.version();
            lastPublishedSynth = s == null ? 0 : s.version();
            lastStates = new TrainerState[] {i.state(), s == null ? null : s.state()};
        } catch (RuntimeException e) {
            LOG.warn("Checkpoint of {} failed: {}", schema.name(), e.toString());
            ctx.metrics().checkpoint(schema.name(), "failed");
        }
    }

    private boolean stateChanged(Captured i, Captured s) {
        return lastStates[0] != i.state() || (s != null && lastStates[1] != s.state());
    }

    /** Stops both trainers; with {@code finalCheckpoint}, publishes their last states first. */
    void stop(boolean finalCheckpoint) {
        // Not under the publishing lock: a listener may be publishing while the trainers are joined.
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        imputer.close();
        if (synthesizer != null) {
            synthesizer.close();
        }
        if (!finalCheckpoint) {
            return;
        }
        if (gain.version() > 0) {
            imputerState = new Captured(gain.version(), gain.checkpoint(), null, imputer.state());
        }
        if (synthLearner != null && synthLearner.version() > 0) {
            synthState = new Captured(synthLearner.version(), synthLearner.checkpoint(),
                    schema.spec().isWide() ? synthLearner.checkpoint(true) : null, synthesizer.state());
        }
        publish();
    }
}
