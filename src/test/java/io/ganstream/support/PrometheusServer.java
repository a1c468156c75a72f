package io.ganstream.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real Prometheus process scraping one target every second, with a temporary config and storage. */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path log;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Starts Prometheus scraping {@code target} (host:port) at {@code metricsPath}, loading the rule files.
     *
     * @param dir a fresh directory for the config, the TSDB and the log
     */
    public static PrometheusServer start(Path dir, String target, String metricsPath, List<Path> ruleFiles)
            throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                """);
        for (Path rules : ruleFiles) {
            config.append("  - '").append(rules.toAbsolutePath()).append("'\n");
        }
        config.append("scrape_configs:\n  - job_name: ganstream\n    metrics_path: ").append(metricsPath)
                .append("\n    static_configs:\n      - targets: ['").append(target).append("']\n");
        Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(PrometheusTools.require("prometheus").toString(),
                "--config.file=" + configFile, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, log, port);
        server.awaitReady(Duration.ofSeconds(20));
        return server;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited: " + logTail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            sleep(100);
        }
        throw new AssertionError("prometheus not ready in " + timeout + ": " + logTail());
    }

    /** An instant query at the current time: the {@code data} object of the API's answer. */
    public JsonNode query(String promQl) {
        URI uri = base.resolve("/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (!"success".equals(body.path("status").asText())) {
                throw new AssertionError("query failed: " + promQl + " -> " + r.body());
            }
            return body.get("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** True when the query returns at least one sample whose value is a number (not NaN). */
    public boolean hasNumber(String promQl) {
        JsonNode data = query(promQl);
        for (JsonNode sample : data.path("result")) {
            String value = sample.path("value").path(1).asText("NaN");
            if (!value.equals("NaN")) {
                return true;
            }
        }
        return false;
    }

    /** Waits until {@link #hasNumber} holds for every query. */
    public void awaitNumbers(Duration timeout, String... queries) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String q : queries) {
            while (!hasNumber(q)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no number from " + q + " within " + timeout + "; log: " + logTail());
                }
                sleep(250);
            }
        }
    }

    public String logTail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
