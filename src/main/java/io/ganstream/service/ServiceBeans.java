package io.ganstream.service;

import io.ganstream.schema.SchemaCache;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Plain engine and schema objects made available as beans. */
@Factory
public class ServiceBeans {

    @Singleton
    SchemaCache schemaCache() {
        return new SchemaCache();
    }
}
