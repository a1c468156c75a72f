package io.ganstream.metrics;

import io.ganstream.stream.PipelineEvents;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Counts what passes through the topology in Micrometer meters. */
@Singleton
public class MicrometerPipelineEvents implements PipelineEvents {
    private final GanstreamMetrics metrics;

    public MicrometerPipelineEvents(GanstreamMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void received(String dataset) {
        metrics.recordsIn(dataset).increment();
    }

    @Override
    public void imputed(String dataset, List<String> filledColumns, long latencyMillis) {
        metrics.recordsImputed(dataset).increment();
        for (String column : filledColumns) {
            int bracket = column.indexOf('[');
            // A vector column is named "pixels[37]": count the 37 under the column's plain name.
            if (bracket > 0) {
                int count = Integer.parseInt(column.substring(bracket + 1, column.length() - 1));
                metrics.valuesFilled(dataset, column.substring(0, bracket)).increment(count);
            } else {
                metrics.valuesFilled(dataset, column).increment();
            }
        }
        metrics.imputationLatency(dataset).record(latencyMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void deadLettered(String dataset, String reasonClass) {
        metrics.recordsDeadLettered(dataset, reasonClass).increment();
    }
}
