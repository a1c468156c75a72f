package io.ganstream.health;

import io.ganstream.service.StreamsService;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

import java.util.Map;

/**
 * Ready while Kafka Streams is RUNNING or REBALANCING: raw records are being imputed, or will be again within
 * the rebalance, and the HTTP API answers from the global stores meanwhile. A rebalance happens on every
 * dataset registered (a new topic in the pattern subscription) and every instance joining or leaving, so
 * tying readiness to RUNNING alone would take every instance out of its load balancer each time. Not ready
 * before the streams start (CREATED) and when they stop or fail (PENDING_SHUTDOWN, NOT_RUNNING,
 * PENDING_ERROR, ERROR).
 */
@Singleton
@Readiness
public class StreamsReadiness extends AbstractHealthIndicator<Map<String, Object>> {
    private final StreamsService streams;

    public StreamsReadiness(StreamsService streams) {
        this.streams = streams;
    }

    /** The readiness of a Kafka Streams state. */
    public static HealthStatus statusOf(KafkaStreams.State state) {
        return switch (state) {
            case RUNNING, REBALANCING -> HealthStatus.UP;
            case CREATED, PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR -> HealthStatus.DOWN;
        };
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        KafkaStreams.State state = streams.streams().state();
        healthStatus = statusOf(state);
        return Map.of("state", state.name());
    }

    @Override
    protected String getName() {
        return "kafkaStreams";
    }
}
