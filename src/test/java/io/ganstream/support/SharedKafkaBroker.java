package io.ganstream.support;

import io.ganstream.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real in-process KRaft broker for the whole test JVM, stopped after every test class is done (after the
 * services using it were closed: stopping it first turns shutdowns into long reconnect timeouts).
 */
public final class SharedKafkaBroker implements BeforeAllCallback {
    private static EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        bootstrapServers();
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedKafkaBroker.class, k -> (ExtensionContext.Store.CloseableResource)
                        SharedKafkaBroker::stop);
    }

    /** Starts the broker on first use. */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                Path dir = Files.createTempDirectory("ganstream-test-kafka");
                broker = new EmbeddedKafkaBroker(dir, 0).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return broker.bootstrapServers();
    }

    private static synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
