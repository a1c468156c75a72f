package io.ganstream.health;

import io.micronaut.health.HealthStatus;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamsReadinessTest {

    @Test
    void shouldBeReadyWhileRunningOrRebalancing() {
        assertEquals(HealthStatus.UP, StreamsReadiness.statusOf(KafkaStreams.State.RUNNING));
        assertEquals(HealthStatus.UP, StreamsReadiness.statusOf(KafkaStreams.State.REBALANCING));
    }

    @Test
    void shouldNotBeReadyBeforeStartNorWhenStoppingOrFailed() {
        for (KafkaStreams.State state : EnumSet.complementOf(
                EnumSet.of(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING))) {
            assertEquals(HealthStatus.DOWN, StreamsReadiness.statusOf(state), state.name());
        }
        // the states the contract names, spelled out
        for (String state : new String[]{"CREATED", "ERROR", "PENDING_SHUTDOWN", "NOT_RUNNING", "PENDING_ERROR"}) {
            assertEquals(HealthStatus.DOWN, StreamsReadiness.statusOf(KafkaStreams.State.valueOf(state)), state);
        }
    }
}
