package io.ganstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka settings under {@code ganstream.kafka.*}. With no bootstrap servers, an embedded broker is started.
 * Anything under {@code ganstream.kafka.properties.*} (SASL, SSL, timeouts) is passed to every Kafka client
 * unchanged, so a secured cluster needs configuration only.
 */
@ConfigurationProperties("ganstream.kafka")
public class KafkaConfig {
    private String bootstrapServers = "";
    private int embeddedPort = 9092;
    private String applicationId = "ganstream";
    private int numStreamThreads = 1;
    private long commitIntervalMs = 200;
    /**
     * How long the group waits for a silent instance before moving its partitions. Kafka's 45 s default makes
     * a restarted or crashed instance's records wait that long; 10 s still rides out a GC pause.
     */
    private int sessionTimeoutMs = 10_000;
    /** Partitions of the per-dataset topics ganstream creates. */
    private int partitions = 3;
    private short replicationFactor = 1;
    private Map<String, String> properties = new HashMap<>();

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public boolean isEmbedded() {
        return bootstrapServers == null || bootstrapServers.isBlank();
    }

    public int getEmbeddedPort() {
        return embeddedPort;
    }

    public void setEmbeddedPort(int embeddedPort) {
        this.embeddedPort = embeddedPort;
    }

    public String getApplicationId() {
        return applicationId;
    }

    public void setApplicationId(String applicationId) {
        this.applicationId = applicationId;
    }

    public int getNumStreamThreads() {
        return numStreamThreads;
    }

    public void setNumStreamThreads(int numStreamThreads) {
        this.numStreamThreads = numStreamThreads;
    }

    public long getCommitIntervalMs() {
        return commitIntervalMs;
    }

    public void setCommitIntervalMs(long commitIntervalMs) {
        this.commitIntervalMs = commitIntervalMs;
    }

    public int getSessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    public void setSessionTimeoutMs(int sessionTimeoutMs) {
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public Map<String, String> getProperties() {
        return properties;
    }

    /**
     * Keeps the Kafka client settings. An environment variable such as
     * {@code GANSTREAM_KAFKA_PROPERTIES_SASL_JAAS_CONFIG} reaches Micronaut under every dot/hyphen spelling of its
     * name ({@code sasl.jaas.config}, {@code sasl-jaas.config}, ...); no Kafka setting has a hyphen in its name, so
     * those spellings are dropped rather than handed to the clients (which would warn about unknown settings).
     */
    public void setProperties(Map<String, String> properties) {
        Map<String, String> kafkaNames = new HashMap<>();
        properties.forEach((k, v) -> {
            if (k.indexOf('-') < 0) {
                kafkaNames.put(k, v);
            }
        });
        this.properties = kafkaNames;
    }
}
