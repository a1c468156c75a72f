package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.stream.OutputHeaders;
import io.ganstream.support.Outputs;
import org.junit.jupiter.api.AfterEach;
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

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void shouldServeRegisterProduceAndImputeFromTheJar() throws Exception {
        int kafkaPort = freePort();
        int httpPort = freePort();
        Process service = start(work.resolve("service.log"), Map.of(
                "GANSTREAM_DATA_DIR", work.resolve("data").toString(),
                "GANSTREAM_EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort),
                "MICRONAUT_SERVER_PORT", Integer.toString(httpPort)));
        String base = "http://localhost:" + httpPort;
        awaitReady(base, service, work.resolve("service.log"));

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
        Process produce = start(work.resolve("produce.log"), Map.of(),
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

    private Process start(Path log, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx1g", "-jar", jar()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        pb.environment().putAll(env);
        pb.directory(work.toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static void awaitReady(String base, Process service, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new AssertionError("service exited: " + Files.readString(log));
            }
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(base + "/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("service not ready in time: " + Files.readString(log));
    }

    static String jar() {
        String jar = System.getProperty("ganstream.jar", "target/ganstream.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException(jar + " not built: run mvn verify");
        }
        return Path.of(jar).toAbsolutePath().toString();
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
