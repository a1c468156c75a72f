package io.ganstream.bench;

import io.ganstream.launch.MaskedRun;
import io.ganstream.launch.StreamedPasses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.ganstream.io.RecordFiles;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.service.DatasetModels;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Streams a masked file R times through the real topology on a fresh embedded broker and scores what
 * {@code D.imputed} holds for each pass: RMSE over the masked numeric cells in [0,1] units (min-max of the
 * truth), the protocol of {@code ../shared/bench/impute_peers.py}, next to column-mean imputation.
 */
@Command(name = "impute", mixinStandardHelpOptions = true,
        description = "Stream a masked file through the pipeline R times and score the imputations.")
public class BenchImputeCommand implements Callable<Integer> {

    @Mixin
    BenchedDataset benched;

    @Option(names = "--masked", required = true, description = "masked.csv from impute_peers.py prepare")
    Path maskedFile;

    @Option(names = "--truth", required = true, description = "truth.csv from impute_peers.py prepare")
    Path truthFile;

    @Option(names = "--passes", defaultValue = "20", description = "times the file is streamed (default: ${DEFAULT-VALUE})")
    int passes;

    @Option(names = "--out", description = "write the last pass's imputed rows as CSV (for impute_peers.py score)")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintStream o = System.out;
        try (BenchedDataset.Started started = benched.start(benched.schemaText())) {
            ApplicationContext context = started.context();
            DatasetSchema schema = started.schema();
            List<ObjectNode> masked = RecordFiles.read(maskedFile, schema.document());
            List<ObjectNode> truth = RecordFiles.read(truthFile, schema.document());
            MaskedRun run = MaskedRun.of(schema, truth, masked);
            o.printf("bench impute: %s, %d rows, %d masked numeric cells in %s, %d passes%n", benched.name,
                    masked.size(), run.maskedCells(), run.columns(), passes);
            DatasetModels models = context.getBean(DatasetModels.class);
            List<List<JsonNode>> last = new ArrayList<>(List.of(List.of()));
            long start = System.nanoTime();
            try (StreamedPasses streamed = new StreamedPasses(context, benched.name)) {
                o.println("pass  rmse    mean    model        dead-lettered  seconds");
                double mean = run.rmse(run.meanFilled());
                streamed.run(masked, passes, pass -> {
                    o.printf("%4d  %.4f  %.4f  %-12s %13d  %7.1f%n", pass.number(), run.rmse(pass.rows()), mean,
                            pass.lastModel(), pass.deadLettered(), pass.seconds());
                    last.set(0, pass.rows());
                });
            }
            List<JsonNode> filled = last.get(0);
            double rmse = run.rmse(filled);
            double mean = run.rmse(run.meanFilled());
            o.printf("%nRESULT dataset=%s passes=%d rmse=%.4f mean_baseline=%.4f ratio=%.3f seconds=%.0f%n", benched.name,
                    passes, rmse, mean, rmse / mean, (System.nanoTime() - start) / 1e9);
            models.imputerStatus(benched.name).ifPresent(s -> o.printf(
                    "trainer: %s, version %d, %d steps, rows offered %d, learned %d, sampled out %d, self-measured "
                            + "held-out RMSE %.4f (fallback %.4f)%n", s.state().wireName(), s.version(), s.steps(),
                    s.rowsOffered(), s.rowsLearned(), s.rowsSampledOut(), s.figure(0), s.figure(1)));
            context.getBean(io.ganstream.service.ModelCheckpoints.class).latest(benched.name).ifPresent(bytes ->
                    o.printf("latest checkpoint in %s: %d bytes%n", io.ganstream.stream.Topics.MODELS, bytes.length));
            if (out != null) {
                writeCsv(out, filled, masked);
                o.println("last pass written to " + out + " (score it: impute_peers.py score --dir DIR --imputed "
                        + out + ")");
            }
        }
        return 0;
    }

    private static void writeCsv(Path file, List<JsonNode> rows, List<ObjectNode> masked) throws Exception {
        CsvSchema.Builder header = CsvSchema.builder().setUseHeader(true);
        List<String> names = new ArrayList<>();
        Iterator<String> it = masked.get(0).fieldNames();
        it.forEachRemaining(names::add);
        names.forEach(header::addColumn);
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode r : rows) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (String n : names) {
                JsonNode v = r.get(n);
                m.put(n, v == null || v.isNull() ? "" : v.isTextual() ? v.asText() : v.toString());
            }
            out.add(m);
        }
        new CsvMapper().writer(header.build()).writeValue(file.toFile(), out);
    }
}
