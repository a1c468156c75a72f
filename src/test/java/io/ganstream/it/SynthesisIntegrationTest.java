package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.kafka.TopicReader;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.RecordCodec;
import io.ganstream.schema.SchemaParser;
import io.ganstream.stream.OutputHeaders;
import io.ganstream.stream.Topics;
import io.ganstream.support.MixedRecords;
import io.ganstream.support.Outputs;
import io.ganstream.support.ServiceInstance;
import io.ganstream.support.SharedKafkaBroker;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The synthesizer learns from the stream: D.synthetic fills while records flow, and /samples serves. */
@Tag("integration")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SynthesisIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = MixedRecords.SCHEMA.replace("\"type\": \"object\", \"properties\"",
            "\"type\": \"object\", \"x-ganstream\": {\"windowRecords\": 100, \"stepsPerWindow\": 10, \"seed\": 9}, "
                    + "\"properties\"");

    @TempDir
    Path dataDir;

    @Test
    void shouldPublishSchemaValidSyntheticRecordsAndServeConditionalSamples() throws Exception {
        String dataset = "it-synth";
        DatasetSchema schema = new SchemaParser().parse(dataset, SCHEMA);
        String lastVersion;
        try (ServiceInstance service = ServiceInstance.start("it-synth-app", dataDir, Map.of())) {
            PipelineIntegrationTest.register(service, dataset, SCHEMA);
            // before any model: 409 with a reason
            var early = assertThrows(HttpClientResponseException.class, () -> service.http().exchange(
                    HttpRequest.POST("/datasets/" + dataset + "/samples?count=5", "").contentType(MediaType.APPLICATION_JSON),
                    String.class));
            assertEquals(409, early.getStatus().getCode());
            assertTrue(early.getResponse().getBody(String.class).orElse("").contains("no synthesizer model"));

            // when records flow
            for (int batch = 0; batch < 6; batch++) {
                PipelineIntegrationTest.publish(service.kafka(), dataset,
                        MixedRecords.generate(200, 0, 500 + batch, "s" + batch + "-"));
            }
            Outputs.read(service.kafka(), dataset, 1200, Duration.ofSeconds(60));
            JsonNode status = awaitSynthesizer(service, dataset);
            assertTrue(status.at("/synthesizer/version").asText().startsWith("ctgan-"), status.toString());

            // then D.synthetic fills with schema-valid records
            List<ConsumerRecord<byte[], byte[]>> synthetic;
            try (TopicReader reader = new TopicReader(service.kafka())) {
                reader.fromBeginning(List.of(Topics.synthetic(dataset)));
                synthetic = reader.readAtLeast(100, Duration.ofSeconds(60));
            }
            assertTrue(synthetic.size() >= 100, "D.synthetic fills: " + synthetic.size());
            // each real record misses each cell one time in five: the synthetic ones miss cells as they do
            long missing = 0;
            long cells = 0;
            for (ConsumerRecord<byte[], byte[]> r : synthetic) {
                assertTrue(Outputs.header(r, OutputHeaders.MODEL).startsWith("ctgan-"));
                var parsed = RecordCodec.read(schema, r.value());
                for (double v : parsed.cells()) {
                    missing += Double.isNaN(v) ? 1 : 0;
                    cells++;
                }
            }
            assertTrue(missing > 0.1 * cells && missing < 0.3 * cells,
                    "synthetic records miss about a fifth of their cells: " + missing + " of " + cells);

            // and conditional samples come back exactly as asked
            var response = service.http().exchange(HttpRequest.POST("/datasets/" + dataset + "/samples?count=300&seed=1",
                    "{\"conditions\": {\"c\": \"blue\"}}").contentType(MediaType.APPLICATION_JSON), String.class);
            JsonNode samples = JSON.readTree(response.body());
            assertEquals(300, samples.size());
            assertTrue(response.getHeaders().get("ganstream-model").startsWith("ctgan-"));
            // through the privacy filter (on by default): it says how many rows it withheld
            assertTrue(response.getHeaders().get("ganstream-privacy-filtered").matches("[0-9]+"));
            for (JsonNode s : samples) {
                assertEquals("blue", s.get("c").asText());
                RecordCodec.read(schema, JSON.writeValueAsBytes(s));
            }
            var bad = assertThrows(HttpClientResponseException.class, () -> service.http().exchange(
                    HttpRequest.POST("/datasets/" + dataset + "/samples?count=5", "{\"conditions\": {\"c\": \"purple\"}}")
                            .contentType(MediaType.APPLICATION_JSON), String.class));
            assertEquals(400, bad.getStatus().getCode());
            String metrics = service.http().retrieve("/prometheus");
            assertTrue(metrics.contains("ganstream_records_synthetic_total{dataset=\"it-synth\"}"));
            assertTrue(metrics.contains("ganstream_quality_synthetic{dataset=\"it-synth\",figure=\"overall\"}"));
            assertTrue(metrics.contains("ganstream_privacy_filtered_total{dataset=\"it-synth\"}"));
            assertTrue(metrics.contains("ganstream_privacy_dcr_share{dataset=\"it-synth\"}"));
            assertTrue(metrics.contains("ganstream_synthetic_coverage{dataset=\"it-synth\",kind=\"category\"}"));
            JsonNode described = JSON.readTree(service.http().retrieve("/datasets/" + dataset));
            assertTrue(described.at("/synthesizer/privacy/filtered").isIntegralNumber(), described.toString());
            assertTrue(described.at("/synthesizer/privacy").has("dcrShare"), described.toString());
            assertTrue(described.at("/synthesizer/coverage").has("categories"), described.toString());
            service.context().getBean(io.ganstream.service.DatasetModels.class).awaitSynthesizer(dataset, 60_000);
            lastVersion = JSON.readTree(service.http().retrieve("/datasets/" + dataset)).at("/synthesizer/version")
                    .asText();
        }
        // An instance that does not train serves the synthesizer of the published checkpoint (written on close).
        try (ServiceInstance reader = ServiceInstance.start("it-synth-app", dataDir.resolve("reader"),
                Map.of("ganstream.training.enabled", false))) {
            var response = reader.http().exchange(HttpRequest.POST("/datasets/" + dataset + "/samples?count=50&seed=2",
                    "{\"conditions\": {\"c\": \"blue\"}}").contentType(MediaType.APPLICATION_JSON), String.class);
            assertEquals(lastVersion, response.getHeaders().get("ganstream-model"));
            // the checkpoint's filter (copies only) still applies
            assertTrue(response.getHeaders().get("ganstream-privacy-filtered").matches("[0-9]+"));
            JsonNode samples = JSON.readTree(response.body());
            assertEquals(50, samples.size());
            samples.forEach(s -> assertEquals("blue", s.get("c").asText()));
        }
        // A restarted trainer resumes the synthesizer from the checkpoint: the next window makes version + 1.
        try (ServiceInstance service = ServiceInstance.start("it-synth-app", dataDir, Map.of())) {
            PipelineIntegrationTest.publish(service.kafka(), dataset, MixedRecords.generate(110, 0, 900, "r-"));
            String next = "ctgan-" + (Long.parseLong(lastVersion.substring("ctgan-".length())) + 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String version = "";
            while (!version.equals(next) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                version = JSON.readTree(service.http().retrieve("/datasets/" + dataset)).at("/synthesizer/version")
                        .asText();
            }
            assertEquals(next, version, "the synthesizer continued from " + lastVersion);
        }
    }

    private static JsonNode awaitSynthesizer(ServiceInstance service, String dataset) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            JsonNode status = JSON.readTree(service.http().retrieve("/datasets/" + dataset));
            if (status.at("/synthesizer/version").isTextual()) {
                return status;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no synthesizer model within 120 s");
    }
}
