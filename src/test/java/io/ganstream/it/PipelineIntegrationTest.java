package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.kafka.RecordPublisher;
import io.ganstream.stream.OutputHeaders;
import io.ganstream.stream.Topics;
import io.ganstream.support.MixedRecords;
import io.ganstream.support.Outputs;
import io.ganstream.support.ServiceInstance;
import io.ganstream.support.SharedKafkaBroker;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service against a real in-process Kafka broker: HTTP registration, exactly-once routing, restarts. */
@Tag("integration")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PipelineIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** These tests are about routing, not models: training off keeps the 2-core suite fast. */
    private static final Map<String, Object> NO_TRAINING = Map.of("ganstream.training.enabled", false);

    @TempDir
    Path dataDir;

    @Test
    void shouldImputeOrDeadLetterEveryRecordKeepingKeysAndObservedValues() throws Exception {
        // given
        String dataset = "it-mixed";
        List<MixedRecords.Item> items = MixedRecords.generate(400, 8, 11, "m-");
        try (ServiceInstance service = ServiceInstance.start("it-mixed-app", dataDir, NO_TRAINING)) {
            register(service, dataset, MixedRecords.SCHEMA);
            // when
            publish(service.kafka(), dataset, items);
            Outputs out = Outputs.read(service.kafka(), dataset, items.size(), Duration.ofSeconds(60));
            // then
            assertEquals(items.size(), out.total(), "count(imputed) + count(dlq) == count(raw)");
            Map<String, MixedRecords.Item> byKey = new HashMap<>();
            items.forEach(i -> byKey.put(i.key(), i));
            assertEquals(items.stream().filter(MixedRecords.Item::valid).count(), out.imputed().size());
            Set<String> seen = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : out.imputed()) {
                String key = Outputs.key(r);
                assertTrue(seen.add(key), "no duplicate of " + key);
                MixedRecords.Item in = byKey.get(key);
                assertNotNull(in, "key kept");
                assertTrue(in.valid());
                JsonNode original = JSON.readTree(in.value());
                JsonNode filled = JSON.readTree(r.value());
                List<String> named = List.of(Outputs.header(r, OutputHeaders.IMPUTED).split(","));
                for (String column : List.of("x", "y", "n", "c", "d")) {
                    assertTrue(filled.hasNonNull(column), "every modeled column filled: " + column);
                    if (original.hasNonNull(column)) {
                        assertEquals(original.get(column), filled.get(column), "observed value unchanged");
                        assertFalse(named.contains(column));
                    } else {
                        assertTrue(named.contains(column), column + " named in " + named);
                    }
                }
                assertEquals(original.get("id"), filled.get("id"));
                assertTrue(Outputs.model(r).matches("fallback|gain-\\d+"), Outputs.model(r));
            }
            for (ConsumerRecord<byte[], byte[]> r : out.dlq()) {
                String key = Outputs.key(r);
                assertTrue(seen.add(key), "no duplicate of " + key);
                MixedRecords.Item in = byKey.get(key);
                assertFalse(in.valid(), key + " should not be dead-lettered");
                String reason = Outputs.header(r, OutputHeaders.ERROR);
                assertTrue(reason.startsWith(in.expectedReason()), reason + " vs " + in.expectedReason());
                assertEquals(new String(in.value(), StandardCharsets.UTF_8),
                        new String(r.value() == null ? new byte[0] : r.value(), StandardCharsets.UTF_8));
                assertTrue(Outputs.header(r, OutputHeaders.SOURCE).matches(Topics.raw(dataset) + "/\\d+/\\d+"));
            }

            String metrics = service.http().retrieve("/prometheus");
            assertTrue(metrics.contains("ganstream_records_in_total{dataset=\"it-mixed\"} 400.0"), "records in");
            assertTrue(metrics.contains("ganstream_records_dead_lettered_total{dataset=\"it-mixed\",reason=\"non_finite\"}"));
            assertTrue(metrics.contains("ganstream_records_imputed_total{dataset=\"it-mixed\"} " + out.imputed().size() + ".0"));
        }
    }

    @Test
    void shouldKeepEveryRecordExactlyOnceWhenStoppedMidStreamAndStartedAgain() throws Exception {
        // given
        String dataset = "it-restart";
        List<MixedRecords.Item> items = MixedRecords.generate(3000, 10, 5, "r-");
        ServiceInstance first = ServiceInstance.start("it-restart-app", dataDir, NO_TRAINING);
        register(first, dataset, MixedRecords.SCHEMA);
        Map<String, Object> kafka = first.kafka();
        publish(kafka, dataset, items.subList(0, 1500));
        // when: stopped while the first half is still being processed, the second half arrives while it is down
        Outputs partial = Outputs.read(kafka, dataset, 300, Duration.ofSeconds(30));
        first.close();
        publish(kafka, dataset, items.subList(1500, items.size()));
        try (ServiceInstance second = ServiceInstance.start("it-restart-app", dataDir, NO_TRAINING)) {
            Outputs out = Outputs.read(second.kafka(), dataset, items.size(), Duration.ofSeconds(90));
            // then
            assertTrue(partial.total() < items.size(), "the stop happened mid-stream");
            assertEquals(items.size(), out.total(), "count(imputed) + count(dlq) == count(raw) across the restart");
            Set<String> keys = new HashSet<>();
            out.imputed().forEach(r -> keys.add(Outputs.key(r)));
            out.dlq().forEach(r -> keys.add(Outputs.key(r)));
            assertEquals(items.size(), keys.size(), "no duplicates for a read_committed consumer");
        }
    }

    @Test
    void shouldServeTheContractsHttpEndpointsWithJsonErrors() throws Exception {
        try (ServiceInstance service = ServiceInstance.start("it-http-app", dataDir, NO_TRAINING)) {
            var http = service.http();
            // registration: 201 then 200, listed, described
            var created = http.exchange(HttpRequest.PUT("/datasets/it-http", MixedRecords.SCHEMA)
                    .contentType(MediaType.APPLICATION_JSON), String.class);
            assertEquals(HttpStatus.CREATED, created.getStatus());
            assertEquals(HttpStatus.OK, http.exchange(HttpRequest.PUT("/datasets/it-http", MixedRecords.SCHEMA)
                    .contentType(MediaType.APPLICATION_JSON), String.class).getStatus());
            assertTrue(JSON.readTree(http.retrieve("/datasets")).toString().contains("\"it-http\""));
            JsonNode described = JSON.readTree(http.retrieve("/datasets/it-http"));
            assertEquals("fallback", described.at("/model/version").asText());
            assertEquals(5, described.get("columns").size());

            // impute: one record and an array
            JsonNode one = JSON.readTree(http.retrieve(HttpRequest.POST("/datasets/it-http/impute",
                    "{\"id\": \"q\", \"x\": 10}").contentType(MediaType.APPLICATION_JSON), String.class));
            assertEquals(10, one.at("/record/x").asInt());
            assertTrue(one.at("/record/c").isTextual());
            assertEquals("[\"y\",\"n\",\"c\",\"d\"]", one.get("imputed").toString());
            JsonNode many = JSON.readTree(http.retrieve(HttpRequest.POST("/datasets/it-http/impute",
                    "[{\"x\": 1}, {\"y\": 2}]").contentType(MediaType.APPLICATION_JSON), String.class));
            assertEquals(2, many.size());

            // errors are JSON with a reason
            assertError(http, HttpRequest.PUT("/datasets/it-bad", "{\"type\": \"object\"}")
                    .contentType(MediaType.APPLICATION_JSON), 400, "needs \"properties\"");
            assertError(http, HttpRequest.PUT("/datasets/Bad!", MixedRecords.SCHEMA)
                    .contentType(MediaType.APPLICATION_JSON), 400, "invalid dataset name");
            assertError(http, HttpRequest.GET("/datasets/nope"), 404, "no dataset named 'nope'");
            assertError(http, HttpRequest.POST("/datasets/it-http/impute", "{\"c\": \"purple\"}")
                    .contentType(MediaType.APPLICATION_JSON), 400, "column 'c': unknown category");
            assertError(http, HttpRequest.POST("/datasets/it-http/impute", "[{\"x\": 1}, {\"x\": \"a\"}]")
                    .contentType(MediaType.APPLICATION_JSON), 400, "record 1: column 'x'");
            assertError(http, HttpRequest.GET("/no/such/path"), 404, "");

            // health
            assertTrue(http.retrieve("/health/readiness").contains("UP"));
            assertTrue(http.retrieve("/health/liveness").contains("UP"));
        }
    }

    private static void assertError(io.micronaut.http.client.BlockingHttpClient http, HttpRequest<?> request,
                                    int status, String reason) throws Exception {
        var e = assertThrows(HttpClientResponseException.class, () -> http.exchange(request, String.class));
        assertEquals(status, e.getStatus().getCode());
        String body = e.getResponse().getBody(String.class).orElse("");
        JsonNode json = JSON.readTree(body);
        assertTrue(json.get("error").asText().contains(reason), body + " should contain " + reason);
        assertEquals(1, json.size(), "only the error: " + body);
    }

    static void register(ServiceInstance service, String dataset, String schema) {
        service.http().exchange(HttpRequest.PUT("/datasets/" + dataset, schema).contentType(MediaType.APPLICATION_JSON),
                String.class);
    }

    static void publish(Map<String, Object> kafka, String dataset, List<MixedRecords.Item> items) {
        try (RecordPublisher publisher = new RecordPublisher(kafka, 0)) {
            for (MixedRecords.Item i : items) {
                publisher.send(Topics.raw(dataset), i.key().getBytes(StandardCharsets.UTF_8), i.value());
            }
            publisher.flush();
        }
    }
}
