package io.ganstream.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code prometheus} and {@code promtool} binaries of Debian's {@code prometheus} package. Their absence fails
 * the tests that need them with the package to install (README, set-up): a skip would let the dashboards and
 * alert rules go unchecked without anyone noticing.
 */
public final class PrometheusTools {
    private PrometheusTools() {
    }

    /** The binary on the PATH, or an AssertionError naming the package. */
    public static Path require(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " not found on the PATH: install Debian's prometheus package "
                + "(apt-get install -y prometheus), as .ci/run does");
    }

    /** Exit status and combined output of a command. */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code promtool} with the arguments, optionally feeding a file to its standard input. */
    public static Result promtool(Path stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(require("promtool").toString());
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool did not finish: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
