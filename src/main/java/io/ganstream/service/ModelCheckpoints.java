package io.ganstream.service;

import io.ganstream.cli.Version;
import io.ganstream.engine.ModelCheckpoint;
import io.ganstream.kafka.KafkaConnection;
import io.ganstream.kafka.TopicAdmin;
import io.ganstream.metrics.GanstreamMetrics;
import io.ganstream.stream.GanstreamTopology;
import io.ganstream.stream.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Model checkpoints in the compacted {@code ganstream.models} topic: written by the trainers, read back on
 * start from the global model store, so training resumes where it stopped and every instance can serve.
 */
@Singleton
public class ModelCheckpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoints.class);

    private final KafkaProducer<String, byte[]> producer;
    private final StreamsService streams;
    private final GanstreamMetrics metrics;
    private final List<Runnable> beforeClose = new CopyOnWriteArrayList<>();

    public ModelCheckpoints(KafkaConnection connection, StreamsService streams, GanstreamMetrics metrics) {
        Map<String, Object> props = new HashMap<>(connection.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicAdmin.MODEL_MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.streams = streams;
        this.metrics = metrics;
    }

    /** Writes a checkpoint; asynchronous, failures are logged and counted (training goes on). */
    public void write(ModelCheckpoint checkpoint) {
        byte[] bytes = checkpoint.toBytes();
        producer.send(new ProducerRecord<>(Topics.MODELS, checkpoint.dataset(), bytes), (meta, e) -> {
            if (e != null) {
                LOG.warn("Checkpoint of {} (version {}, {} bytes) not written: {}", checkpoint.dataset(),
                        checkpoint.modelVersion(), bytes.length, e.toString());
                metrics.checkpoint(checkpoint.dataset(), "failed");
            } else {
                metrics.checkpointWritten(checkpoint.dataset(), bytes.length, checkpoint.createdMillis());
            }
        });
    }

    /**
     * The latest checkpoint bytes of a dataset from the global model store.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the store is not queryable
     */
    public Optional<byte[]> latest(String dataset) {
        ReadOnlyKeyValueStore<String, byte[]> store = streams.streams().store(StoreQueryParameters
                .fromNameAndType(GanstreamTopology.MODEL_STORE, QueryableStoreTypes.keyValueStore()));
        return Optional.ofNullable(store.get(dataset));
    }

    /** Runs before the producer closes: the trainers' final checkpoints on a clean stop. */
    public void beforeClose(Runnable hook) {
        beforeClose.add(hook);
    }

    /** The software version recorded in checkpoints. */
    public static String softwareVersion() {
        return Version.current();
    }

    @Override
    @PreDestroy
    public void close() {
        for (Runnable hook : beforeClose) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("Final checkpoint failed: {}", e.toString());
            }
        }
        producer.flush();
        producer.close(Duration.ofSeconds(30));
    }
}
