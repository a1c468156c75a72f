package io.ganstream.service;

import io.ganstream.kafka.ClientMeters;
import io.ganstream.kafka.KafkaConnection;
import io.ganstream.stream.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Writes schemas to the compacted {@code ganstream.schemas} topic, and reads it whole when asked. */
@Singleton
public class SchemaWriter implements AutoCloseable {
    private final KafkaConnection connection;
    private final KafkaProducer<String, String> producer;
    private final ClientMeters meters;
    private final MeterRegistry registry;

    public SchemaWriter(KafkaConnection connection, MeterRegistry registry) {
        this.connection = connection;
        this.registry = registry;
        Map<String, Object> props = new HashMap<>(connection.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        this.meters = ClientMeters.of(producer, registry);
    }

    /**
     * Writes and waits for the broker's acknowledgement.
     *
     * @throws RecordTooLargeException when the schema is larger than a record of the topic may be
     */
    public void write(String dataset, String schemaText) {
        send(dataset, schemaText, "storing");
    }

    /** Tombstones the dataset's schema (it disappears from every instance's store) and waits for the broker. */
    public void delete(String dataset) {
        send(dataset, null, "deleting");
    }

    private void send(String dataset, String schemaText, String doing) {
        try {
            producer.send(new ProducerRecord<>(Topics.SCHEMAS, dataset, schemaText)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing + " the schema of " + dataset, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException tooLarge) {
                throw tooLarge;
            }
            throw new IllegalStateException("failed " + doing + " the schema of " + dataset + " in " + Topics.SCHEMAS, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out " + doing + " the schema of " + dataset + " in "
                    + Topics.SCHEMAS, e);
        }
    }

    /** The latest schema text of every dataset, read from the topic's start to its end. */
    public Map<String, String> readAll() {
        Map<String, Object> props = new HashMap<>(connection.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, String> latest = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
             var consumerMeters = ClientMeters.of(consumer, registry)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SCHEMAS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + Topics.SCHEMAS);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        latest.put(r.key(), r.value());
                    }
                }
            }
        }
        return latest;
    }

    @Override
    @PreDestroy
    public void close() {
        meters.closeWith(() -> producer.close(Duration.ofSeconds(10)));
    }
}
