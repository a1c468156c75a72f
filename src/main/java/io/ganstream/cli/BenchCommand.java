package io.ganstream.cli;

import picocli.CommandLine.Command;

/** Benchmarks that measure and print numbers; see README for the figures and how to compare with peers. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (print numbers).",
        subcommands = {BenchImputeCommand.class, BenchSynthCommand.class})
public class BenchCommand {
}
