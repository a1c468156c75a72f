package io.ganstream.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command's help renders cleanly: no "[picocli WARN] Could not format ..." (an unescaped % in a text). */
class CommandHelpTest {

    @Test
    void everyCommandsUsageRendersWithoutAPicocliWarning() {
        List<CommandLine> commands = allCommands();
        assertTrue(commands.size() >= 10, "the whole command tree: " + commands.size());
        // picocli's tracer prints its warnings to System.err as it is when the tracer is asked for
        ByteArrayOutputStream traced = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(traced, true, StandardCharsets.UTF_8));
        try {
            for (CommandLine command : commands) {
                StringWriter usage = new StringWriter();
                StringWriter err = new StringWriter();
                command.setOut(new PrintWriter(usage));
                command.setErr(new PrintWriter(err));
                String name = command.getCommandSpec().qualifiedName();
                assertEquals(0, command.execute("--help"), name + " --help: " + err);
                assertTrue(usage.toString().contains("Usage: " + name), name + ": " + usage);
                assertEquals("", err.toString(), name + " --help wrote to stderr");
                assertEquals("", traced.toString(StandardCharsets.UTF_8), name + " --help: picocli warned");
            }
        } finally {
            System.setErr(previous);
        }
    }

    private static List<CommandLine> allCommands() {
        List<CommandLine> all = new ArrayList<>();
        collect(new CommandLine(new GanstreamCommand()), all);
        return all;
    }

    private static void collect(CommandLine command, List<CommandLine> out) {
        out.add(command);
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, out));
    }
}
