package io.ganstream.service;

import io.ganstream.config.SoftwareVersion;
import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.kafka.ClientMeters;
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
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Model checkpoints in the compacted {@code ganstream.models} topic: written by the trainers, read back on
 * start from the global model store, so training resumes where it stopped and every instance can serve.
 */
@Singleton
public class ModelCheckpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoints.class);

    private final KafkaProducer<String, byte[]> producer;
    private final ClientMeters meters;
    private final StreamsService streams;
    private final GanstreamMetrics metrics;
    private final List<Runnable> beforeClose = new CopyOnWriteArrayList<>();
    /** Largest checkpoint record: the topic's limit less room for the key, headers and batch overhead. */
    public static final int MAX_CHECKPOINT_BYTES = TopicAdmin.MODEL_MAX_MESSAGE_BYTES - 64 * 1024;
    private final java.util.Set<String> oversizedSynthesizers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ModelCheckpoints(KafkaConnection connection, StreamsService streams, GanstreamMetrics metrics) {
        Map<String, Object> props = new HashMap<>(connection.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicAdmin.MODEL_MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.meters = ClientMeters.of(producer, metrics.registry());
        this.streams = streams;
        this.metrics = metrics;
    }

    /** Writes a checkpoint; asynchronous, failures are logged and counted (training goes on). */
    public void write(ModelCheckpoint checkpoint) {
        write(checkpoint, null);
    }

    /**
     * Writes a checkpoint, or, when it is too large for one model record, the same with {@code servingSynth}
     * (the synthesizer's sampling state, {@code SynthLearner#checkpoint(true)}; null when there is none) in place
     * of the synthesizer's whole state, or else without a synthesizer. Asynchronous; failures are logged and
     * counted (training goes on).
     */
    public void write(ModelCheckpoint checkpoint, byte[] servingSynth) {
        byte[] first = checkpoint.toBytes();
        ModelCheckpoint written = fitted(checkpoint, first, servingSynth, MAX_CHECKPOINT_BYTES);
        byte[] bytes = first;
        if (written != checkpoint) {
            String outcome = written.hasSynthesizer() ? "synthesizer_serving_only" : "synthesizer_omitted";
            if (oversizedSynthesizers.add(checkpoint.dataset())) {
                LOG.warn("Checkpoint of {} with its synthesizer is {} bytes, over the {} bytes a model record may "
                        + "have: {}", checkpoint.dataset(), first.length, MAX_CHECKPOINT_BYTES,
                        written.hasSynthesizer() ? "only the synthesizer's sampling state goes with it (a new owner "
                                + "resumes the synthesizer warm: its generator, not its discriminator or optimizer)"
                                : "the synthesizer's state is left out of it");
            }
            metrics.checkpoint(checkpoint.dataset(), outcome);
            bytes = written.toBytes();
        }
        int size = bytes.length;
        producer.send(new ProducerRecord<>(Topics.MODELS, checkpoint.dataset(), bytes), (meta, e) -> {
            if (e != null) {
                LOG.warn("Checkpoint of {} (version {}, {} bytes) not written: {}", written.dataset(),
                        written.modelVersion(), size, e.toString());
                metrics.checkpoint(written.dataset(), "failed");
            } else {
                metrics.checkpointWritten(written.dataset(), size, written.createdMillis());
            }
        });
    }

    /**
     * The checkpoint to write: as it is when its bytes fit {@code maxBytes}; otherwise with the synthesizer's
     * sampling state {@code servingSynth} instead of its whole state, when given and that fits; otherwise without
     * the synthesizer. Wide datasets (images): the imputer is sized to fit the model topic, the synthesizer's
     * whole state (weights, Adam moments, D) may not. The imputer is what every instance needs to serve records,
     * so it goes first; the synthesizer's EMA generator is what every instance needs to serve samples and what
     * a new owner resumes from, so it goes next.
     */
    static ModelCheckpoint fitted(ModelCheckpoint checkpoint, byte[] bytes, byte[] servingSynth, int maxBytes) {
        if (bytes.length <= maxBytes || !checkpoint.hasSynthesizer()) {
            return checkpoint;
        }
        if (servingSynth != null && servingSynth.length > 0
                && bytes.length - checkpoint.synthState().length + servingSynth.length <= maxBytes) {
            return checkpoint.withSynthesizer(checkpoint.synthVersion(), servingSynth, checkpoint.synthTraining());
        }
        return checkpoint.withSynthesizer(0, null, null);
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

    /**
     * Publishes a model file's bytes, unchanged, as the dataset's latest checkpoint, and waits for the broker.
     * The caller has checked them ({@link ModelCheckpoint#parse}, schema hash, {@link #MAX_CHECKPOINT_BYTES}).
     */
    public void publish(String dataset, byte[] checkpoint) {
        send(dataset, checkpoint, "publishing");
    }

    /** Tombstones the dataset's checkpoint (a retired dataset) and waits for the broker. */
    public void delete(String dataset) {
        send(dataset, null, "deleting");
    }

    private void send(String dataset, byte[] bytes, String doing) {
        try {
            producer.send(new ProducerRecord<>(Topics.MODELS, dataset, bytes)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing + " the model of " + dataset, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("failed " + doing + " the model of " + dataset + " in " + Topics.MODELS, e);
        }
    }

    /**
     * Waits until this instance's model store holds exactly {@code expected} for the dataset (null: nothing).
     *
     * @return whether it did within the timeout
     */
    public boolean awaitStored(String dataset, byte[] expected, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        do {
            try {
                byte[] stored = latest(dataset).orElse(null);
                if (Arrays.equals(stored, expected)) {
                    return true;
                }
            } catch (InvalidStateStoreException e) {
                // (re)starting: keep waiting
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** Runs before the producer closes: the trainers' final checkpoints on a clean stop. */
    public void beforeClose(Runnable hook) {
        beforeClose.add(hook);
    }

    /** The software version recorded in checkpoints. */
    public static String softwareVersion() {
        return SoftwareVersion.current();
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
        meters.closeWith(() -> {
            producer.flush();
            producer.close(Duration.ofSeconds(30));
        });
    }
}
