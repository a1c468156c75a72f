package io.ganstream.metrics;

import io.ganstream.engine.train.TrainerStatus;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * The one place that names ganstream's own meters (Prometheus sees them as {@code ganstream_*}). Meters are
 * cached per tag set: the stream calls these for every record and a registry lookup each time would cost
 * more than the counting.
 */
@Singleton
public class GanstreamMetrics {
    public static final String RECORDS_IN = "ganstream.records.in";
    public static final String RECORDS_IMPUTED = "ganstream.records.imputed";
    public static final String RECORDS_DEAD_LETTERED = "ganstream.records.dead.lettered";
    public static final String VALUES_FILLED = "ganstream.values.filled";
    public static final String RECORDS_SYNTHETIC = "ganstream.records.synthetic";
    public static final String SYNTHETIC_QUALITY = "ganstream.quality.synthetic";
    public static final String DETECTION_AUC = "ganstream.quality.detection.auc";
    /** Share of fresh synthetic rows nearer a training row than every held-out row (0.5 ideal). */
    public static final String PRIVACY_DCR_SHARE = "ganstream.privacy.dcr.share";
    /** Share of fresh synthetic rows that copy a training row. */
    public static final String PRIVACY_COPIES = "ganstream.privacy.copies";
    /** Synthetic rows the privacy filter withheld (D.synthetic and the samples endpoints). */
    public static final String PRIVACY_FILTERED = "ganstream.privacy.filtered";
    /** Share of the real rows' categories ({@code kind=category}) or quantile bins ({@code kind=mode}) covered. */
    public static final String SYNTHETIC_COVERAGE = "ganstream.synthetic.coverage";
    public static final String SYNTHETIC_VARIANCE_RATIO_MIN = "ganstream.synthetic.variance.ratio.min";
    public static final String IMPUTATION_LATENCY = "ganstream.imputation.latency";
    public static final String TRAINING_STEPS = "ganstream.training.steps";
    /** Training rows by outcome: {@code offered}, {@code learned} (reached the learner), {@code sampled_out}. */
    public static final String TRAINING_ROWS = "ganstream.training.rows";
    public static final String TRAINING_ROWS_BUFFERED = "ganstream.training.rows.buffered";
    /** Rows offered and not yet taken by the learner: the training lag. */
    public static final String TRAINING_ROWS_PENDING = "ganstream.training.rows.pending";
    /** 0 waiting, 1 learning, 2 converged. */
    public static final String TRAINING_STATE = "ganstream.training.state";
    public static final String TRAINING_HELD_OUT = "ganstream.training.heldout.measure";
    public static final String TRAINING_DRIFT = "ganstream.training.drift";
    public static final String TRAINING_WAKES = "ganstream.training.wakes";
    public static final String TRAINING_FAILURES = "ganstream.training.failures";
    public static final String TRAINING_LOSS = "ganstream.training.loss";
    public static final String IMPUTATION_RMSE = "ganstream.quality.imputation.rmse";
    public static final String MODEL_VERSION = "ganstream.model.version";
    public static final String CHECKPOINTS = "ganstream.checkpoints";
    public static final String CHECKPOINT_SIZE = "ganstream.checkpoint.size";
    public static final String CHECKPOINT_TIME = "ganstream.checkpoint.time";
    public static final String CHECKPOINT_AGE = "ganstream.checkpoint.age";

    public static final String TAG_DATASET = "dataset";
    public static final String TAG_REASON = "reason";
    public static final String TAG_COLUMN = "column";
    /** Which model: {@code imputer} or {@code synthesizer}. */
    public static final String TAG_MODEL = "model";
    public static final String TAG_NETWORK = "network";
    public static final String TAG_OUTCOME = "outcome";
    /** Whose figure a quality gauge shows: {@code gan} or {@code fallback}. */
    public static final String TAG_IMPUTER = "imputer";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, StatusHolder> trainers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLongArray> checkpointGauges = new ConcurrentHashMap<>();

    public GanstreamMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.clock = registry.config().clock();
    }

    public MeterRegistry registry() {
        return registry;
    }

    public Counter recordsIn(String dataset) {
        return counter(RECORDS_IN, "Raw records read", TAG_DATASET, dataset);
    }

    public Counter recordsImputed(String dataset) {
        return counter(RECORDS_IMPUTED, "Records written to D.imputed", TAG_DATASET, dataset);
    }

    public Counter recordsDeadLettered(String dataset, String reason) {
        return counter(RECORDS_DEAD_LETTERED, "Records written to D.dlq, by reason class",
                TAG_DATASET, dataset, TAG_REASON, reason);
    }

    public Counter recordsSynthetic(String dataset) {
        return counter(RECORDS_SYNTHETIC, "Records written to D.synthetic", TAG_DATASET, dataset);
    }

    public Counter valuesFilled(String dataset, String column) {
        return counter(VALUES_FILLED, "Missing values filled, by column", TAG_DATASET, dataset, TAG_COLUMN, column);
    }

    public Timer imputationLatency(String dataset) {
        return timers.computeIfAbsent(dataset, d -> Timer.builder(IMPUTATION_LATENCY)
                .description("Time from a raw record's timestamp to its imputed record")
                .tag(TAG_DATASET, d)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry));
    }

    /**
     * Gauges of one model's training (model {@code imputer} or {@code synthesizer}), reading its trainer's status:
     * state, steps, rows offered / learned / sampled out / buffered / pending, held-out measure, drift, wakes,
     * failures, losses, version, and the model's quality figures (imputation RMSE of the GAN and of the fallback;
     * synthetic quality and detection AUC, DCR share, copies, coverage, minimum variance ratio, and the privacy
     * filter's counter). Registered once per dataset and model; the trainer of a new schema
     * version takes over the same meters.
     */
    public void trainerGauges(String dataset, String model, Supplier<TrainerStatus> status) {
        StatusHolder holder = trainers.computeIfAbsent(dataset + '|' + model, key -> {
            StatusHolder h = new StatusHolder();
            Tags t = Tags.of(TAG_DATASET, dataset, TAG_MODEL, model);
            Gauge.builder(TRAINING_STATE, h, x -> x.get().state().code())
                    .description("Training state: 0 waiting, 1 learning, 2 converged").tags(t).register(registry);
            FunctionCounter.builder(TRAINING_STEPS, h, x -> x.get().steps())
                    .description("Mini-batch training steps").tags(t).register(registry);
            FunctionCounter.builder(TRAINING_ROWS, h, x -> x.get().rowsOffered())
                    .description("Training rows, by outcome").tags(t.and(TAG_OUTCOME, "offered")).register(registry);
            FunctionCounter.builder(TRAINING_ROWS, h, x -> x.get().rowsLearned())
                    .description("Training rows, by outcome").tags(t.and(TAG_OUTCOME, "learned")).register(registry);
            FunctionCounter.builder(TRAINING_ROWS, h, x -> x.get().rowsSampledOut())
                    .description("Training rows, by outcome").tags(t.and(TAG_OUTCOME, "sampled_out"))
                    .register(registry);
            Gauge.builder(TRAINING_ROWS_BUFFERED, h, x -> x.get().rowsInBuffer())
                    .description("Rows in the replay buffer").tags(t).register(registry);
            Gauge.builder(TRAINING_ROWS_PENDING, h, x -> x.get().rowsPending())
                    .description("Rows offered and not yet taken by the learner (training lag)").tags(t)
                    .register(registry);
            Gauge.builder(TRAINING_HELD_OUT, h, x -> x.get().measure())
                    .description("Latest held-out measure (imputer: RMSE; synthesizer: 1 - quality); lower is better")
                    .tags(t).register(registry);
            Gauge.builder(TRAINING_DRIFT, h, x -> x.get().drift())
                    .description("Newest held-out rows' measure over the converged level (1 = no drift)").tags(t)
                    .register(registry);
            FunctionCounter.builder(TRAINING_WAKES, h, x -> x.get().wakes())
                    .description("Times training woke after converging, by cause").tags(t.and(TAG_REASON, "any"))
                    .register(registry);
            FunctionCounter.builder(TRAINING_WAKES, h, x -> x.get().driftWakes())
                    .description("Times training woke after converging, by cause").tags(t.and(TAG_REASON, "drift"))
                    .register(registry);
            FunctionCounter.builder(TRAINING_FAILURES, h, x -> x.get().failures())
                    .description("Chunks of training steps that failed (logged)").tags(t).register(registry);
            Gauge.builder(TRAINING_LOSS, h, x -> x.get().loss(0)).description("Latest training loss")
                    .tags(t.and(TAG_NETWORK, "generator")).register(registry);
            Gauge.builder(TRAINING_LOSS, h, x -> x.get().loss(1)).description("Latest training loss")
                    .tags(t.and(TAG_NETWORK, "discriminator")).register(registry);
            Gauge.builder(MODEL_VERSION, h, x -> x.get().version()).description("Latest model version")
                    .tags(t).register(registry);
            if ("imputer".equals(model)) {
                Gauge.builder(IMPUTATION_RMSE, h, x -> x.get().figure(0))
                        .description("Imputation RMSE on masked held-out values, in [0,1] units")
                        .tags(Tags.of(TAG_DATASET, dataset, TAG_IMPUTER, "gan")).register(registry);
                Gauge.builder(IMPUTATION_RMSE, h, x -> x.get().figure(1))
                        .description("Imputation RMSE on masked held-out values, in [0,1] units")
                        .tags(Tags.of(TAG_DATASET, dataset, TAG_IMPUTER, "fallback")).register(registry);
            } else {
                String[] figures = {"overall", "column_shapes", "column_pair_trends"};
                for (int i = 0; i < figures.length; i++) {
                    int k = i;
                    Gauge.builder(SYNTHETIC_QUALITY, h, x -> x.get().figure(k))
                            .description("Quality of fresh synthetic rows against held-out real rows (SDMetrics-style, 0..1)")
                            .tags(Tags.of(TAG_DATASET, dataset, "figure", figures[i])).register(registry);
                }
                Gauge.builder(DETECTION_AUC, h, x -> x.get().figure(3))
                        .description("Cross-validated logistic-regression AUC, real vs synthetic (0.5 = indistinguishable)")
                        .tags(TAG_DATASET, dataset).register(registry);
                Gauge.builder(PRIVACY_DCR_SHARE, h, x -> x.get().figure(4))
                        .description("Share of fresh synthetic rows nearer a training row than every held-out row "
                                + "(0.5 ideal, 1 = copies its training rows)")
                        .tags(TAG_DATASET, dataset).register(registry);
                Gauge.builder(PRIVACY_COPIES, h, x -> x.get().figure(5))
                        .description("Share of fresh synthetic rows equal to a training row on every cell")
                        .tags(TAG_DATASET, dataset).register(registry);
                Gauge.builder(SYNTHETIC_COVERAGE, h, x -> x.get().figure(8))
                        .description("Share of the held-out rows' categories / quantile bins that fresh synthetic rows cover")
                        .tags(Tags.of(TAG_DATASET, dataset, "kind", "category")).register(registry);
                Gauge.builder(SYNTHETIC_COVERAGE, h, x -> x.get().figure(9))
                        .description("Share of the held-out rows' categories / quantile bins that fresh synthetic rows cover")
                        .tags(Tags.of(TAG_DATASET, dataset, "kind", "mode")).register(registry);
                Gauge.builder(SYNTHETIC_VARIANCE_RATIO_MIN, h, x -> x.get().figure(10))
                        .description("Smallest variance ratio synthetic / real over the numeric columns (0 = collapsed)")
                        .tags(TAG_DATASET, dataset).register(registry);
                privacyFiltered(dataset);
            }
            return h;
        });
        holder.source = status;
    }

    /** Synthetic rows of a dataset withheld by its privacy filter (exists from its synthesizer's start). */
    public Counter privacyFiltered(String dataset) {
        return counter(PRIVACY_FILTERED, "Synthetic rows withheld by the privacy filter", TAG_DATASET, dataset);
    }

    /**
     * Counts a checkpoint event of a dataset.
     *
     * @param outcome {@code written}, {@code failed}, {@code restored}, {@code rejected} (corrupted or
     *                incompatible), {@code ignored} (made for another schema), {@code synthesizer_serving_only}
     *                (written with only the synthesizer's sampling state, the whole of it made the record too
     *                large for the model topic) or {@code synthesizer_omitted} (written without the synthesizer,
     *                even whose sampling state did not fit)
     */
    public void checkpoint(String dataset, String outcome) {
        counter(CHECKPOINTS, "Model checkpoints, by outcome", TAG_DATASET, dataset, TAG_OUTCOME, outcome).increment();
    }

    /** A checkpoint reached the broker: counts it and records its size and time (for checkpoint age). */
    public void checkpointWritten(String dataset, int bytes, long createdMillis) {
        checkpoint(dataset, "written");
        checkpointGauges.computeIfAbsent(dataset, d -> {
            AtomicLongArray holder = new AtomicLongArray(2);
            Gauge.builder(CHECKPOINT_SIZE, holder, h -> h.get(0)).baseUnit("bytes")
                    .description("Size of the latest checkpoint").tag(TAG_DATASET, d).register(registry);
            Gauge.builder(CHECKPOINT_TIME, holder, h -> h.get(1) / 1000.0).baseUnit("seconds")
                    .description("Unix time of the latest checkpoint (age = time() - this)").tag(TAG_DATASET, d)
                    .register(registry);
            // Age computed at scrape time, so an alert needs no arithmetic and a stalled trainer shows as growth.
            Gauge.builder(CHECKPOINT_AGE, holder, h -> (clock.wallTime() - h.get(1)) / 1000.0).baseUnit("seconds")
                    .description("Seconds since the latest checkpoint of this instance was written")
                    .tag(TAG_DATASET, d).register(registry);
            return holder;
        });
        AtomicLongArray holder = checkpointGauges.get(dataset);
        holder.set(0, bytes);
        holder.set(1, createdMillis);
    }

    /** The current source of a model's training status: the trainer of its dataset's current schema version. */
    private static final class StatusHolder {
        volatile Supplier<TrainerStatus> source = TrainerStatus::empty;

        TrainerStatus get() {
            return source.get();
        }
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + '|' + String.join("|", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }
}
