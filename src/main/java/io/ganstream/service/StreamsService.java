package io.ganstream.service;

import io.ganstream.config.GanstreamConfig;
import io.ganstream.config.KafkaConfig;
import io.ganstream.kafka.KafkaConnection;
import io.ganstream.kafka.TopicAdmin;
import io.ganstream.metrics.MicrometerPipelineEvents;
import io.ganstream.schema.SchemaCache;
import io.ganstream.stream.GanstreamTopology;
import io.ganstream.stream.ImputationModels;
import io.ganstream.stream.PassthroughImputation;
import io.ganstream.stream.PipelineDependencies;
import io.ganstream.stream.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;

/**
 * Runs the topology on the configured (or embedded) Kafka cluster, with exactly-once processing. Eagerly
 * created at start: the internal topics and the bundled schemas are in place before the streams start.
 */
@Context
public class StreamsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;

    public StreamsService(KafkaConnection connection, KafkaConfig kafka, GanstreamConfig config, TopicAdmin admin,
                          SchemaCache schemas, DatasetModels models, MicrometerPipelineEvents events,
                          MeterRegistry registry, BundledSchemas bundled) {
        admin.ensureInternalTopics();
        bundled.registerAbsent();
        ImputationModels imputation = config.isPassthroughImputation() ? new PassthroughImputation() : models;
        if (config.isPassthroughImputation()) {
            LOG.warn("Imputation is replaced by identity (ganstream.passthrough-imputation): a benchmark baseline");
        }
        PipelineDependencies deps = new PipelineDependencies(schemas, imputation, events, admin,
                config.getMaxRecordBytes(), Topics.rawTopicsOf(config.getDatasets()), kafka.getPartitions());
        StreamsBuilder builder = GanstreamTopology.build(new StreamsBuilder(), deps);
        this.streams = new KafkaStreams(builder.build(), properties(connection, kafka, config));
        this.streams.setUncaughtExceptionHandler(e -> {
            // Bad records never get here (they are dead-lettered); this is a broker or state problem. Replacing
            // the thread keeps serving, and the exactly-once transaction of the failed batch is retried.
            LOG.error("Stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        this.streamsMetrics.bindTo(registry);
        this.streams.start();
        LOG.info("Kafka Streams started against {}", connection.bootstrapServers());
    }

    static Properties properties(KafkaConnection connection, KafkaConfig kafka, GanstreamConfig config) {
        Properties p = new Properties();
        p.putAll(connection.clientProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, kafka.getApplicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.dataPath().resolve("streams").toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, kafka.getNumStreamThreads());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, kafka.getCommitIntervalMs());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.getReplicationFactor());
        // New raw topics (datasets registered at runtime) are found by the pattern within seconds, not minutes.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), 3000);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 16 * 1024 * 1024);
        // A stopped or crashed instance's partitions move to the others (or to it, back again) after this long.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), kafka.getSessionTimeoutMs());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                Math.max(500, kafka.getSessionTimeoutMs() / 4));
        return p;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** The global schema store, for reads from HTTP; only while the streams run. */
    public ReadOnlyKeyValueStore<String, String> schemaStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(GanstreamTopology.SCHEMA_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    @Override
    @PreDestroy
    public void close() {
        // Leaving the group on a clean stop hands this instance's partitions over at once, instead of after the
        // session timeout (45 s by default), both to other instances and to this one when it comes back.
        streams.close(new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(true));
        streamsMetrics.close();
        LOG.info("Kafka Streams stopped");
    }
}
