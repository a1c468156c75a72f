package io.ganstream.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes records to a topic as fast as allowed (optionally paced to a rate), acknowledged by all replicas.
 * Used by the {@code produce}, {@code demo} and {@code bench} commands.
 */
public final class RecordPublisher implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final ClientMeters meters;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final double ratePerSecond;
    private long sent;
    private long startNanos;

    /** @param ratePerSecond records per second, or 0 for as fast as possible */
    public RecordPublisher(Map<String, Object> clientProperties, double ratePerSecond) {
        this(clientProperties, ratePerSecond, null);
    }

    /**
     * @param ratePerSecond records per second, or 0 for as fast as possible
     * @param registry where the producer's client metrics go while it is open (the service's); null for none
     */
    public RecordPublisher(Map<String, Object> clientProperties, double ratePerSecond, MeterRegistry registry) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.meters = ClientMeters.of(producer, registry);
        this.ratePerSecond = ratePerSecond;
    }

    /** Sends one record; blocks only to keep the configured rate. */
    public void send(String topic, byte[] key, byte[] value) {
        if (startNanos == 0) {
            startNanos = System.nanoTime();
        }
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("publishing to " + topic + " failed: " + failed.getMessage(), failed);
        }
        producer.send(new ProducerRecord<>(topic, key, value), (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            } else {
                acknowledged.incrementAndGet();
            }
        });
        sent++;
        if (ratePerSecond > 0) {
            long due = startNanos + (long) (sent * 1e9 / ratePerSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    /** Waits until everything sent is acknowledged; throws if anything failed. */
    public void flush() {
        producer.flush();
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("publishing failed: " + failed.getMessage(), failed);
        }
    }

    @Override
    public void close() {
        meters.closeWith(() -> producer.close(Duration.ofSeconds(30)));
    }
}
