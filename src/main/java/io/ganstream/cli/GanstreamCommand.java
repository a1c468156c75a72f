package io.ganstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code java -jar ganstream.jar [serve|demo|produce|bench|fit|sample|impute]}: with no subcommand, serves. */
@Command(name = "ganstream", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Streaming GAN imputation and synthesis for tabular records on Kafka.",
        subcommands = {ServeCommand.class, DemoCommand.class, ProduceCommand.class, BenchCommand.class,
                FitCommand.class, SampleCommand.class, ImputeCommand.class})
public class GanstreamCommand implements Callable<Integer> {

    public static void main(String[] args) {
        // JavaCPP would read /proc on every native allocation of ND4J to enforce this limit, which doubled the
        // GAN's training step time here; the JVM's own limits (MaxDirectMemorySize, the container) still apply.
        if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
        int rc = commandLine().execute(args);
        System.exit(rc);
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
