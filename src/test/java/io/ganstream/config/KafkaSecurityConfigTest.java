package io.ganstream.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Kafka client security settings reach the clients from configuration (environment variables included), and the
 * secret ones are of Kafka's PASSWORD type, which Kafka's config logging prints as [hidden].
 */
class KafkaSecurityConfigTest {
    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";";

    @Test
    void shouldPassSecuritySettingsFromEnvironmentVariablesThrough() {
        Map<String, Object> env = Map.of(
                "GANSTREAM_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL",
                "GANSTREAM_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
                "GANSTREAM_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS);
        try (ApplicationContext ctx = ApplicationContext.builder()
                .propertySources(PropertySource.of("env", env, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .build()) {
            ctx.getEnvironment().start();
            Map<String, Object> raw = ctx.getEnvironment().getProperties("ganstream.kafka.properties");
            KafkaConfig config = new KafkaConfig();
            Map<String, String> strings = new java.util.HashMap<>();
            raw.forEach((k, v) -> strings.put(k, String.valueOf(v)));
            config.setProperties(strings);
            Map<String, String> properties = config.getProperties();
            assertEquals("SASL_SSL", properties.get("security.protocol"), properties.toString());
            assertEquals("SCRAM-SHA-512", properties.get("sasl.mechanism"));
            assertEquals(JAAS, properties.get("sasl.jaas.config"));
            assertEquals(java.util.Set.of("security.protocol", "sasl.mechanism", "sasl.jaas.config"), properties.keySet(),
                    "no other spellings of the keys reach the Kafka clients");
        }
    }

    @Test
    void shouldHaveKafkaMaskTheSecretSettingsInItsLogs() {
        for (ConfigDef def : List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef(),
                StreamsConfig.configDef())) {
            for (String secret : List.of("sasl.jaas.config", "ssl.keystore.password", "ssl.key.password",
                    "ssl.truststore.password")) {
                if (def.configKeys().containsKey(secret)) {
                    assertEquals(ConfigDef.Type.PASSWORD, def.configKeys().get(secret).type, secret);
                }
            }
        }
        assertEquals(ConfigDef.Type.PASSWORD, ProducerConfig.configDef().configKeys().get("sasl.jaas.config").type);
    }
}
