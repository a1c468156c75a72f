package io.ganstream.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    public static final String IMPUTATION_LATENCY = "ganstream.imputation.latency";

    public static final String TAG_DATASET = "dataset";
    public static final String TAG_REASON = "reason";
    public static final String TAG_COLUMN = "column";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public GanstreamMetrics(MeterRegistry registry) {
        this.registry = registry;
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

    private Counter counter(String name, String description, String... tags) {
        String key = name + '|' + String.join("|", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }
}
