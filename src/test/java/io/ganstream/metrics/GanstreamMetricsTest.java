package io.ganstream.metrics;

import io.ganstream.engine.train.TrainerState;
import io.ganstream.engine.train.TrainerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
    void shouldShowEachModelsTrainingStateRowsAndDriftFromItsTrainer() {
        TrainerStatus learning = new TrainerStatus(TrainerState.LEARNING, 3, 500, 1000, 990, 800, 0, 10, 90, 0.1,
                0.1, Double.NaN, -0.05, Double.NaN, 0, 0, 0, 12, new double[] {0.1, 0.2, 300},
                new double[] {1, 2, 3});
        metrics.trainerGauges("cars", "imputer", () -> learning);
        assertEquals(1.0, registry.get(GanstreamMetrics.TRAINING_STATE).tags("dataset", "cars", "model", "imputer")
                .gauge().value());
        assertEquals(1000.0, registry.get(GanstreamMetrics.TRAINING_ROWS).tags("model", "imputer", "outcome",
                "offered").functionCounter().count());
        assertEquals(10.0, registry.get(GanstreamMetrics.TRAINING_ROWS_PENDING).gauge().value());
        assertEquals(0.2, registry.get(GanstreamMetrics.IMPUTATION_RMSE).tag("imputer", "fallback").gauge().value());

        TrainerStatus converged = new TrainerStatus(TrainerState.CONVERGED, 4, 900, 1000, 1000, 800, 0, 0, 90, 0.08,
                0.08, 0.08, -0.01, 1.0, 0, 0, 0, 12, new double[] {0.91, 0.95, 0.87, 0.52},
                new double[] {1, 2, 3});
        metrics.trainerGauges("cars", "synthesizer", () -> converged);
        assertEquals(2.0, registry.get(GanstreamMetrics.TRAINING_STATE).tag("model", "synthesizer").gauge().value());
        assertEquals(1.0, registry.get(GanstreamMetrics.TRAINING_DRIFT).tag("model", "synthesizer").gauge().value());
        assertEquals(0.52, registry.get(GanstreamMetrics.DETECTION_AUC).tag("dataset", "cars").gauge().value());
        assertTrue(Double.isNaN(registry.get(GanstreamMetrics.PRIVACY_DCR_SHARE).tag("dataset", "cars").gauge()
                .value()), "a learner without privacy figures shows NaN");
        assertEquals(0.0, registry.get(GanstreamMetrics.PRIVACY_FILTERED).tag("dataset", "cars").counter().count(),
                "the filtered counter exists from the synthesizer's start");
    }

    @Test
    void shouldShowThePrivacyAndCoverageFiguresOfTheSynthesizer() {
        TrainerStatus s = new TrainerStatus(TrainerState.CONVERGED, 4, 900, 1000, 1000, 800, 0, 0, 90, 0.08,
                0.08, 0.08, -0.01, 1.0, 0, 0, 0, 12,
                new double[] {0.91, 0.95, 0.87, 0.52, 0.55, 0.01, 0.04, 0.05, 0.95, 0.9, 0.8},
                new double[] {1, 2, 3});
        metrics.trainerGauges("bikes", "synthesizer", () -> s);
        assertEquals(0.55, registry.get(GanstreamMetrics.PRIVACY_DCR_SHARE).tag("dataset", "bikes").gauge().value());
        assertEquals(0.01, registry.get(GanstreamMetrics.PRIVACY_COPIES).tag("dataset", "bikes").gauge().value());
        assertEquals(0.95, registry.get(GanstreamMetrics.SYNTHETIC_COVERAGE).tags("dataset", "bikes", "kind",
                "category").gauge().value());
        assertEquals(0.9, registry.get(GanstreamMetrics.SYNTHETIC_COVERAGE).tags("dataset", "bikes", "kind", "mode")
                .gauge().value());
        assertEquals(0.8, registry.get(GanstreamMetrics.SYNTHETIC_VARIANCE_RATIO_MIN).tag("dataset", "bikes")
                .gauge().value());
        metrics.privacyFiltered("bikes").increment(3);
        assertEquals(3.0, registry.get(GanstreamMetrics.PRIVACY_FILTERED).tag("dataset", "bikes").counter().count());
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
