package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Two service processes in one consumer group: records spread over both, one of them trains, both impute with
 * the same published model version; the trainer is killed with SIGKILL mid-stream and the survivor takes
 * training over from the last checkpoint, with every record still imputed or dead-lettered exactly once.
 */
@Tag("e2e")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TwoInstancesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = MixedRecords.SCHEMA.replace("\"type\": \"object\", \"properties\"",
            "\"type\": \"object\", \"x-ganstream\": {\"windowRecords\": 100, \"stepsPerWindow\": 20, "
                    + "\"checkpointEveryWindows\": 2, \"seed\": 4, \"syntheticPerRecord\": 0}, \"properties\"");

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();
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
    void shouldServeOneModelFromBothAndMoveTrainingToTheSurvivorOfAKill9() throws Exception {
        String dataset = "two";
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        String[] urls = new String[2];
        Process[] instances = new Process[2];
        for (int i = 0; i < 2; i++) {
            int port = JarProcesses.freePort();
            urls[i] = "http://localhost:" + port;
            instances[i] = jars.start(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "GANSTREAM_KAFKA_APPLICATION_ID", "two-app",
                    "GANSTREAM_DATASETS", dataset,
                    "GANSTREAM_DATA_DIR", work.resolve("data" + i).toString(),
                    "MICRONAUT_SERVER_PORT", Integer.toString(port)), "instance" + i + ".log");
        }
        for (int i = 0; i < 2; i++) {
            jars.awaitReady(urls[i], instances[i], "instance" + i + ".log");
        }
        var put = http.send(HttpRequest.newBuilder(URI.create(urls[0] + "/datasets/" + dataset))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(SCHEMA)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());

        List<MixedRecords.Item> items = new ArrayList<>(MixedRecords.generate(6_000, 17, 8, "t-"));
        Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
        Thread producer = publishInBackground(kafka, dataset, List.copyOf(items));

        // both serve the same published version; exactly one trains
        String version = awaitSameVersion(urls, dataset);
        List<Integer> trainers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            if (status(urls[i], dataset).at("/model/steps").isNumber()) {
                trainers.add(i);
            }
        }
        assertEquals(1, trainers.size(), "exactly one trainer per dataset in the group, version " + version);
        int owner = trainers.get(0);
        int survivor = 1 - owner;
        long versionBeforeKill = versionNumber(status(urls[owner], dataset).at("/model/version").asText());

        // kill the trainer hard, mid-stream: records keep coming after the kill
        producer.join(TimeUnit.MINUTES.toMillis(3));
        List<MixedRecords.Item> more = MixedRecords.generate(4_000, 17, 9, "u-");
        items.addAll(more);
        Thread secondProducer = publishInBackground(kafka, dataset, more);
        instances[owner].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        long deadline = killedAt + TimeUnit.SECONDS.toNanos(90);
        JsonNode taken = null;
        while (System.nanoTime() < deadline) {
            JsonNode s = status(urls[survivor], dataset);
            if (s.at("/model/steps").isNumber()) {
                taken = s;
                break;
            }
            Thread.sleep(200);
        }
        double takeover = (System.nanoTime() - killedAt) / 1e9;
        assertTrue(taken != null, "the survivor took training over");
        assertTrue(versionNumber(taken.at("/model/version").asText()) >= versionBeforeKill - 2,
                "resumed from the last checkpoint, not from scratch: " + taken.at("/model"));
        secondProducer.join(TimeUnit.MINUTES.toMillis(3));

        Outputs out = Outputs.read(kafka, dataset, items.size(), Duration.ofSeconds(120));
        Set<String> keys = new HashSet<>();
        out.imputed().forEach(r -> keys.add(Outputs.key(r)));
        out.dlq().forEach(r -> keys.add(Outputs.key(r)));
        System.out.printf("two instances: raw %d, imputed %d, dead-lettered %d, distinct %d; version before kill %d,"
                        + " survivor took training over in %.1f s at %s%n", items.size(), out.imputed().size(),
                out.dlq().size(), keys.size(), versionBeforeKill, takeover, taken.at("/model"));
        assertEquals(items.size(), out.total(), "count(imputed) + count(dlq) == count(raw)");
        assertEquals(items.size(), keys.size(), "no duplicates for a read_committed consumer");
    }

    private static Thread publishInBackground(Map<String, Object> kafka, String dataset, List<MixedRecords.Item> items) {
        Thread producer = new Thread(() -> {
            try (RecordPublisher publisher = new RecordPublisher(kafka, 800)) {
                for (MixedRecords.Item i : items) {
                    publisher.send(Topics.raw(dataset), i.key().getBytes(StandardCharsets.UTF_8), i.value());
                }
                publisher.flush();
            }
        }, "producer");
        producer.start();
        return producer;
    }

    private String awaitSameVersion(String[] urls, String dataset) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String a = status(urls[0], dataset).at("/model/version").asText();
            String b = status(urls[1], dataset).at("/model/version").asText();
            if (a.startsWith("gain-") && a.equals(b)) {
                return a;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the instances never served the same model version");
    }

    private JsonNode status(String url, String dataset) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "/datasets/" + dataset)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static long versionNumber(String version) {
        return version.startsWith("gain-") ? Long.parseLong(version.substring(5)) : 0;
    }
}
