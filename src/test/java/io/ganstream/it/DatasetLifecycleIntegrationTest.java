package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.service.DatasetModels;
import io.ganstream.service.ModelCheckpoints;
import io.ganstream.service.SchemaWriter;
import io.ganstream.stream.OutputHeaders;
import io.ganstream.stream.Topics;
import io.ganstream.support.MixedRecords;
import io.ganstream.support.Outputs;
import io.ganstream.support.ServiceInstance;
import io.ganstream.support.SharedKafkaBroker;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dataset's model leaves and enters the service as a file; a dataset is retired. Both token-guarded. */
@Tag("integration")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DatasetLifecycleIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "it-lifecycle-7d1e";
    private static final String SCHEMA = MixedRecords.SCHEMA.replace("\"type\": \"object\", \"properties\"",
            "\"type\": \"object\", \"x-ganstream\": {\"windowRecords\": 50, \"stepsPerWindow\": 20, \"seed\": 3, "
                    + "\"syntheticPerRecord\": 0}, \"properties\"");

    @TempDir
    Path dataDir;

    @Test
    void shouldServeAModelFileTakenFromOneDatasetWhenPublishedForAnotherWithTheSameSchema() throws Exception {
        try (ServiceInstance service = ServiceInstance.start("it-file-app", dataDir, Map.of("ganstream.http.token", TOKEN))) {
            // given: a dataset with a trained model, a second one with the same schema, a third with another
            register(service, "it-file-a", SCHEMA);
            register(service, "it-file-b", SCHEMA);
            register(service, "it-file-c", MixedRecords.SCHEMA);
            PipelineIntegrationTest.publish(service.kafka(), "it-file-a", MixedRecords.generate(200, 0, 11, "a-"));
            awaitModel(service, "it-file-a");
            // the download is token-guarded too: a model that keeps twins carries received records
            assertEquals(401, status(() -> service.http().exchange(HttpRequest.GET("/datasets/it-file-a/model"),
                    byte[].class)));
            HttpResponse<byte[]> got = service.http().exchange(HttpRequest.GET("/datasets/it-file-a/model")
                    .bearerAuth(TOKEN), byte[].class);
            assertEquals(MediaType.APPLICATION_OCTET_STREAM_TYPE, got.getContentType().orElseThrow());
            byte[] file = got.body();
            ModelCheckpoint checkpoint = ModelCheckpoint.parse(file);
            assertEquals("it-file-a", checkpoint.dataset());
            assertEquals(404, status(() -> service.http().exchange(HttpRequest.GET("/datasets/it-file-b/model")
                    .bearerAuth(TOKEN), byte[].class)));

            // when publishing it without the token, for the other schema, then for the same schema
            assertEquals(401, status(() -> service.http().exchange(putModel("it-file-b", file), String.class)));
            var otherSchema = assertThrows(HttpClientResponseException.class,
                    () -> service.http().exchange(putModel("it-file-c", file).bearerAuth(TOKEN), String.class));
            assertEquals(400, otherSchema.getStatus().getCode());
            assertTrue(error(otherSchema).contains("another schema"), error(otherSchema));
            JsonNode published = JSON.readTree(service.http().retrieve(putModel("it-file-b", file).bearerAuth(TOKEN)));

            // then the file is served as it is, and imputes the second dataset's records with that model's version
            assertEquals(checkpoint.modelVersion(), published.path("modelVersion").asLong(), published.toString());
            assertEquals("it-file-a", published.path("trainedAs").asText());
            assertArrayEquals(file, service.http().exchange(HttpRequest.GET("/datasets/it-file-b/model")
                    .bearerAuth(TOKEN), byte[].class).body());
            String version = "gain-" + checkpoint.modelVersion();
            // fewer records than a training window: training resumes from the file but publishes no newer version
            PipelineIntegrationTest.publish(service.kafka(), "it-file-b", MixedRecords.generate(20, 0, 12, "b-"));
            Outputs out = Outputs.read(service.kafka(), "it-file-b", 20, Duration.ofSeconds(60));
            assertEquals(20, out.imputed().size());
            for (ConsumerRecord<byte[], byte[]> r : out.imputed()) {
                assertEquals(version, Outputs.model(r), "imputed by the published model");
            }
            assertEquals(version, JSON.readTree(service.http().retrieve("/datasets/it-file-b")).at("/model/version").asText());
            assertEquals(200, service.http().exchange(HttpRequest.POST("/datasets/it-file-b/impute", "{\"x\": 5}")
                    .contentType(MediaType.APPLICATION_JSON), String.class).getStatus().getCode());
        }
    }

    @Test
    void shouldRetireADatasetSoItsRecordsAreDeadLetteredAndNoModelIsLeft() throws Exception {
        String dataset = "it-retire";
        try (ServiceInstance service = ServiceInstance.start("it-retire-app", dataDir, Map.of("ganstream.http.token", TOKEN))) {
            // given: a dataset that has trained on this instance
            register(service, dataset, SCHEMA);
            PipelineIntegrationTest.publish(service.kafka(), dataset, MixedRecords.generate(150, 0, 21, "r-"));
            awaitModel(service, dataset);
            DatasetModels models = service.context().getBean(DatasetModels.class);
            ModelCheckpoints checkpoints = service.context().getBean(ModelCheckpoints.class);
            assertTrue(models.imputerStatus(dataset).isPresent());
            Outputs.read(service.kafka(), dataset, 150, Duration.ofSeconds(60));

            // when: retired without the token, then with it
            assertEquals(401, status(() -> service.http().exchange(HttpRequest.DELETE("/datasets/" + dataset), String.class)));
            assertEquals(204, service.http().exchange(HttpRequest.DELETE("/datasets/" + dataset).bearerAuth(TOKEN),
                    String.class).getStatus().getCode());

            // then: unknown over HTTP, no schema or model record left, training stopped
            assertEquals(404, status(() -> service.http().exchange("/datasets/" + dataset, String.class)));
            assertEquals(404, status(() -> service.http().exchange(HttpRequest.GET("/datasets/" + dataset + "/model")
                    .bearerAuth(TOKEN), byte[].class)));
            assertFalse(service.http().retrieve("/datasets").contains("\"" + dataset + "\""));
            assertFalse(service.context().getBean(SchemaWriter.class).readAll().containsKey(dataset),
                    "the schema is tombstoned in " + Topics.SCHEMAS);
            assertTrue(models.imputerStatus(dataset).isEmpty(), "training stopped");
            Thread.sleep(2000);
            assertTrue(checkpoints.latest(dataset).isEmpty(), "no checkpoint written after the tombstone");
            // its records are dead-lettered like those of any dataset without a schema; its topics stay
            PipelineIntegrationTest.publish(service.kafka(), dataset, MixedRecords.generate(5, 0, 22, "late-"));
            Outputs out = Outputs.read(service.kafka(), dataset, 155, Duration.ofSeconds(60));
            assertEquals(150, out.imputed().size());
            assertEquals(5, out.dlq().size());
            for (ConsumerRecord<byte[], byte[]> r : out.dlq()) {
                assertTrue(Outputs.key(r).startsWith("late-"));
                assertTrue(Outputs.header(r, OutputHeaders.ERROR).startsWith("no schema registered"),
                        Outputs.header(r, OutputHeaders.ERROR));
            }
            Set<String> topics = service.context().getBean(io.ganstream.kafka.TopicAdmin.class).admin().listTopics()
                    .names().get(30, TimeUnit.SECONDS);
            assertTrue(topics.containsAll(List.of(Topics.raw(dataset), Topics.imputed(dataset), Topics.dlq(dataset))));
            assertEquals(404, status(() -> service.http().exchange(HttpRequest.DELETE("/datasets/" + dataset)
                    .bearerAuth(TOKEN), String.class)));

            // and registered again, it starts afresh: nothing of the old model is served
            register(service, dataset, SCHEMA);
            assertEquals("fallback", JSON.readTree(service.http().retrieve("/datasets/" + dataset)).at("/model/version").asText());
        }
    }

    private static void register(ServiceInstance service, String dataset, String schema) {
        service.http().exchange(HttpRequest.PUT("/datasets/" + dataset, schema).contentType(MediaType.APPLICATION_JSON)
                .bearerAuth(TOKEN), String.class);
    }

    private static MutableHttpRequest<byte[]> putModel(String dataset, byte[] file) {
        return HttpRequest.PUT("/datasets/" + dataset + "/model", file).contentType(MediaType.APPLICATION_OCTET_STREAM_TYPE);
    }

    private static int status(Runnable request) {
        return assertThrows(HttpClientResponseException.class, request::run).getStatus().getCode();
    }

    private static String error(HttpClientResponseException e) throws Exception {
        return JSON.readTree(e.getResponse().getBody(String.class).orElseThrow()).path("error").asText();
    }

    private static void awaitModel(ServiceInstance service, String dataset) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (JSON.readTree(service.http().retrieve("/datasets/" + dataset)).at("/model/version").asText()
                    .startsWith("gain-")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no model version for " + dataset + " within 90 s");
    }
}
