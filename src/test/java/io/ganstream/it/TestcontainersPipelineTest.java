package io.ganstream.it;

import io.ganstream.support.MixedRecords;
import io.ganstream.support.Outputs;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.ganstream.kafka.KafkaConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The counting invariant against Kafka in a container (the apache/kafka KRaft image), where Docker exists.
 * Skipped cleanly where it does not; the in-process broker tests cover the same ground there.
 */
@Tag("integration")
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersPipelineTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @TempDir
    Path dataDir;

    @Test
    void shouldAccountForEveryRecordOnAContainerizedBroker() {
        List<MixedRecords.Item> items = MixedRecords.generate(200, 7, 3, "tc-");
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "micronaut.server.port", -1,
                "ganstream.kafka.bootstrap-servers", KAFKA.getBootstrapServers(),
                "ganstream.data-dir", dataDir.toString(),
                "ganstream.max-record-bytes", 2048))) {
            EmbeddedServer server = ctx.getBean(EmbeddedServer.class).start();
            try (HttpClient http = HttpClient.create(server.getURL())) {
                http.toBlocking().exchange(HttpRequest.PUT("/datasets/tc-mixed", MixedRecords.SCHEMA)
                        .contentType(MediaType.APPLICATION_JSON), String.class);
            }
            Map<String, Object> kafka = ctx.getBean(KafkaConnection.class).clientProperties();
            PipelineIntegrationTest.publish(kafka, "tc-mixed", items);
            Outputs out = Outputs.read(kafka, "tc-mixed", items.size(), Duration.ofSeconds(60));
            assertEquals(items.size(), out.total());
            assertEquals(items.stream().filter(MixedRecords.Item::valid).count(), out.imputed().size());
        }
    }
}
