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
 *   *.raw ──► validate + impute ──► D.imputed | D.dlq
 * </pre>
 */
public final class GanstreamTopology {
    /** Global store of schema texts, key = dataset name. Queryable for the HTTP API. */
    public static final String SCHEMA_STORE = "ganstream-schemas";
    static final String VALIDATE_AND_IMPUTE = "validate-and-impute";

    private GanstreamTopology() {
    }

    public static StreamsBuilder build(StreamsBuilder builder, PipelineDependencies deps) {
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SCHEMA_STORE), Serdes.String(),
                        Serdes.String()).withLoggingDisabled(),
                Topics.SCHEMAS,
                Consumed.with(Serdes.String(), Serdes.String()),
                SchemaStoreUpdater::new);

        builder.stream(Topics.RAW, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(() -> new ValidateAndImputeProcessor(deps), Named.as(VALIDATE_AND_IMPUTE))
                .to((key, routed, context) -> routed.topic(), Produced.with(Serdes.ByteArray(), new RoutedSerde()));
        return builder;
    }

    /** Keeps the global schema store equal to the compacted schema topic (a null value deletes). */
    static final class SchemaStoreUpdater implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, String> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(SCHEMA_STORE);
        }

        @Override
        public void process(Record<String, String> record) {
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
