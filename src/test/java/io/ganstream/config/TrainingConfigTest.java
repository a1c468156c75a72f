package io.ganstream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The training back-off an operator sets (application.yml or the environment) is read under its documented key. */
class TrainingConfigTest {

    private static double backoffFactor(PropertySource... sources) {
        try (ApplicationContext ctx = ApplicationContext.builder().propertySources(sources).build()) {
            ctx.getEnvironment().start();
            return ctx.getEnvironment().getProperty("ganstream.training.backoff-factor", Double.class).orElseThrow();
        }
    }

    @Test
    void shouldShipTheBackOffFactorAndTakeItFromAnEnvironmentVariable() {
        assertEquals(3.0, backoffFactor(), "application.yml's default");
        assertEquals(new TrainingConfig().getBackoffFactor(), backoffFactor(), "the same as the class's own default");
        assertEquals(15.0, backoffFactor(PropertySource.of("env", Map.of("GANSTREAM_TRAINING_BACKOFF_FACTOR", "15"),
                PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE)));
    }
}
