package io.ganstream.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka client metrics of one producer, consumer or admin client bound to Micrometer ({@code kafka_producer_*},
 * {@code kafka_consumer_*}, {@code kafka_admin_client_*} in {@code /prometheus}, tagged with the client's
 * {@code client_id}), as {@code KafkaStreamsMetrics} does for the Streams clients. Close it with the client: that
 * removes its meters and stops its refresh. Without a registry (a client outside the service) nothing is bound.
 */
public final class ClientMeters implements AutoCloseable {
    private static final ClientMeters NONE = new ClientMeters(null);

    private final KafkaClientMetrics metrics;

    private ClientMeters(KafkaClientMetrics metrics) {
        this.metrics = metrics;
    }

    public static ClientMeters of(Producer<?, ?> producer, MeterRegistry registry) {
        return registry == null ? NONE : bind(new KafkaClientMetrics(producer), registry);
    }

    public static ClientMeters of(Consumer<?, ?> consumer, MeterRegistry registry) {
        return registry == null ? NONE : bind(new KafkaClientMetrics(consumer), registry);
    }

    public static ClientMeters of(AdminClient admin, MeterRegistry registry) {
        return registry == null ? NONE : bind(new KafkaClientMetrics(admin), registry);
    }

    private static ClientMeters bind(KafkaClientMetrics metrics, MeterRegistry registry) {
        metrics.bindTo(registry);
        return new ClientMeters(metrics);
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }

    /** Closes the client with {@code closeClient}, then these meters even when that failed. */
    public void closeWith(Runnable closeClient) {
        try {
            closeClient.run();
        } finally {
            close();
        }
    }
}
