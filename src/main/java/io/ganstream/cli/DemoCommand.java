package io.ganstream.cli;

import io.ganstream.launch.ServiceLauncher;
import io.ganstream.launch.StreamedPasses;
import io.ganstream.launch.MaskedRun;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.io.RecordFiles;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.service.DatasetRegistry;
import io.ganstream.stream.OutputHeaders;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Option(names = "--dataset", defaultValue = "cars", description = "bundled dataset: cars, penguins, "
            + "seattle-weather or mnist (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--passes", defaultValue = "3", description = "times the data is streamed (default: ${DEFAULT-VALUE})")
    int passes;

    @Option(names = "--mask", defaultValue = "0.2", description = "share of numeric values masked (default: ${DEFAULT-VALUE})")
    double mask;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the mask (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", defaultValue = "ganstream-demo", description = "folder of the PNG grids an image "
            + "dataset's demo writes every pass (default: ${DEFAULT-VALUE})")
    java.nio.file.Path outDir;

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
        List<ObjectNode> records = bundledRecords(schema);
        var image = io.ganstream.schema.ImageColumn.of(schema);
        if (image.isPresent()) {
            ImageDemo.run(context, schema, image.get(), records, passes, mask, seed, outDir, out);
            return;
        }
        MaskedRun run = MaskedRun.of(schema, records, mask, seed);
        out.printf("dataset %s: %d complete records, %d of their numeric values masked (%.0f%%), streamed %d times,"
                        + " then %d invalid records%n", dataset, run.masked.size(), run.maskedCells(), mask * 100, passes,
                INVALID.size());
        double meanBaseline = run.rmse(run.meanFilled());
        int[] totals = {0, 0};
        long start = System.nanoTime();
        try (StreamedPasses streamed = new StreamedPasses(context, dataset)) {
            // Counted in records (each pass streams every masked record), so the bar's rate is records per second.
            long perPass = run.masked.size();
            Progress progress = new Progress("records streamed", perPass * passes);
            List<String> lines = new ArrayList<>();
            streamed.run(run.masked, passes, pass -> {
                totals[0] += pass.imputed();
                totals[1] += pass.deadLettered();
                lines.add(String.format("  pass %2d: RMSE %.4f (mean baseline %.4f), imputed by %s", pass.number(),
                        run.rmse(pass.rows()), meanBaseline, pass.lastModel()));
                progress.update(pass.number() * perPass);
            });
            progress.done(perPass * passes);
            List<byte[]> invalid = INVALID.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
            StreamedPasses.Pass bad = streamed.publishRaw(passes, invalid);
            totals[0] += bad.imputed();
            totals[1] += bad.deadLettered();
            double seconds = (System.nanoTime() - start) / 1e9;
            int expected = run.masked.size() * passes + INVALID.size();

            out.println();
            out.println("== summary ==");
            out.printf("records in %d -> imputed %d + dead-lettered %d (%s) in %.1f s%n", expected, totals[0],
                    totals[1], totals[0] + totals[1] == expected ? "all accounted for" : "MISSING RECORDS", seconds);
            out.println("imputation error per pass (masked numeric cells, [0,1] units; the GAN learns as records flow):");
            lines.forEach(out::println);
            out.println("dead-letter reasons:");
            Map<String, String> reasons = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : streamed.deadLetters()) {
                reasons.put(header(r, OutputHeaders.SOURCE), header(r, OutputHeaders.ERROR));
            }
            reasons.forEach((source, reason) -> out.println("  " + source + ": " + reason));
        }
        summarizeSynthesis(context, schema, run, out);
    }

    /** How close fresh synthetic records are to the real ones (the complete records of the bundled data). */
    private void summarizeSynthesis(ApplicationContext context, DatasetSchema schema, MaskedRun run, PrintStream out)
            throws Exception {
        var models = context.getBean(io.ganstream.service.DatasetModels.class);
        models.awaitSynthesizer(dataset, 120_000);
        var synth = models.synthesizer(schema);
        if (synth.isEmpty()) {
            out.println("synthetic records: no synthesizer model yet (stream more passes: --passes)");
            return;
        }
        double[][] realRows = MaskedRun.complete(schema, run.truth);
        double[][] fresh = synth.get().sample(realRows.length, seed);
        var q = io.ganstream.engine.quality.QualityReport.evaluate(schema.spec(), realRows, fresh);
        double auc = io.ganstream.engine.quality.Detection.logisticAuc(schema.spec(), realRows, fresh, 3, seed);
        out.printf("synthetic records (%s, written to %s): quality %.3f (column shapes %.3f, pair trends %.3f), "
                        + "detection AUC %.3f (0.5 = indistinguishable from the real records)%n", synth.get().version(),
                io.ganstream.stream.Topics.synthetic(dataset), q.overall(), q.columnShapes(), q.columnPairTrends(), auc);
    }

    /** The bundled data file of the dataset: {@code data/<name>.csv} or {@code data/<name>.csv.gz} in the jar. */
    private List<ObjectNode> bundledRecords(DatasetSchema schema) throws java.io.IOException {
        ClassLoader loader = DemoCommand.class.getClassLoader();
        for (String suffix : List.of(".csv", ".csv.gz")) {
            try (java.io.InputStream in = loader.getResourceAsStream("data/" + dataset + suffix)) {
                if (in != null) {
                    return RecordFiles.read(suffix.endsWith(".gz") ? new java.util.zip.GZIPInputStream(in) : in,
                            "csv", schema.document());
                }
            }
        }
        throw new IllegalStateException("no bundled data for dataset " + dataset);
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
                        + "seattle-weather, mnist)");
            }
            Thread.sleep(100);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
