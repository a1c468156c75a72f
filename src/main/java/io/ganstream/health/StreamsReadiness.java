package io.ganstream.health;

import io.ganstream.service.StreamsService;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.Map;

/** Ready when Kafka Streams is RUNNING: then raw records are being imputed. */
@Singleton
@Readiness
public class StreamsReadiness extends AbstractHealthIndicator<Map<String, Object>> {
    private final StreamsService streams;

    public StreamsReadiness(StreamsService streams) {
        this.streams = streams;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        var state = streams.streams().state();
        healthStatus = state == org.apache.kafka.streams.KafkaStreams.State.RUNNING ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("state", state.name());
    }

    @Override
    protected String getName() {
        return "kafkaStreams";
    }
}
