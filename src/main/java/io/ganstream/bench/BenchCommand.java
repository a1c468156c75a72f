package io.ganstream.bench;

import picocli.CommandLine.Command;

/** Benchmarks that measure and print numbers; see README for the figures and how to compare with peers. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (print numbers).",
        subcommands = {BenchImputeCommand.class, BenchSynthCommand.class, BenchThroughputCommand.class,
                BenchDatasetsCommand.class})
public class BenchCommand {

    /** The schema text of a benchmarked dataset: the given file, else the bundled schema of that name. */
    static String schemaText(String dataset, java.nio.file.Path schemaFile) throws java.io.IOException {
        String text = schemaFile != null ? java.nio.file.Files.readString(schemaFile)
                : io.ganstream.service.BundledSchemas.bundled().get(dataset);
        if (text == null) {
            throw new IllegalArgumentException("no bundled schema for " + dataset + ": pass --schema FILE");
        }
        return text;
    }
}
