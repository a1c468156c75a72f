package io.ganstream.stream;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The ganstream topology, as a pure function of a {@link StreamsBuilder}:
 * <pre>
 *   ganstream.schemas ──► global in-memory store (every instance sees every schema)
 *   ganstream.models  ──► global in-memory store (every instance can resume from the latest checkpoint)
 *   *.raw ──► validate + impute ──► D.imputed | D.dlq
 * </pre>
 */
public final class GanstreamTopology {
    /** Global store of schema texts, key = dataset name. Queryable for the HTTP API. */
    public static final String SCHEMA_STORE = "ganstream-schemas";
    /** Global store of the latest model checkpoint of every dataset, key = dataset name. */
    public static final String MODEL_STORE = "ganstream-models";
    static final String VALIDATE_AND_IMPUTE = "validate-and-impute";

    private GanstreamTopology() {
    }

    public static StreamsBuilder build(StreamsBuilder builder, PipelineDependencies deps) {
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SCHEMA_STORE), Serdes.String(),
                        Serdes.String()).withLoggingDisabled(),
                Topics.SCHEMAS,
                Consumed.with(Serdes.String(), Serdes.String()),
                () -> new GlobalStoreUpdater<String, String>(SCHEMA_STORE));

        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODEL_STORE), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                Topics.MODELS,
                Consumed.with(Serdes.String(), Serdes.ByteArray()),
                () -> new GlobalStoreUpdater<String, byte[]>(MODEL_STORE));

        builder.stream(deps.rawTopics(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(() -> new ValidateAndImputeProcessor(deps), Named.as(VALIDATE_AND_IMPUTE))
                .to((key, routed, context) -> routed.topic(), Produced.with(Serdes.ByteArray(), new RoutedSerde()));
        return builder;
    }

    /** Keeps a global store equal to its compacted topic (a null value deletes). */
    static final class GlobalStoreUpdater<K, V> implements Processor<K, V, Void, Void> {
        private final String storeName;
        private KeyValueStore<K, V> store;

        GlobalStoreUpdater(String storeName) {
            this.storeName = storeName;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<K, V> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }

}
