package io.ganstream.metrics;

import io.ganstream.stream.PipelineEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts what passes through the topology in Micrometer meters. Called for every record on the stream thread,
 * so each dataset's meters are looked up once and kept (a registry lookup builds a tag key per call, which
 * showed in the stream thread's profile).
 */
@Singleton
public class MicrometerPipelineEvents implements PipelineEvents {
    private final GanstreamMetrics metrics;
    private final Map<String, DatasetMeters> meters = new ConcurrentHashMap<>();

    /** One dataset's per-record meters; the per-column counters are added as columns get filled. */
    private final class DatasetMeters {
        final String dataset;
        final Counter in;
        final Counter imputed;
        final Timer latency;
        final Map<String, Counter> filled = new ConcurrentHashMap<>();

        DatasetMeters(String dataset) {
            this.dataset = dataset;
            this.in = metrics.recordsIn(dataset);
            this.imputed = metrics.recordsImputed(dataset);
            this.latency = metrics.imputationLatency(dataset);
        }

        Counter filled(String column) {
            Counter c = filled.get(column);
            return c != null ? c : filled.computeIfAbsent(column, k -> metrics.valuesFilled(dataset, k));
        }
    }

    public MicrometerPipelineEvents(GanstreamMetrics metrics) {
        this.metrics = metrics;
    }

    private DatasetMeters of(String dataset) {
        DatasetMeters m = meters.get(dataset);
        return m != null ? m : meters.computeIfAbsent(dataset, DatasetMeters::new);
    }

    @Override
    public void received(String dataset) {
        of(dataset).in.increment();
    }

    @Override
    public void imputed(String dataset, List<String> filledColumns, long latencyMillis) {
        DatasetMeters m = of(dataset);
        m.imputed.increment();
        for (String column : filledColumns) {
            int bracket = column.indexOf('[');
            // A vector column is named "pixels[37]": count the 37 under the column's plain name.
            if (bracket > 0) {
                int count = Integer.parseInt(column.substring(bracket + 1, column.length() - 1));
                m.filled(column.substring(0, bracket)).increment(count);
            } else {
                m.filled(column).increment();
            }
        }
        m.latency.record(latencyMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void deadLettered(String dataset, String reasonClass) {
        metrics.recordsDeadLettered(dataset, reasonClass).increment();
    }
}
