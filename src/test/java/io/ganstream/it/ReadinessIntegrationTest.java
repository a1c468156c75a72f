package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.service.StreamsService;
import io.ganstream.support.MixedRecords;
import io.ganstream.support.ServiceInstance;
import io.ganstream.support.SharedKafkaBroker;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness stays UP through real rebalances (a dataset registered, so a new topic joins the pattern
 * subscription; a second instance joining the group, then leaving it), and goes DOWN when the streams stop.
 */
@Tag("integration")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReadinessIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> SETTINGS = Map.of("ganstream.training.enabled", false);

    @TempDir
    Path dataDir;

    /** One readiness answer: HTTP status, reported status, and the Kafka Streams state it was computed for. */
    private record Answer(int code, String status, String state) {
    }

    @Test
    void shouldStayReadyWhileRebalancingAndNotWhenStopped() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (ServiceInstance first = ServiceInstance.start("it-ready-app", dataDir.resolve("first"), SETTINGS)) {
            PipelineIntegrationTest.register(first, "it-ready-a", MixedRecords.SCHEMA);
            KafkaStreams streams = first.context().getBean(StreamsService.class).streams();
            awaitState(streams, KafkaStreams.State.RUNNING);

            // given: readiness asked continuously, at once whenever the streams are seen rebalancing
            List<Answer> answers = new CopyOnWriteArrayList<>();
            AtomicBoolean polling = new AtomicBoolean(true);
            Thread poller = new Thread(() -> {
                long lastAsked = 0;
                while (polling.get()) {
                    boolean rebalancing = streams.state() == KafkaStreams.State.REBALANCING;
                    if (rebalancing || System.nanoTime() - lastAsked > TimeUnit.MILLISECONDS.toNanos(50)) {
                        answers.add(readiness(client, first));
                        lastAsked = System.nanoTime();
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "readiness-poller");
            poller.start();

            // when: a new dataset's topic joins the subscription, a second instance joins the group and leaves it
            PipelineIntegrationTest.register(first, "it-ready-b", MixedRecords.SCHEMA);
            Thread.sleep(6000);
            try (ServiceInstance second = ServiceInstance.start("it-ready-app", dataDir.resolve("second"), SETTINGS)) {
                awaitState(second.context().getBean(StreamsService.class).streams(), KafkaStreams.State.RUNNING);
                awaitState(streams, KafkaStreams.State.RUNNING);
                Thread.sleep(2000);
            }
            Thread.sleep(3000);
            awaitState(streams, KafkaStreams.State.RUNNING);
            polling.set(false);
            poller.join();

            // then: every answer was UP, rebalances among them
            long rebalancing = answers.stream().filter(a -> a.state().equals("REBALANCING")).count();
            assertTrue(rebalancing > 0, "a rebalance was seen by readiness (" + answers.size() + " answers)");
            System.out.println("Readiness answers: " + answers.size() + ", " + rebalancing + " while REBALANCING");
            for (Answer a : answers) {
                assertEquals(new Answer(200, "UP", a.state()), a, "readiness in state " + a.state());
            }

            // and: stopped streams are not ready
            streams.close(Duration.ofSeconds(30));
            Answer stopped = readiness(client, first);
            assertEquals(new Answer(503, "DOWN", "NOT_RUNNING"), stopped);
        }
    }

    private static Answer readiness(HttpClient client, ServiceInstance service) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(service.url() + "/health/readiness"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            return new Answer(r.statusCode(), body.path("status").asText(),
                    body.at("/details/kafkaStreams/details/state").asText());
        } catch (Exception e) {
            return new Answer(-1, e.toString(), "?");
        }
    }

    private static void awaitState(KafkaStreams streams, KafkaStreams.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (streams.state() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("streams still " + streams.state() + ", not " + state);
            }
            Thread.sleep(20);
        }
    }
}
