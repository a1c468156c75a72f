package io.ganstream.bench;

import io.ganstream.kafka.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The physical references a pipeline's rate is judged against, on the same broker and the same raw topic: a bare
 * consumer reading it (what the hardware and the broker allow at all), and a bare Kafka Streams application that
 * copies its bytes to a topic with the same partitions under exactly-once (what any exactly-once stream
 * processor pays before it does anything with a record).
 */
final class ThroughputReferences {
    private ThroughputReferences() {
    }

    /** Records/s of a plain consumer reading {@code topic} from its beginning until {@code count} records came. */
    static double bareConsume(Map<String, Object> kafka, String topic, long count) {
        try (TopicReader reader = new TopicReader(kafka)) {
            reader.fromBeginning(List.of(topic));
            return drain(reader, count);
        }
    }

    /**
     * Records/s of a Kafka Streams application (its own id, exactly-once v2, one stream thread, the service's commit
     * interval) copying {@code in} to a new topic {@code out} with as many partitions, from the first to
     * the last copied record read back read_committed.
     */
    static double streamsPassthrough(Map<String, Object> kafka, Path stateDir, String applicationId, String in,
                                     String out, long count, long commitIntervalMs)
            throws InterruptedException {
        try (Admin admin = Admin.create(kafka)) {
            int partitions = admin.describeTopics(List.of(in)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(in).partitions().size();
            admin.createTopics(List.of(new NewTopic(out, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not create " + out, e);
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        try (TopicReader reader = new TopicReader(kafka);
             KafkaStreams streams = new KafkaStreams(builder.build(), p)) {
            reader.fromBeginning(List.of(out));
            streams.start();
            return drain(reader, count);
        }
    }

    private static double drain(TopicReader reader, long count) {
        long[] seen = {0};
        long first = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (seen[0] < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen[0] + " of " + count + " records came");
            }
            int n = reader.poll(Duration.ofMillis(100), r -> seen[0]++);
            if (n > 0 && first == 0) {
                first = System.nanoTime();
            }
        }
        return count / ((System.nanoTime() - first) / 1e9);
    }
}
