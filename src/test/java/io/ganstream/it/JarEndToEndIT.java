package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.stream.OutputHeaders;
import io.ganstream.support.JarProcesses;
import io.ganstream.support.Outputs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar as a user runs it: {@code java -jar target/ganstream.jar} with its embedded broker, a schema
 * registered over HTTP, a CSV published with the {@code produce} command, the outputs read back.
 */
@Tag("e2e")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JarEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = """
            {"type": "object", "properties": {
              "sku": {"type": "string"},
              "price": {"type": "number", "minimum": 0},
              "qty": {"type": "integer", "minimum": 0},
              "color": {"type": "string", "enum": ["red", "blue"]}}}""";

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
    void shouldServeRegisterProduceAndImputeFromTheJar() throws Exception {
        int kafkaPort = JarProcesses.freePort();
        int httpPort = JarProcesses.freePort();
        Process service = jars.start(Map.of(
                "GANSTREAM_DATA_DIR", work.resolve("data").toString(),
                "GANSTREAM_EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort),
                "MICRONAUT_SERVER_PORT", Integer.toString(httpPort)), "service.log");
        String base = "http://localhost:" + httpPort;
        jars.awaitReady(base, service, "service.log");

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/datasets/shop"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(SCHEMA)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());

        Path csv = work.resolve("shop.csv");
        Files.writeString(csv, """
                sku,price,qty,color
                a1,10.0,1,red
                a2,,3,blue
                a3,30.0,,
                a4,oops,2,red
                a5,50.0,5,green
                """);
        Process produce = jars.start(Map.of(), "produce.log",
                "produce", "--dataset", "shop", "--file", csv.toString(), "--bootstrap", "localhost:" + kafkaPort,
                "--key", "sku");
        assertTrue(produce.waitFor(120, TimeUnit.SECONDS), "produce finishes");
        assertEquals(0, produce.exitValue(), Files.readString(work.resolve("produce.log")));
        assertTrue(Files.readString(work.resolve("produce.log")).contains("5/5"), "progress shown on stderr");

        Outputs out = Outputs.read(Map.of("bootstrap.servers", "localhost:" + kafkaPort), "shop", 5,
                Duration.ofSeconds(60));
        assertEquals(3, out.imputed().size());
        assertEquals(2, out.dlq().size());
        for (var r : out.imputed()) {
            JsonNode rec = JSON.readTree(r.value());
            switch (Outputs.key(r)) {
                case "a2" -> {
                    assertEquals("price", Outputs.header(r, OutputHeaders.IMPUTED));
                    assertTrue(rec.get("price").asDouble() >= 0);
                }
                case "a3" -> assertEquals("qty,color", Outputs.header(r, OutputHeaders.IMPUTED));
                default -> assertEquals("", Outputs.header(r, OutputHeaders.IMPUTED));
            }
        }
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("ganstream_records_in_total{dataset=\"shop\"} 5.0"), "metrics show the records");
    }
}
