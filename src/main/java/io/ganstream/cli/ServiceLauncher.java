package io.ganstream.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Starts the service (HTTP, Kafka Streams, embedded broker when none is configured) in this JVM. */
public final class ServiceLauncher {
    private ServiceLauncher() {
    }

    public static ApplicationContext start(Map<String, Object> properties) {
        return Micronaut.build(new String[0])
                .mainClass(GanstreamCommand.class)
                .banner(false)
                .properties(properties)
                .start();
    }

    /** Blocks until the JVM is asked to stop, then closes the context (streams first, broker last). */
    public static void awaitShutdown(ApplicationContext context) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (context.isRunning()) {
                context.close();
            }
            stopped.countDown();
        }, "ganstream-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
