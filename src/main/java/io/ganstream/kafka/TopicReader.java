package io.ganstream.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads committed records of some topics from given offsets, without a consumer group. Used to collect
 * outputs in the demo, the benchmarks and the tests, as a downstream consumer would see them.
 */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ClientMeters meters;

    public TopicReader(Map<String, Object> clientProperties) {
        this(clientProperties, null);
    }

    /** @param registry where the consumer's client metrics go while it is open (the service's); null for none */
    public TopicReader(Map<String, Object> clientProperties, MeterRegistry registry) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.meters = ClientMeters.of(consumer, registry);
    }

    /** The current end offsets of every partition of these topics: read from here to see only new records. */
    public Map<TopicPartition, Long> endOffsets(List<String> topics) {
        return consumer.endOffsets(partitions(topics));
    }

    /** Starts reading every partition of these topics from the beginning. */
    public void fromBeginning(List<String> topics) {
        List<TopicPartition> parts = partitions(topics);
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Starts reading from the given offsets. */
    public void from(Map<TopicPartition, Long> offsets) {
        consumer.assign(offsets.keySet());
        offsets.forEach(consumer::seek);
    }

    /** One poll; hands every record to {@code sink} and returns how many there were. */
    public int poll(Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            sink.accept(r);
            n++;
        }
        return n;
    }

    /** Polls until {@code count} records were read or the timeout passes; returns what was read. */
    public List<ConsumerRecord<byte[], byte[]>> readAtLeast(int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200), out::add);
        }
        return out;
    }

    /** Reads until no record arrives for {@code quiet}: everything committed so far, and then some. */
    public List<ConsumerRecord<byte[], byte[]>> readUntilQuiet(Duration quiet, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastSeen = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - lastSeen < quiet.toNanos()) {
            if (poll(Duration.ofMillis(200), out::add) > 0) {
                lastSeen = System.nanoTime();
            }
        }
        return out;
    }

    private List<TopicPartition> partitions(List<String> topics) {
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : topics) {
            consumer.partitionsFor(t, Duration.ofSeconds(30))
                    .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        }
        return parts;
    }

    @Override
    public void close() {
        meters.closeWith(() -> consumer.close(Duration.ofSeconds(5)));
    }
}
