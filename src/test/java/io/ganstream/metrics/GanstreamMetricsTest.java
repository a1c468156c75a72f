package io.ganstream.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class GanstreamMetricsTest {
    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final GanstreamMetrics metrics = new GanstreamMetrics(registry);

    @Test
    void shouldReportCheckpointAgeAtScrapeTime() {
        metrics.checkpointWritten("cars", 1234, clock.wallTime() - 5_000);
        clock.add(10, TimeUnit.SECONDS);

        assertEquals(15.0, registry.get(GanstreamMetrics.CHECKPOINT_AGE).tag("dataset", "cars").gauge().value(), 1e-9);
        assertEquals(1234.0, registry.get(GanstreamMetrics.CHECKPOINT_SIZE).gauge().value());
        assertEquals(1.0, registry.get(GanstreamMetrics.CHECKPOINTS).tag("outcome", "written").counter().count());

        metrics.checkpointWritten("cars", 99, clock.wallTime());
        assertEquals(0.0, registry.get(GanstreamMetrics.CHECKPOINT_AGE).gauge().value(), 1e-9);
    }

    @Test
    void shouldTimeTrainedWindowsPerModel() {
        metrics.trainedWindow("cars", "imputer", 20.0);
        metrics.trainedWindow("cars", "synthesizer", 40.0);
        metrics.trainedWindow("cars", "synthesizer", 60.0);

        var synth = registry.get(GanstreamMetrics.TRAINING_WINDOW_DURATION).tags("dataset", "cars", "model", "synthesizer").timer();
        assertEquals(2, synth.count());
        assertEquals(100.0, synth.totalTime(TimeUnit.MILLISECONDS), 1e-6);
        assertEquals(1, registry.get(GanstreamMetrics.TRAINING_WINDOW_DURATION).tag("model", "imputer").timer().count());
    }

    @Test
    void shouldCountFilledValuesOfVectorColumnsUnderTheColumnName() {
        new MicrometerPipelineEvents(metrics).imputed("img", List.of("label", "pixels[37]"), 12);

        assertEquals(37.0, registry.get(GanstreamMetrics.VALUES_FILLED).tag("column", "pixels").counter().count());
        assertEquals(1.0, registry.get(GanstreamMetrics.VALUES_FILLED).tag("column", "label").counter().count());
        assertEquals(1, registry.get(GanstreamMetrics.IMPUTATION_LATENCY).timer().count());
    }

    @Test
    void shouldDenyTheRestoreRemainingRecordsMeter() {
        registry.config().meterFilter(new KafkaMeterFilters().denyNegativeRestoreCounter());
        Counter.builder("kafka.stream.state.restore.remaining.records.total").register(registry).increment(-3);
        Counter.builder("kafka.stream.state.restore.total").register(registry).increment();

        assertNull(registry.find("kafka.stream.state.restore.remaining.records.total").meter());
        assertEquals(1.0, registry.get("kafka.stream.state.restore.total").counter().count());
    }
}
