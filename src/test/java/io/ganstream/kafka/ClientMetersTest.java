package io.ganstream.kafka;

import io.ganstream.config.GanstreamConfig;
import io.ganstream.config.KafkaConfig;
import io.ganstream.metrics.GanstreamMetrics;
import io.ganstream.service.ModelCheckpoints;
import io.ganstream.service.SchemaWriter;
import io.ganstream.service.SyntheticPublisher;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Kafka client ganstream creates outside Kafka Streams has its client metrics in the service's registry
 * ({@code kafka_producer_*}, {@code kafka_consumer_*}, {@code kafka_admin_client_*} in /prometheus) while it is
 * open, and takes them along when it closes. No broker: creating a client does not connect.
 */
class ClientMetersTest {
    private static final Map<String, Object> NOWHERE = Map.of("bootstrap.servers", "localhost:1");

    @Test
    void theCheckpointProducersMetersAreInTheRegistryUntilItCloses() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ModelCheckpoints checkpoints = new ModelCheckpoints(connection(), null, new GanstreamMetrics(registry));
        List<Meter> meters = kafkaMeters(registry, "kafka.producer.");
        assertTrue(meters.stream().anyMatch(m -> m.getId().getName().equals("kafka.producer.record.send.total")),
                "the checkpoint producer's meters: " + meters);
        assertTrue(meters.stream().allMatch(m -> m.getId().getTag("client.id") != null), "tagged with the client");
        checkpoints.close();
        assertEquals(List.of(), kafkaMeters(registry, "kafka."), "closed with the producer");
    }

    @Test
    void theServicesOtherClientsBindTheirMetersToo() {
        assertBoundUntilClosed("kafka.producer.", r -> new SchemaWriter(connection(), r));
        assertBoundUntilClosed("kafka.producer.", r -> new SyntheticPublisher(connection(), new GanstreamMetrics(r)));
        assertBoundUntilClosed("kafka.admin.client.", r -> new TopicAdmin(connection(), new KafkaConfig(), r));
        assertBoundUntilClosed("kafka.producer.", r -> new RecordPublisher(NOWHERE, 0, r));
        assertBoundUntilClosed("kafka.consumer.", r -> new TopicReader(NOWHERE, r));
    }

    @Test
    void aClientWithoutARegistryBindsNothing() {
        SimpleMeterRegistry unused = new SimpleMeterRegistry();
        try (RecordPublisher publisher = new RecordPublisher(NOWHERE, 0);
             TopicReader reader = new TopicReader(NOWHERE)) {
            assertEquals(0, publisher.acknowledged());
            assertTrue(unused.getMeters().isEmpty());
        }
    }

    private static void assertBoundUntilClosed(String prefix, Function<MeterRegistry, AutoCloseable> client) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AutoCloseable created = client.apply(registry);
        String name = created.getClass().getSimpleName();
        assertFalse(kafkaMeters(registry, prefix).isEmpty(), name + ": no " + prefix + "* meters");
        try {
            created.close();
        } catch (Exception e) {
            throw new AssertionError(name + " did not close", e);
        }
        assertEquals(List.of(), kafkaMeters(registry, "kafka."), name + ": meters left after close");
    }

    private static List<Meter> kafkaMeters(MeterRegistry registry, String prefix) {
        return registry.getMeters().stream().filter(m -> m.getId().getName().startsWith(prefix)).toList();
    }

    private static KafkaConnection connection() {
        KafkaConfig config = new KafkaConfig();
        config.setBootstrapServers("localhost:1");
        return new KafkaConnection(config, new GanstreamConfig());
    }
}
