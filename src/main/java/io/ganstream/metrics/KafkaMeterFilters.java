package io.ganstream.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Meter filters for the Kafka client and Streams metrics bound through Micrometer. */
@Factory
public class KafkaMeterFilters {

    /**
     * {@code restore-remaining-records-total} can go negative; exported as a counter it makes the whole
     * Prometheus scrape fail (prometheus/client_java #1780). It is of no use to operators, so it is dropped.
     */
    @Singleton
    MeterFilter denyNegativeRestoreCounter() {
        return MeterFilter.deny(id -> id.getName().contains("restore.remaining.records"));
    }
}
