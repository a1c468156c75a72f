package io.ganstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.io.RecordFiles;
import io.ganstream.kafka.KafkaConnection;
import io.ganstream.kafka.RecordPublisher;
import io.ganstream.kafka.TopicReader;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.RecordCodec;
import io.ganstream.service.DatasetRegistry;
import io.ganstream.stream.OutputHeaders;
import io.ganstream.stream.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Serves, streams a bundled dataset through the pipeline with a share of its values masked (plus a few
 * invalid records, to show the dead-letter topic), prints what came out, and keeps serving.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Stream a bundled dataset through the service and summarize what came out.")
public class DemoCommand implements Callable<Integer> {
    private static final List<String> INVALID = List.of(
            "this is not JSON",
            "[1, 2, 3]",
            "{\"Cylinders\": \"eight\"}",
            "{\"Origin\": \"Atlantis\"}",
            "{\"Horsepower\": -5}");

    @Option(names = "--dataset", defaultValue = "cars", description = "bundled dataset: cars, penguins or "
            + "seattle-weather (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--passes", defaultValue = "3", description = "times the data is streamed (default: ${DEFAULT-VALUE})")
    int passes;

    @Option(names = "--mask", defaultValue = "0.2", description = "share of numeric values masked (default: ${DEFAULT-VALUE})")
    double mask;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the mask (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--exit", description = "stop after the summary instead of serving on")
    boolean exit;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        out.println("ganstream demo: starting the service (embedded Kafka broker unless KAFKA_BOOTSTRAP_SERVERS is set)...");
        long t0 = System.nanoTime();
        ApplicationContext context = ServiceLauncher.start(Map.of());
        try {
            out.printf("service up in %.1f s; HTTP on port %d%n", (System.nanoTime() - t0) / 1e9,
                    context.getBean(EmbeddedServer.class).getPort());
            run(context, out);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        if (exit) {
            context.close();
            return 0;
        }
        out.println("Serving on. Try: curl localhost:" + context.getBean(EmbeddedServer.class).getPort()
                + "/datasets/" + dataset + "   (Ctrl-C to stop)");
        ServiceLauncher.awaitShutdown(context);
        return 0;
    }

    private void run(ApplicationContext context, PrintStream out) throws Exception {
        DatasetRegistry registry = context.getBean(DatasetRegistry.class);
        DatasetSchema schema = awaitSchema(registry);
        String csv = io.ganstream.service.BundledSchemas.resource("data/" + dataset + ".csv");
        List<ObjectNode> records = RecordFiles.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                "csv", schema.document());
        MaskedRun run = MaskedRun.of(schema, records, mask, seed);
        out.printf("dataset %s: %d complete records, %d of their numeric values masked (%.0f%%), streamed %d times,"
                        + " plus %d invalid records%n", dataset, run.masked.size(), run.maskedCells, mask * 100, passes,
                INVALID.size());

        Map<String, Object> client = context.getBean(KafkaConnection.class).clientProperties();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        int expected = run.masked.size() * passes + INVALID.size();
        Map<String, ConsumerRecord<byte[], byte[]>> lastPass = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        Map<String, Integer> models = new TreeMap<>();
        int imputed = 0;
        long start = System.nanoTime();
        try (TopicReader reader = new TopicReader(client);
             RecordPublisher publisher = new RecordPublisher(client, 0)) {
            reader.from(reader.endOffsets(List.of(Topics.imputed(dataset), Topics.dlq(dataset))));
            for (int p = 0; p < passes; p++) {
                for (int i = 0; i < run.masked.size(); i++) {
                    publisher.send(Topics.raw(dataset), key(runId, p, i),
                            RecordCodec.mapper().writeValueAsBytes(run.masked.get(i)));
                }
            }
            for (int i = 0; i < INVALID.size(); i++) {
                publisher.send(Topics.raw(dataset), key(runId, -1, i), INVALID.get(i).getBytes(StandardCharsets.UTF_8));
            }
            publisher.flush();
            Progress progress = new Progress("records out (imputed+DLQ)", expected);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            int[] counts = new int[2];
            while (counts[0] + counts[1] < expected && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200), r -> {
                    if (r.topic().equals(Topics.dlq(dataset))) {
                        deadLetters.add(r);
                        counts[1]++;
                        return;
                    }
                    counts[0]++;
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    models.merge(header(r, OutputHeaders.MODEL), 1, Integer::sum);
                    if (key.startsWith(runId + "-p" + (passes - 1) + "-")) {
                        lastPass.put(key, r);
                    }
                });
                progress.update(counts[0] + counts[1]);
            }
            progress.done(counts[0] + counts[1]);
            imputed = counts[0];
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        List<JsonNode> filled = new ArrayList<>();
        for (int i = 0; i < run.masked.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = lastPass.get(new String(key(runId, passes - 1, i), StandardCharsets.UTF_8));
            filled.add(r == null ? RecordCodec.mapper().createObjectNode() : RecordCodec.mapper().readTree(r.value()));
        }
        out.println();
        out.println("== summary ==");
        out.printf("records in %d -> imputed %d + dead-lettered %d (%s) in %.1f s%n", expected, imputed,
                deadLetters.size(), imputed + deadLetters.size() == expected ? "all accounted for" : "MISSING RECORDS",
                seconds);
        out.println("model versions that filled values: " + models);
        out.printf("imputation RMSE on the last pass (masked numeric cells, [0,1] units): %.4f   mean baseline: %.4f%n",
                run.rmse(filled), run.rmse(run.meanFilled()));
        out.println("dead-letter reasons:");
        Map<String, String> reasons = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
            reasons.put(header(r, OutputHeaders.SOURCE), header(r, OutputHeaders.ERROR));
        }
        reasons.forEach((source, reason) -> out.println("  " + source + ": " + reason));
        out.println("synthetic records: not produced by this version (the synthesizer is not part of it yet)");
    }

    private DatasetSchema awaitSchema(DatasetRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                var schema = registry.find(dataset);
                if (schema.isPresent()) {
                    return schema.get();
                }
            } catch (DatasetRegistry.NotReadyException e) {
                // still starting
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("dataset " + dataset + " is not registered (bundled: cars, penguins, "
                        + "seattle-weather)");
            }
            Thread.sleep(100);
        }
    }

    private static byte[] key(String runId, int pass, int index) {
        return (runId + (pass < 0 ? "-bad-" : "-p" + pass + "-") + index).getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
