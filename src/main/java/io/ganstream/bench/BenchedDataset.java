package io.ganstream.bench;

import io.ganstream.launch.ServiceLauncher;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.InvalidSchemaException;
import io.ganstream.service.BundledSchemas;
import io.ganstream.service.DatasetRegistry;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The dataset a benchmark streams: its name and its schema (a file, else the bundled schema of that name). */
public class BenchedDataset {
    @Option(names = "--dataset", required = true, description = "dataset name (its schema: --schema, or bundled)")
    String name;

    @Option(names = "--schema", description = "JSON Schema file of the dataset (default: the bundled one)")
    Path schemaFile;

    /** The schema text: the given file, else the bundled schema of that name. */
    String schemaText() throws IOException {
        String text = schemaFile != null ? Files.readString(schemaFile) : BundledSchemas.bundled().get(name);
        if (text == null) {
            throw new IllegalArgumentException("no bundled schema for " + name + ": pass --schema FILE");
        }
        return text;
    }

    /**
     * Starts a benchmark service (embedded broker, a temporary data folder) and registers this dataset from
     * {@code schemaText}; closing it stops the service.
     */
    Started start(String schemaText) throws IOException, InvalidSchemaException {
        ApplicationContext context = ServiceLauncher.startForBenchmark(Files.createTempDirectory("ganstream-bench"));
        try {
            return new Started(context, context.getBean(DatasetRegistry.class).register(name, schemaText));
        } catch (RuntimeException | InvalidSchemaException e) {
            context.close();
            throw e;
        }
    }

    /** A started benchmark service and the dataset registered on it. */
    record Started(ApplicationContext context, DatasetSchema schema) implements AutoCloseable {
        @Override
        public void close() {
            context.close();
        }
    }
}
