package io.ganstream.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The built jar run as separate processes, as users run it; stopped (gracefully, then forcibly) on close. */
public final class JarProcesses implements AutoCloseable {
    private final Path work;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    /** @param work working directory of the processes, where their logs go */
    public JarProcesses(Path work) {
        this.work = work;
    }

    /** Starts {@code java -jar target/ganstream.jar ARGS} with the environment changes, logging to {@code log}. */
    public Process start(Map<String, String> env, String log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx1g", "-jar", jar()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(log).toFile());
        pb.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        pb.environment().putAll(env);
        pb.directory(work.toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** Waits until the service answers UP on {@code /health/readiness}; fails with its log if it exits. */
    public void awaitReady(String baseUrl, Process service, String log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new AssertionError("service exited: " + Files.readString(work.resolve(log)));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("service not ready in time: " + Files.readString(work.resolve(log)));
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    public static String jar() {
        String jar = System.getProperty("ganstream.jar", "target/ganstream.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException(jar + " not built: run mvn verify");
        }
        return Path.of(jar).toAbsolutePath().toString();
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
