package io.ganstream.stream;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.KeyValue;
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
 *                  └── training sample (key = dataset) ──► repartition ──► the dataset's one trainer
 * </pre>
 */
public final class GanstreamTopology {
    /** Global store of schema texts, key = dataset name. Queryable for the HTTP API. */
    public static final String SCHEMA_STORE = "ganstream-schemas";
    /** Global store of the latest model checkpoint of every dataset, key = dataset name. */
    public static final String MODEL_STORE = "ganstream-models";
    static final String VALIDATE_AND_IMPUTE = "validate-and-impute";
    /** Name of the internal repartition topic of training samples ({@code <application.id>-training-repartition}). */
    static final String TRAINING = "training";

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

        KStream<byte[], Routed> routed = builder.stream(deps.rawTopics(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(() -> new ValidateAndImputeProcessor(deps), Named.as(VALIDATE_AND_IMPUTE));
        routed.filter((key, r) -> !r.training(), Named.as("outputs"))
                .to((key, r, context) -> r.topic(), Produced.with(Serdes.ByteArray(), new RoutedSerde()));
        // Training samples are keyed by dataset and repartitioned, so that each dataset has exactly one trainer
        // in the group: the instance that owns its partition (it moves on rebalance, resuming from the
        // checkpoint). The repartition topic is internal to the application and purged as it is consumed.
        routed.filter((key, r) -> r.training(), Named.as("training-samples"))
                .map((key, r) -> KeyValue.pair(r.dataset(), r.value()), Named.as("key-by-dataset"))
                // A fixed partition count: with a pattern source, Streams cannot derive it before a raw topic exists.
                .repartition(Repartitioned.<String, byte[]>as(TRAINING)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray())
                        .withNumberOfPartitions(deps.trainingPartitions()))
                .process(() -> new TrainingProcessor(deps), Named.as("train"));
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
