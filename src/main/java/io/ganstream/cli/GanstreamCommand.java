package io.ganstream.cli;

import io.ganstream.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code java -jar ganstream.jar [serve|demo|produce|bench|fit|sample|impute|warm-up]}: with none, serves. */
@Command(name = "ganstream", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Streaming GAN imputation and synthesis for tabular records on Kafka.",
        subcommands = {ServeCommand.class, DemoCommand.class, ProduceCommand.class, BenchCommand.class,
                FitCommand.class, SampleCommand.class, ImputeCommand.class, WarmUpCommand.class})
public class GanstreamCommand implements Callable<Integer> {
    /** Where JavaCPP unpacks the native libraries (its cache); the Docker image fills it at build time. */
    static final String NATIVE_CACHE_ENV = "GANSTREAM_NATIVE_CACHE";
    private static final String JAVACPP_CACHE_DIR = "org.bytedeco.javacpp.cachedir";

    public static void main(String[] args) {
        nativeCacheFromEnvironment(System.getenv(NATIVE_CACHE_ENV));
        // JavaCPP would read /proc on every native allocation of ND4J to enforce this limit, which doubled the
        // GAN's training step time here; the JVM's own limits (MaxDirectMemorySize, the container) still apply.
        if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
        int rc = commandLine().execute(args);
        System.exit(rc);
    }

    /** {@code $GANSTREAM_NATIVE_CACHE}, when set, becomes JavaCPP's cache directory; its own -D property wins. */
    static void nativeCacheFromEnvironment(String dir) {
        if (dir != null && !dir.isBlank() && System.getProperty(JAVACPP_CACHE_DIR) == null) {
            System.setProperty(JAVACPP_CACHE_DIR, dir);
        }
    }

    /** The command line, with a {@link CliError} shown as one line on stderr and exit code 2. */
    public static CommandLine commandLine() {
        return new CommandLine(new GanstreamCommand()).setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliError) {
                line.getErr().println("ganstream " + line.getCommandName() + ": " + e.getMessage());
                return CliError.EXIT_CODE;
            }
            throw e;
        });
    }

    @Override
    public Integer call() {
        return new ServeCommand().call();
    }
}
