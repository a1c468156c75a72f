package io.ganstream.kafka;

import io.ganstream.config.KafkaConfig;
import io.ganstream.stream.OutputTopics;
import io.ganstream.stream.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates ganstream's topics: the compacted internal ones at start, a dataset's four on registration. */
@Singleton
public class TopicAdmin implements OutputTopics, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    /** Checkpoints of real models exceed Kafka's 1 MiB default. */
    public static final int MODEL_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final AdminClient admin;
    private final ClientMeters meters;
    private final KafkaConfig config;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();

    public TopicAdmin(KafkaConnection connection, KafkaConfig config, MeterRegistry registry) {
        this.admin = AdminClient.create(connection.clientProperties());
        this.meters = ClientMeters.of(admin, registry);
        this.config = config;
    }

    /** The compacted schema and model topics every instance reads. */
    public void ensureInternalTopics() {
        create(List.of(
                new NewTopic(Topics.SCHEMAS, 1, config.getReplicationFactor())
                        .configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(Topics.MODELS, 1, config.getReplicationFactor())
                        .configs(Map.of("cleanup.policy", "compact",
                                "max.message.bytes", String.valueOf(MODEL_MAX_MESSAGE_BYTES)))));
    }

    @Override
    public void ensureOutputTopics(String dataset) {
        if (ensured.contains(dataset)) {
            return;
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Topics.ofDataset(dataset)) {
            topics.add(new NewTopic(name, config.getPartitions(), config.getReplicationFactor()));
        }
        create(topics);
        ensured.add(dataset);
    }

    private void create(List<NewTopic> topics) {
        var result = admin.createTopics(topics);
        for (NewTopic topic : topics) {
            try {
                result.values().get(topic.name()).get(30, TimeUnit.SECONDS);
                LOG.info("Created topic {}", topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.name() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("timed out creating topic " + topic.name(), e);
            }
        }
    }

    public Admin admin() {
        return admin;
    }

    @Override
    @PreDestroy
    public void close() {
        meters.closeWith(() -> admin.close());
    }
}
