package io.ganstream.bench;

import picocli.CommandLine.Command;

/** Benchmarks that measure and print numbers; see README for the figures and how to compare with peers. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (print numbers).",
        subcommands = {BenchImputeCommand.class, BenchSynthCommand.class, BenchThroughputCommand.class,
                BenchDatasetsCommand.class})
public class BenchCommand {
}
