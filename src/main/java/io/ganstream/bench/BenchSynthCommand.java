package io.ganstream.bench;

import io.ganstream.launch.MaskedRun;
import io.ganstream.launch.StreamedPasses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.quality.Baselines;
import io.ganstream.engine.quality.Coverage;
import io.ganstream.engine.quality.Detection;
import io.ganstream.engine.quality.Privacy;
import io.ganstream.engine.quality.PrivacyFilter;
import io.ganstream.engine.quality.QualityReport;
import io.ganstream.engine.table.TableSpec;
import io.ganstream.engine.synth.CorrelationCalibration;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.io.RecordFiles;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ModeledColumn;
import io.ganstream.schema.RecordCodec;
import io.ganstream.metrics.GanstreamMetrics;
import io.ganstream.service.DatasetModels;
import io.ganstream.service.PrivateSamples;
import io.ganstream.service.SyntheticPublisher;
import io.micronaut.context.ApplicationContext;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Splits a file 80/20, streams the 80% R times through the real topology on a fresh embedded broker, then
 * compares as many synthetic rows as the 80% with it: quality (column shapes, pair trends, their mean),
 * detection AUC, and ML efficacy (a random forest trained on synthetic rows vs on the 80%, both tested on the
 * 20%), next to independent per-column sampling and a Gaussian copula fitted to the same 80% in the same run.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Stream 80%% of a file through the pipeline and score the synthesizer against baselines.")
public class BenchSynthCommand implements Callable<Integer> {
    /** Tribuo logs every tree it builds at INFO (java.util.logging); held here, as JUL keeps loggers weakly. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");
    /** Privacy-filter quantiles scored beside the dataset's own (what a stricter filter costs and buys). */
    private static final double[] FILTER_QUANTILES = {0.03, 0.1};
    /** Most disjoint samples of training rows the DCR figures average over. */
    static final int DCR_SAMPLES = 4;
    /** Synthetic rows the DCR figures measure, at least (more when the held-out sample is larger). */
    static final int DCR_SYNTHETIC = 1000;
    /** Cell comparisons the DCR figures of one source may cost (about a second). */
    static final long DCR_BUDGET = 400_000_000L;

    @Mixin
    BenchedDataset benched;

    @Option(names = "--file", required = true, description = "CSV, JSON lines or JSON array")
    Path file;

    @Option(names = "--target", required = true, description = "categorical column predicted for ML efficacy")
    String target;

    @Option(names = "--drop", split = ",", description = "columns to leave out (e.g. date)")
    List<String> drop = List.of();

    @Option(names = "--passes", defaultValue = "20", description = "times the 80%% is streamed (default: ${DEFAULT-VALUE})")
    int passes;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the split and the sampling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", description = "also write the synthetic rows scored here to this file (JSON lines), and the "
            + "split's records beside it (OUT.train.jsonl, OUT.test.jsonl), so that other tools can score them on "
            + "the same split")
    Path out;

    @Option(names = "--calibration-rows", split = ",", description = "score only the served rows and refits of "
            + "the served correlation calibration (same key, class fit and raking) on this many generated rows each, "
            + "--calibration-draws of them per size: what the calibration sample's size changes on one generator")
    List<Integer> calibrationRows = List.of();

    @Option(names = "--calibration-draws", defaultValue = "3", description = "refits per --calibration-rows size "
            + "(default: ${DEFAULT-VALUE})")
    int calibrationDraws;

    @Override
    public Integer call() throws Exception {
        PrintStream o = System.out;
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        String text = benched.schemaText();
        ObjectNode doc = (ObjectNode) RecordCodec.mapper().readTree(text);
        drop.forEach(c -> ((ObjectNode) doc.get("properties")).remove(c));
        List<ObjectNode> records = RecordFiles.read(file, doc);
        records.forEach(r -> drop.forEach(r::remove));
        Collections.shuffle(records, new Random(seed));
        int cut = (int) Math.round(records.size() * 0.8);
        List<ObjectNode> train = records.subList(0, cut);
        List<ObjectNode> test = records.subList(cut, records.size());

        try (BenchedDataset.Started started = benched.start(doc.toString())) {
            ApplicationContext context = started.context();
            DatasetSchema schema = started.schema();
            int targetIndex = schema.indexOf(target);
            if (targetIndex < 0 || !schema.modeled().get(targetIndex).column().isCategorical()) {
                throw new IllegalArgumentException(target + " is not a categorical column of " + benched.name);
            }
            o.printf("bench synth: %s, %d rows for training (80%%), %d held out, %d passes, target %s%n", benched.name,
                    train.size(), test.size(), passes, target);
            long t0 = System.nanoTime();
            try (StreamedPasses streamed = new StreamedPasses(context, benched.name)) {
                streamed.run(train, passes, pass -> o.printf("  pass %d streamed in %.1f s%n", pass.number(),
                        pass.seconds()));
            }
            DatasetModels models = context.getBean(DatasetModels.class);
            models.awaitSynthesizer(benched.name, TimeUnit.MINUTES.toMillis(10));
            SynthModel model = models.synthesizer(schema).orElseThrow(() ->
                    new IllegalStateException("no synthesizer model after " + passes + " passes"));
            double[][] real = MaskedRun.complete(schema, train);
            double[][] holdout = MaskedRun.complete(schema, test);
            // what the service publishes (through the dataset's privacy filter), the figure users get
            SynthModel.Filtered published = PrivateSamples.sample(schema, context.getBean(GanstreamMetrics.class),
                    model, real.length, java.util.Map.of(), seed);
            double[][] gan = completeRows(schema, context.getBean(GanstreamMetrics.class), model, published,
                    real.length);
            if (out != null) {
                writeLines(out, Arrays.stream(gan).map(row -> SyntheticPublisher.toObject(schema, row)).toList());
                writeLines(Path.of(out + ".train.jsonl"), train);
                writeLines(Path.of(out + ".test.jsonl"), test);
            }
            double[][] independent = Baselines.independent(schema.spec(), real, real.length, seed);
            double[][] copula = Baselines.gaussianCopula(schema.spec(), real, real.length, seed);
            int targetCell = schema.spec().offset(targetIndex);
            ForestScores trtr = forestScores(schema, targetCell, real, holdout);
            o.printf("%nmodel %s after %.0f s; random forest trained on the real 80%%: %.3f accuracy, %.3f macro-F1 on "
                    + "the 20%%%n", model.version(), (System.nanoTime() - t0) / 1e9, trtr.accuracy(), trtr.macroF1());
            o.printf("  F1 by class (right/predicted/true):%s%n", trtr.perClass());
            o.printf("correlation calibration (key/class fit): %s%n", model.calibrationFit());
            o.printf("privacy filter: %s, %d rows withheld and made up, %d short%n",
                    schema.settings().privacyFilter() ? "on at quantile " + schema.settings().privacyQuantile()
                            : "off", published.refused(), published.missing());
            o.println("source          quality  shapes  pairs   detection-AUC  TSTR-acc  TSTR/TRTR  TSTR/TRTR-F1"
                    + "  DCR-share  copies  modes-covered");
            score(o, "ganstream", schema, real, gan, holdout, targetCell, trtr);
            if (!calibrationRows.isEmpty()) {
                scoreCalibrationSizes(o, schema, model, real, holdout, targetCell, trtr);
                score(o, "gaussian-copula", schema, real, copula, holdout, targetCell, trtr);
                return 0;
            }
            if (gan != published.rows()) {
                o.printf("missing cells: left as the training rows miss them; %d of %d published rows complete%n",
                        complete(published.rows()).length, published.rows().length);
                score(o, "gan-no-missing", schema, real, noneMissing(schema, model, real.length), holdout,
                        targetCell, trtr);
            }
            score(o, "gan-unfiltered", schema, real, model.sample(real.length, seed), holdout, targetCell, trtr);
            for (double quantile : FILTER_QUANTILES) {
                score(o, "gan-filter-" + quantile, schema, real,
                        model.sampleFiltered(real.length, java.util.Map.of(), seed, quantile).rows(), holdout,
                        targetCell, trtr);
            }
            score(o, "gan-uncalibr.", schema, real, model.uncalibrated().sample(real.length, seed), holdout,
                    targetCell, trtr);
            score(o, "gan-marginals", schema, real, model.marginalsOnly().sample(real.length, seed),
                    holdout, targetCell, trtr);
            score(o, "gan-no-categories", schema, real,
                    model.withoutCategoryCalibration().sample(real.length, seed), holdout, targetCell, trtr);
            if (model.withPooledCategories() != model) {
                score(o, "gan-pooled-categories", schema, real, model.withPooledCategories().sample(real.length, seed),
                        holdout, targetCell, trtr);
            }
            for (CorrelationCalibration.ClassFit fit : CorrelationCalibration.ClassFit.values()) {
                score(o, "gan-class-" + fit.name().toLowerCase(Locale.ROOT), schema, real,
                        model.refitCorrelation(real, fit, seed + 7).sample(real.length, seed), holdout, targetCell,
                        trtr);
            }
            // keyed refits for the keys the service offers and the target: on a table of many categorical
            // columns a refit for every column took most of the run
            for (int c : keysToScore(schema.spec(), model.keyCandidates(real), targetIndex)) {
                score(o, "gan-key-" + schema.modeled().get(c).name(), schema, real,
                        model.refitCorrelation(real, CorrelationCalibration.ClassFit.MARGINALS, seed + 7, c)
                                .sample(real.length, seed), holdout, targetCell, trtr);
            }
            // without the mean raking (the driving column's fit and the served key's): what it adds on one generator
            score(o, "gan-driving-unraked", schema, real,
                    model.refitCorrelation(real, CorrelationCalibration.ClassFit.MARGINALS, seed + 7, -1, false)
                            .sample(real.length, seed), holdout, targetCell, trtr);
            int servedKey = schema.indexOf(model.calibrationKey());
            if (servedKey >= 0) {
                score(o, "gan-key-" + model.calibrationKey() + "-unraked", schema, real,
                        model.refitCorrelation(real, CorrelationCalibration.ClassFit.MARGINALS, seed + 7, servedKey,
                                false).sample(real.length, seed), holdout, targetCell, trtr);
            }
            score(o, "independent", schema, real, independent, holdout, targetCell, trtr);
            score(o, "gaussian-copula", schema, real, copula, holdout, targetCell, trtr);
            score(o, "real-20%-holdout", schema, real, holdout, holdout, targetCell, trtr);
            List<double[]> copied = new ArrayList<>(Arrays.asList(real));
            Collections.shuffle(copied, new Random(seed));
            o.printf("DCR share of the training rows themselves (what a generator that copies them scores): %.3f%n",
                    privacy(schema.spec(), copied.toArray(new double[0][]), real, holdout).dcrShare());
            double[][] realAll = MaskedRun.all(schema, train);
            if (realAll.length > real.length) {
                scoreAllRows(o, schema, context.getBean(GanstreamMetrics.class), model, realAll,
                        MaskedRun.all(schema, test), real.length);
            }
        }
        return 0;
    }

    /**
     * The categorical columns scored as keys: {@code candidates} (every categorical column when null) and the
     * target, in column order.
     */
    static int[] keysToScore(TableSpec spec, int[] candidates, int targetIndex) {
        TreeSet<Integer> keys = new TreeSet<>();
        for (int c = 0; c < spec.columnCount(); c++) {
            if (spec.column(c).isCategorical() && (candidates == null || c == targetIndex)) {
                keys.add(c);
            }
        }
        if (candidates != null) {
            for (int c : candidates) {
                keys.add(c);
            }
        }
        return keys.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The published rows the complete-row figures score: where the service leaves cells missing as the training rows
     * miss them, the complete ones among {@code first} and further published draws (as the real side keeps its
     * complete rows), up to {@code n}; {@code first}'s rows themselves when all are complete.
     */
    private double[][] completeRows(DatasetSchema schema, GanstreamMetrics metrics, SynthModel model,
                                    SynthModel.Filtered first, int n) {
        double[][] rows = complete(first.rows());
        if (rows.length == first.rows().length) {
            return first.rows();
        }
        List<double[]> kept = new ArrayList<>(Arrays.asList(rows));
        long drawn = first.rows().length;
        for (int round = 1; kept.size() < n && round <= 8; round++) {
            // as many as the complete share so far says are needed, and a fifth more (movies: 4% complete)
            double share = Math.max(kept.size(), 1) / (double) drawn;
            int more = (int) Math.min(50L * n, Math.ceil(1.2 * (n - kept.size()) / share) + 16);
            kept.addAll(Arrays.asList(complete(PrivateSamples.sample(schema, metrics, model, more,
                    java.util.Map.of(), seed + 7919L * round).rows())));
            drawn += more;
        }
        return kept.subList(0, Math.min(n, kept.size())).toArray(new double[0][]);
    }

    /** What the service published before it left cells missing: filtered as the dataset says, every row complete. */
    private double[][] noneMissing(DatasetSchema schema, SynthModel model, int n) {
        return schema.settings().privacyFilter()
                ? model.sampleFiltered(n, java.util.Map.of(), seed, schema.settings().privacyQuantile()).rows()
                : model.sample(n, seed);
    }

    private static double[][] complete(double[][] rows) {
        return Arrays.stream(rows).filter(io.ganstream.engine.table.TableSpec::isComplete).toArray(double[][]::new);
    }

    /**
     * The figures above are taken on complete rows (the forest and the detector need them), and a table with many
     * incomplete rows has complete ones that are not like the rest (on movies, only the recent films have DVD
     * sales). The synthesizer learns from every row, so here it is scored against all of them, quality over the
     * observed cells, beside baselines fitted on all of them (missing cells skipped).
     */
    private void scoreAllRows(PrintStream o, DatasetSchema schema, GanstreamMetrics metrics, SynthModel model,
                              double[][] realAll, double[][] holdoutAll, int complete) {
        int n = realAll.length;
        o.printf("%nagainst all %d training rows (%d complete), quality over the observed cells:%n", n, complete);
        o.println("source          quality  shapes  pairs");
        double[][] gan = PrivateSamples.sample(schema, metrics, model, n, java.util.Map.of(), seed).rows();
        String[] names = {"ganstream", "gan-no-missing", "independent", "gaussian-copula", "real-20%-holdout"};
        double[][][] rows = {gan, noneMissing(schema, model, n), Baselines.independent(schema.spec(), realAll, n, seed),
            Baselines.gaussianCopula(schema.spec(), realAll, n, seed), holdoutAll};
        for (int i = 0; i < names.length; i++) {
            QualityReport q = QualityReport.evaluate(schema.spec(), realAll, rows[i]);
            o.printf("%-15s %7.3f  %6.3f  %6.3f%n", names[i], q.overall(), q.columnShapes(), q.columnPairTrends());
            o.printf("RESULT dataset=%s source=%s-all-rows quality=%.4f shapes=%.4f pairs=%.4f%n", benched.name,
                    names[i], q.overall(), q.columnShapes(), q.columnPairTrends());
        }
    }

    /** Refits of the served calibration on samples of each {@link #calibrationRows} size, unfiltered. */
    private void scoreCalibrationSizes(PrintStream o, DatasetSchema schema, SynthModel model, double[][] real,
                                       double[][] holdout, int targetCell, ForestScores trtr) {
        int servedKey = schema.indexOf(model.calibrationKey());
        CorrelationCalibration.ClassFit fit = model.calibrationClassFit();
        for (int rows : calibrationRows) {
            for (int d = 0; d < calibrationDraws; d++) {
                score(o, "gan-cal-" + rows + "-" + d, schema, real,
                        model.refitCorrelation(real, fit, seed + 101 + d, servedKey, true, rows)
                                .sample(real.length, seed), holdout, targetCell, trtr);
            }
        }
    }

    private void score(PrintStream o, String name, DatasetSchema schema, double[][] real, double[][] syn,
                       double[][] holdout, int targetCell, ForestScores trtr) {
        QualityReport q = QualityReport.evaluate(schema.spec(), real, syn);
        double auc = Detection.logisticAuc(schema.spec(), real, syn, 3, seed);
        ForestScores tstr = forestScores(schema, targetCell, syn, holdout);
        Privacy p = privacy(schema.spec(), syn, real, holdout);
        Coverage cov = Coverage.measure(schema.spec(), real, syn);
        o.printf("%-15s %7.3f  %6.3f  %6.3f  %13.3f  %8.3f  %9.3f  %12.3f  %9.3f  %6.3f  %8.3f%n", name, q.overall(),
                q.columnShapes(), q.columnPairTrends(), auc, tstr.accuracy(), tstr.accuracy() / trtr.accuracy(), tstr.macroF1() / trtr.macroF1(),
                p.dcrShare(), p.copyShare(), cov.modes());
        if (name.equals("ganstream") || name.equals("gaussian-copula")) {
            o.printf("  F1 by class (right/predicted/true):%s%n", tstr.perClass());
        }
        o.printf("RESULT dataset=%s source=%s quality=%.4f shapes=%.4f pairs=%.4f detection_auc=%.4f tstr_ratio=%.4f"
                        + " tstr_f1_ratio=%.4f dcr_share=%.4f copies=%.4f coverage_categories=%.4f"
                        + " coverage_modes=%.4f%n", benched.name, name, q.overall(), q.columnShapes(),
                q.columnPairTrends(), auc, tstr.accuracy() / trtr.accuracy(), tstr.macroF1() / trtr.macroF1(), p.dcrShare(), p.copyShare(),
                cov.categories(), cov.modes());
    }

    /**
     * The DCR figures of {@code syn}: equal-size samples of training and held-out rows, as the DCR share wants, taken
     * as {@link #DCR_SAMPLES} disjoint samples of the training rows where the brute force's cost allows, each
     * against the same held-out rows and every synthetic row that cost allows, and averaged. The expectation of one
     * sample, with less of its spread: on a small table one sample of 42 synthetic rows moves the share by 0.024 a
     * row. (Whatever the sample, a generator that copies its training rows scores about 0.5 + 0.5 × held-out /
     * training rows, 0.625 on an 80/20 split: only a quarter of the rows it copies are in the measured sample.)
     */
    static Privacy privacy(io.ganstream.engine.table.TableSpec spec, double[][] syn, double[][] real,
                           double[][] holdout) {
        int pn = PrivacyFilter.measuredRows(spec, Math.min(holdout.length, real.length));
        int sn = Math.min(syn.length, Math.max(pn, PrivacyFilter.measuredRows(spec, DCR_SYNTHETIC)));
        long perSample = (long) sn * 2 * pn * Math.max(1, spec.cellCount());
        int samples = (int) Math.max(1, Math.min(Math.min(DCR_SAMPLES, real.length / Math.max(1, pn)),
                DCR_BUDGET / Math.max(1, perSample)));
        double[][] synthetic = Arrays.copyOf(syn, sn);
        double[][] held = Arrays.copyOf(holdout, pn);
        double dcr = 0;
        double copies = 0;
        double toTrain = 0;
        double holdoutToTrain = 0;
        for (int k = 0; k < samples; k++) {
            Privacy p = Privacy.measure(spec, synthetic, Arrays.copyOfRange(real, k * pn, (k + 1) * pn), held);
            dcr += p.dcrShare();
            copies += p.copyShare();
            toTrain += p.medianSyntheticToTrain();
            holdoutToTrain += p.medianHoldoutToTrain();
        }
        return new Privacy(dcr / samples, copies / samples, toTrain / samples, holdoutToTrain / samples);
    }

    /** A forest's scores on the test rows; {@code perClass}: each class's F1 (right / predicted / true). */
    private record ForestScores(double accuracy, double macroF1, String perClass) {
    }

    /**
     * Accuracy and macro-F1 (mean over the classes that are true or predicted in {@code test} of each one's F1, as
     * scikit-learn's {@code f1_score(average="macro")}) on {@code test} of a random forest (100 trees, Tribuo)
     * trained on {@code train}. Macro-F1 is the figure for imbalanced targets: a forest that only ever predicts the
     * majority class has high accuracy there but low macro-F1.
     */
    private ForestScores forestScores(DatasetSchema schema, int targetCell, double[][] train, double[][] test) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("train", factory), factory);
        for (double[] row : train) {
            data.add(example(schema, targetCell, row));
        }
        var trainer = new RandomForestTrainer<>(new CARTClassificationTrainer(Integer.MAX_VALUE, 0.5f, seed),
                new VotingCombiner(), 100, seed);
        Model<Label> forest = trainer.train(data);
        int correct = 0;
        java.util.Map<String, int[]> counts = new java.util.TreeMap<>(); // class -> {true positives, predicted, true}
        for (double[] row : test) {
            ArrayExample<Label> e = example(schema, targetCell, row);
            String truth = e.getOutput().getLabel();
            String predicted = forest.predict(e).getOutput().getLabel();
            counts.computeIfAbsent(truth, k -> new int[3])[2]++;
            counts.computeIfAbsent(predicted, k -> new int[3])[1]++;
            if (predicted.equals(truth)) {
                correct++;
                counts.get(truth)[0]++;
            }
        }
        double f1 = 0;
        StringBuilder perClass = new StringBuilder();
        for (var c : counts.entrySet()) {
            int[] v = c.getValue();
            double f = v[1] + v[2] == 0 ? 0 : 2.0 * v[0] / (v[1] + v[2]);
            f1 += f;
            perClass.append(String.format(Locale.ROOT, " %s=%.2f(%d/%d/%d)", c.getKey(), f, v[0], v[1], v[2]));
        }
        return test.length == 0 ? new ForestScores(Double.NaN, Double.NaN, "")
                : new ForestScores((double) correct / test.length, f1 / counts.size(), perClass.toString());
    }

    private static ArrayExample<Label> example(DatasetSchema schema, int targetCell, double[] row) {
        ModeledColumn targetColumn = null;
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < schema.modeled().size(); i++) {
            ModeledColumn mc = schema.modeled().get(i);
            int cell = schema.spec().offset(i);
            if (cell == targetCell) {
                targetColumn = mc;
                continue;
            }
            if (mc.column().isCategorical()) {
                for (int k = 0; k < mc.column().categories().size(); k++) {
                    names.add(mc.name() + "=" + mc.column().categories().get(k));
                    values.add(row[cell] == k ? 1.0 : 0.0);
                }
            } else {
                names.add(mc.name());
                values.add(row[cell]);
            }
        }
        String label = targetColumn.column().categories().get((int) row[targetCell]);
        return new ArrayExample<>(new Label(label), names.toArray(String[]::new),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** One JSON object per line. */
    private static void writeLines(Path path, List<? extends JsonNode> objects) throws IOException {
        try (var w = Files.newBufferedWriter(path)) {
            for (var o : objects) {
                w.write(o.toString());
                w.newLine();
            }
        }
    }
}
