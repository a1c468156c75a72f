package io.ganstream.it;

import io.ganstream.kafka.RecordPublisher;
import io.ganstream.stream.Topics;
import io.ganstream.support.MixedRecords;
import io.ganstream.support.JarProcesses;
import io.ganstream.support.Outputs;
import io.ganstream.support.SharedKafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process-level crash: the service jar is killed with SIGKILL (no shutdown hook, no clean close) while
 * records are being produced, then started again on the same data directory. The broker (in this test JVM)
 * survives, as a real cluster would. Exactly-once must still hold for a read_committed consumer.
 */
@Tag("e2e")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JarCrashIT {
    /** The imputer trains as in production; synthesis is off, it is not what this test is about. */
    private static final String SCHEMA = MixedRecords.SCHEMA.replace("\"type\": \"object\", \"properties\"",
            "\"type\": \"object\", \"x-ganstream\": {\"syntheticPerRecord\": 0}, \"properties\"");
    @TempDir
    Path work;

    private JarProcesses jars;

    @BeforeEach
    void setUp() {
        jars = new JarProcesses(work);
    }

    @AfterEach
    void stop() throws InterruptedException {
        jars.close();
    }

    @Test
    void shouldKeepEveryRecordExactlyOnceAcrossAKill9WhileProducing() throws Exception {
        String dataset = "crash";
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        int httpPort = JarProcesses.freePort();
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "GANSTREAM_DATA_DIR", work.resolve("data").toString(),
                "MICRONAUT_SERVER_PORT", Integer.toString(httpPort),
                "GANSTREAM_DATASETS", "crash",
                "GANSTREAM_MAX_RECORD_BYTES", "2048");
        Process service = jars.start(env, "first.log");
        String base = "http://localhost:" + httpPort;
        jars.awaitReady(base, service, "first.log");
        HttpClient http = HttpClient.newHttpClient();
        var put = http.send(HttpRequest.newBuilder(URI.create(base + "/datasets/" + dataset))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(SCHEMA)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());

        // given: records flowing in
        List<MixedRecords.Item> items = MixedRecords.generate(20_000, 13, 21, "k-");
        Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
        Thread producer = new Thread(() -> {
            try (RecordPublisher publisher = new RecordPublisher(kafka, 2000)) {
                for (MixedRecords.Item i : items) {
                    publisher.send(Topics.raw(dataset), i.key().getBytes(StandardCharsets.UTF_8), i.value());
                }
                publisher.flush();
            }
        }, "producer");
        producer.start();

        // when: the service is killed hard while they flow, and started again
        int seenAtCrash = Outputs.awaitAtLeast(kafka, dataset, 3000, Duration.ofSeconds(60));
        boolean producing = producer.isAlive();
        service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Process again = jars.start(env, "second.log");
        jars.awaitReady(base, again, "second.log");
        producer.join(TimeUnit.MINUTES.toMillis(3));

        // then
        Outputs out = Outputs.read(kafka, dataset, items.size(), Duration.ofSeconds(120));
        Set<String> keys = new HashSet<>();
        out.imputed().forEach(r -> keys.add(Outputs.key(r)));
        out.dlq().forEach(r -> keys.add(Outputs.key(r)));
        System.out.printf("crash test: raw %d, imputed %d, dead-lettered %d, distinct keys %d, outputs seen at the "
                + "kill %d%n", items.size(), out.imputed().size(), out.dlq().size(), keys.size(), seenAtCrash);
        assertTrue(producing && seenAtCrash < items.size(), "killed mid-stream, while producing");
        assertEquals(items.size(), out.total(), "count(imputed) + count(dlq) == count(raw) across a kill -9");
        assertEquals(items.size(), keys.size(), "no duplicates for a read_committed consumer");
        assertEquals(items.stream().filter(MixedRecords.Item::valid).count(), out.imputed().size());
    }
}
