package io.ganstream.kafka;

import io.ganstream.config.GanstreamConfig;
import io.ganstream.config.KafkaConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the Kafka cluster is: the configured one, or an embedded broker started here when none is configured.
 * Every client ganstream creates takes its settings from {@link #clientProperties()}.
 */
@Singleton
public class KafkaConnection implements AutoCloseable {
    private final KafkaConfig config;
    private final EmbeddedKafkaBroker broker;
    private final String bootstrapServers;

    public KafkaConnection(KafkaConfig config, GanstreamConfig service) {
        this.config = config;
        if (config.isEmbedded()) {
            broker = new EmbeddedKafkaBroker(service.dataPath().resolve("kafka"), config.getEmbeddedPort()).start();
            bootstrapServers = broker.bootstrapServers();
        } else {
            broker = null;
            bootstrapServers = config.getBootstrapServers();
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public boolean embedded() {
        return broker != null;
    }

    /** Bootstrap servers plus the pass-through client properties (security and the like). */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(config.getProperties());
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }

    @Override
    @PreDestroy
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
