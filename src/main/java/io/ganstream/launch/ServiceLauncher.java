package io.ganstream.launch;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

import java.util.Map;

/** Starts the service (HTTP, Kafka Streams, embedded broker when none is configured) in this JVM. */
public final class ServiceLauncher {
    private ServiceLauncher() {
    }

    public static ApplicationContext start(Map<String, Object> properties) {
        return Micronaut.build(new String[0])
                .mainClass(ServiceLauncher.class)
                .banner(false)
                .properties(properties)
                .start();
    }

    /**
     * A fresh service for a benchmark: its own embedded broker on a free port and data directory, no HTTP port,
     * no schema files, and a deep training queue (a pass arrives in a burst; windows should not be dropped).
     */
    public static ApplicationContext startForBenchmark(java.nio.file.Path dataDir) {
        return start(Map.of(
                "ganstream.data-dir", dataDir.toString(),
                "ganstream.schemas-dir", dataDir.resolve("none").toString(),
                "ganstream.kafka.bootstrap-servers", "",
                "ganstream.kafka.embedded-port", 0,
                "micronaut.server.port", -1));
    }

    /**
     * Blocks while the service runs. Micronaut's own shutdown hook stops the context on SIGTERM/Ctrl-C (streams
     * first, broker last); a second hook of ours would race it and re-create beans while they are destroyed.
     */
    public static void awaitShutdown(ApplicationContext context) {
        while (context.isRunning()) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
