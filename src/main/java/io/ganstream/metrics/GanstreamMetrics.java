package io.ganstream.metrics;

import io.ganstream.engine.impute.TrainingStats;
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
    public static final String IMPUTATION_LATENCY = "ganstream.imputation.latency";
    public static final String TRAINING_STEPS = "ganstream.training.steps";
    public static final String TRAINING_WINDOWS = "ganstream.training.windows";
    public static final String TRAINING_WINDOW_DURATION = "ganstream.training.window.duration";
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
    private final Map<String, StatsHolder> trainers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLongArray> checkpointGauges = new ConcurrentHashMap<>();
    private final Map<String, SynthHolder> synthesizers = new ConcurrentHashMap<>();

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

    /**
     * Gauges of one dataset's synthesizer: training figures and the quality of fresh synthetic rows against
     * recent real rows ({@code figure}: overall, column_shapes, column_pair_trends; detection AUC).
     */
    public void synthesizerGauges(String dataset, Supplier<io.ganstream.engine.synth.SynthStats> stats,
                                  Supplier<double[]> quality) {
        synthesizers.computeIfAbsent(dataset, d -> {
            SynthHolder h = new SynthHolder();
            Tags t = Tags.of(TAG_DATASET, d, TAG_MODEL, "synthesizer");
            FunctionCounter.builder(TRAINING_STEPS, h, x -> x.stats.get().stepsTotal())
                    .description("Mini-batch training steps").tags(t).register(registry);
            FunctionCounter.builder(TRAINING_WINDOWS, h, x -> x.stats.get().windowsTrained())
                    .description("Training windows, by outcome").tags(t.and(TAG_OUTCOME, "trained")).register(registry);
            FunctionCounter.builder(TRAINING_WINDOWS, h, x -> x.stats.get().windowsDropped())
                    .description("Training windows, by outcome").tags(t.and(TAG_OUTCOME, "dropped")).register(registry);
            FunctionCounter.builder(TRAINING_WINDOWS, h, x -> x.stats.get().windowsFailed())
                    .description("Training windows, by outcome").tags(t.and(TAG_OUTCOME, "failed")).register(registry);
            Gauge.builder(TRAINING_LOSS, h, x -> x.stats.get().lastGeneratorLoss()).description("Latest training loss")
                    .tags(t.and(TAG_NETWORK, "generator")).register(registry);
            Gauge.builder(TRAINING_LOSS, h, x -> x.stats.get().lastDiscriminatorLoss()).description("Latest training loss")
                    .tags(t.and(TAG_NETWORK, "discriminator")).register(registry);
            Gauge.builder(MODEL_VERSION, h, x -> x.stats.get().version()).description("Latest model version")
                    .tags(t).register(registry);
            String[] figures = {"overall", "column_shapes", "column_pair_trends"};
            for (int i = 0; i < figures.length; i++) {
                int k = i;
                Gauge.builder(SYNTHETIC_QUALITY, h, x -> x.quality.get()[k])
                        .description("Quality of fresh synthetic rows against recent real rows (SDMetrics-style, 0..1)")
                        .tags(Tags.of(TAG_DATASET, d, "figure", figures[i])).register(registry);
            }
            Gauge.builder(DETECTION_AUC, h, x -> x.quality.get()[3])
                    .description("Cross-validated logistic-regression AUC, real vs synthetic (0.5 = indistinguishable)")
                    .tags(TAG_DATASET, d).register(registry);
            return h;
        });
        SynthHolder h = synthesizers.get(dataset);
        h.stats = stats;
        h.quality = quality;
    }

    private static final class SynthHolder {
        volatile Supplier<io.ganstream.engine.synth.SynthStats> stats = io.ganstream.engine.synth.SynthStats::empty;
        volatile Supplier<double[]> quality = () -> new double[]{Double.NaN, Double.NaN, Double.NaN, Double.NaN};
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
     * Gauges of one dataset's imputer training, reading the trainer's latest figures. Registered once per
     * dataset; a new schema version's trainer takes over the same meters.
     */
    public void trainingGauges(String dataset, Supplier<TrainingStats> stats) {
        StatsHolder holder = trainers.computeIfAbsent(dataset, d -> {
            StatsHolder h = new StatsHolder();
            Tags t = Tags.of(TAG_DATASET, d, TAG_MODEL, "imputer");
            FunctionCounter.builder(TRAINING_STEPS, h, x -> x.get().stepsTotal())
                    .description("Mini-batch training steps").tags(t).register(registry);
            FunctionCounter.builder(TRAINING_WINDOWS, h, x -> x.get().windowsTrained())
                    .description("Training windows, by outcome").tags(t.and(TAG_OUTCOME, "trained")).register(registry);
            FunctionCounter.builder(TRAINING_WINDOWS, h, x -> x.get().windowsDropped())
                    .description("Training windows, by outcome").tags(t.and(TAG_OUTCOME, "dropped")).register(registry);
            FunctionCounter.builder(TRAINING_WINDOWS, h, x -> x.get().windowsFailed())
                    .description("Training windows, by outcome").tags(t.and(TAG_OUTCOME, "failed")).register(registry);
            Gauge.builder(TRAINING_LOSS, h, x -> x.get().lastGeneratorLoss()).description("Latest training loss")
                    .tags(t.and(TAG_NETWORK, "generator")).register(registry);
            Gauge.builder(TRAINING_LOSS, h, x -> x.get().lastDiscriminatorLoss()).description("Latest training loss")
                    .tags(t.and(TAG_NETWORK, "discriminator")).register(registry);
            Gauge.builder(IMPUTATION_RMSE, h, x -> x.get().heldOutRmseModel())
                    .description("Imputation RMSE on masked held-out values, in [0,1] units")
                    .tags(Tags.of(TAG_DATASET, d, TAG_IMPUTER, "gan")).register(registry);
            Gauge.builder(IMPUTATION_RMSE, h, x -> x.get().heldOutRmseMean())
                    .description("Imputation RMSE on masked held-out values, in [0,1] units")
                    .tags(Tags.of(TAG_DATASET, d, TAG_IMPUTER, "fallback")).register(registry);
            Gauge.builder(MODEL_VERSION, h, x -> x.get().version()).description("Latest model version")
                    .tags(t).register(registry);
            return h;
        });
        holder.source = stats;
    }

    /** Records one trained window's duration of the imputer. */
    public void trainedWindow(String dataset, TrainingStats stats) {
        trainedWindow(dataset, "imputer", stats.lastWindowTrainMillis());
    }

    /**
     * Records one trained window's duration.
     *
     * @param model {@code imputer} or {@code synthesizer}
     */
    public void trainedWindow(String dataset, String model, double millis) {
        timers.computeIfAbsent("train|" + model + '|' + dataset, k -> Timer.builder(TRAINING_WINDOW_DURATION)
                        .description("Time to train one window").tags(TAG_DATASET, dataset, TAG_MODEL, model)
                        .register(registry))
                .record((long) (millis * 1000), TimeUnit.MICROSECONDS);
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

    /** The current source of a dataset's training figures: the trainer of its current schema version. */
    private static final class StatsHolder {
        volatile Supplier<TrainingStats> source = TrainingStats::empty;

        TrainingStats get() {
            return source.get();
        }
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + '|' + String.join("|", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }
}
