package io.ganstream.bench;

import picocli.CommandLine.Option;

/**
 * The generated table a pipeline benchmark streams ({@link BenchTable}): its width is an option, its seed is
 * fixed so that every run and every service of a run sees the same rows.
 */
public class GeneratedTable {
    @Option(names = "--columns", defaultValue = "30",
            description = "modeled columns, 1 in 8 categorical (default: ${DEFAULT-VALUE})")
    int columns;

    /** The table, each cell missing with probability {@code missing}. */
    BenchTable table(double missing) {
        return new BenchTable(columns, missing, 1);
    }
}
