package io.ganstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.cli.GanstreamCommand;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmark commands live in {@code bench} but keep their place and options on the command line. */
class BenchCommandsTest {
    @Test
    void benchSubcommandsKeepTheirNamesAndOptions() {
        CommandLine bench = GanstreamCommand.commandLine().getSubcommands().get("bench");
        assertEquals(BenchCommand.class, bench.getCommandSpec().userObject().getClass());
        Map<String, List<String>> options = Map.of(
                "impute", List.of("--dataset", "--masked", "--truth", "--passes", "--schema", "--out"),
                "synth", List.of("--dataset", "--file", "--target", "--drop", "--passes", "--seed", "--schema",
                        "--out"),
                "throughput", List.of("--records", "--train-records", "--columns", "--missing", "--latency-seconds",
                        "--train-during", "--rounds", "--commit-interval-ms", "--backfill-records"),
                "datasets", List.of("--count", "--records", "--columns", "--replay", "--train-seconds",
                        "--training-threads"));
        assertEquals(options.keySet(), bench.getSubcommands().keySet());
        options.forEach((name, names) -> {
            CommandLine.Model.CommandSpec spec = bench.getSubcommands().get(name).getCommandSpec();
            for (String option : names) {
                assertTrue(spec.findOption(option) != null, "bench " + name + " " + option);
            }
        });
    }
}
