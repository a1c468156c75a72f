package io.ganstream.support;

import io.ganstream.kafka.TopicReader;
import io.ganstream.stream.OutputHeaders;
import io.ganstream.stream.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The committed outputs of one dataset, as a read_committed downstream consumer sees them. */
public record Outputs(List<ConsumerRecord<byte[], byte[]>> imputed, List<ConsumerRecord<byte[], byte[]>> dlq) {

    /** Reads both output topics until {@code expected} records arrived (or the timeout), then a little longer to
     * catch any duplicate. */
    public static Outputs read(Map<String, Object> kafka, String dataset, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> imputed = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> dlq = new ArrayList<>();
        try (TopicReader reader = new TopicReader(kafka)) {
            reader.fromBeginning(List.of(Topics.imputed(dataset), Topics.dlq(dataset)));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (imputed.size() + dlq.size() < expected && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200), r -> (r.topic().endsWith(".dlq") ? dlq : imputed).add(r));
            }
            reader.readUntilQuiet(Duration.ofSeconds(1), Duration.ofSeconds(5))
                    .forEach(r -> (r.topic().endsWith(".dlq") ? dlq : imputed).add(r));
        }
        return new Outputs(imputed, dlq);
    }

    /** Reads until at least {@code count} outputs of the dataset are committed, and stops there. */
    public static int awaitAtLeast(Map<String, Object> kafka, String dataset, int count, Duration timeout) {
        try (TopicReader reader = new TopicReader(kafka)) {
            reader.fromBeginning(List.of(Topics.imputed(dataset), Topics.dlq(dataset)));
            return reader.readAtLeast(count, timeout).size();
        }
    }

    public int total() {
        return imputed.size() + dlq.size();
    }

    public static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static String model(ConsumerRecord<byte[], byte[]> r) {
        return header(r, OutputHeaders.MODEL);
    }
}
