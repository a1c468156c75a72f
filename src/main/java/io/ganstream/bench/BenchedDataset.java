package io.ganstream.bench;

import io.ganstream.service.BundledSchemas;
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
}
