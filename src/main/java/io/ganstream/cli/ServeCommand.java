package io.ganstream.cli;

import io.ganstream.launch.ServiceLauncher;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.concurrent.Callable;

/** Runs the service until stopped. Configuration comes from the environment and application.yml. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the service (embedded Kafka broker unless KAFKA_BOOTSTRAP_SERVERS is set).")
public class ServeCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        ApplicationContext context = ServiceLauncher.start(Map.of());
        ServiceLauncher.awaitShutdown(context);
        return 0;
    }
}
