package io.ganstream.service;

import io.ganstream.kafka.TopicAdmin;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.InvalidSchemaException;
import io.ganstream.schema.SchemaCache;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Registers datasets and reads them back. The source of truth is the compacted {@code ganstream.schemas}
 * topic, read by every instance into the global schema store; a registration returns once this instance's
 * store shows it, so a client can use the dataset right after its {@code PUT}.
 */
@Singleton
public class DatasetRegistry {
    private static final long VISIBLE_TIMEOUT_MS = 15_000;

    private final SchemaCache cache;
    private final SchemaWriter writer;
    private final TopicAdmin admin;
    private final StreamsService streams;

    public DatasetRegistry(SchemaCache cache, SchemaWriter writer, TopicAdmin admin, StreamsService streams) {
        this.cache = cache;
        this.writer = writer;
        this.admin = admin;
        this.streams = streams;
    }

    /** Validates, creates the dataset's topics, stores the schema and waits until it is in force here. */
    public DatasetSchema register(String name, String text) throws InvalidSchemaException {
        DatasetSchema schema = cache.parser().parse(name, text);
        admin.ensureOutputTopics(name);
        writer.write(name, schema.text());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(VISIBLE_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            try {
                if (schema.text().equals(store().get(name))) {
                    return schema;
                }
            } catch (NotReadyException e) {
                // The streams are (re)starting: the write is durable, keep waiting for the store.
            }
            sleep();
        }
        throw new NotReadyException("schema of " + name + " stored, but not yet visible on this instance");
    }

    /**
     * Retires a dataset: tombstones its schema and waits until this instance's store no longer has it, so its
     * records are dead-lettered from then on, as for any dataset without a schema. Its topics stay.
     *
     * @return false when no such dataset was registered
     */
    public boolean delete(String name) {
        if (store().get(name) == null) {
            return false;
        }
        writer.delete(name);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(VISIBLE_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            try {
                if (store().get(name) == null) {
                    return true;
                }
            } catch (NotReadyException e) {
                // The streams are (re)starting: the tombstone is durable, keep waiting for the store.
            }
            sleep();
        }
        throw new NotReadyException("schema of " + name + " deleted, but still visible on this instance");
    }

    public Optional<DatasetSchema> find(String name) {
        String text = store().get(name);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(cache.resolve(name, text));
        } catch (InvalidSchemaException e) {
            throw new IllegalStateException("stored schema of " + name + " is unusable: " + e.getMessage(), e);
        }
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        try (var it = store().all()) {
            it.forEachRemaining(kv -> names.add(kv.key));
        }
        names.sort(null);
        return names;
    }

    private ReadOnlyKeyValueStore<String, String> store() {
        try {
            return streams.schemaStore();
        } catch (InvalidStateStoreException e) {
            throw new NotReadyException("the schema store is not ready yet (Kafka Streams is "
                    + streams.streams().state() + ")");
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotReadyException("interrupted");
        }
    }

    /** The service cannot answer yet (starting or rebalancing): HTTP 503. */
    public static final class NotReadyException extends RuntimeException {
        public NotReadyException(String message) {
            super(message);
        }
    }
}
