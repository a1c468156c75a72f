package io.ganstream.bench;

import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainModel;
import static io.ganstream.engine.impute.ImputationScores.copy;
import static io.ganstream.engine.impute.ImputationScores.meanImpute;
import static io.ganstream.engine.impute.ImputationScores.rmse;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnKind;
import io.ganstream.engine.table.TableSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import io.ganstream.engine.train.Trainer;
import io.ganstream.engine.train.TrainerSettings;
import io.ganstream.engine.train.TrainingBudget;

/**
 * Streams {@code DIR/masked.csv} (from impute_peers.py prepare) R passes in windows through a
 * {@link GainLearner}, then imputes the masked file with the latest model and prints the RMSE over masked
 * numeric cells in [0,1] units of the truth's min-max (same formula as impute_peers.py), next to mean
 * imputation.
 *
 * <pre>
 * java ... io.ganstream.bench.GainEval DIR [passes=2,20] [window=128]
 *   -Dgain.seed -Dgain.batch -Dgain.steps -Dgain.hidden -Dgain.alpha -Dgain.hint -Dgain.lr -Dgain.halfLife
 *   -Dgain.denoise -Dgain.denoiseWeight -Dgain.integers=true
 *   -Dgain.bulk=true: the bulk-load protocol instead of passes (all rows to the one Trainer, until converged)
 *   -Dgain.maxCategories=30: text columns of at most this many values are categorical, others (and one value
 *   per row: names, ids) dropped
 * </pre>
 */
public final class GainEval {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int[] checkpoints = Arrays.stream((args.length > 1 ? args[1] : "2,20").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        GainConfig cfg = configFromProperties();
        Result r = run(dir, cfg, checkpoints, window, true);
        System.out.println(r);
    }

    public static GainConfig configFromProperties() {
        GainConfig d = GainConfig.defaults();
        return new GainConfig(
                Long.getLong("gain.seed", d.seed()),
                Integer.getInteger("gain.batch", d.batchSize()),
                Integer.getInteger("gain.steps", d.stepsPerWindow()),
                Integer.getInteger("gain.replay", d.replayCapacity()),
                Integer.getInteger("gain.hidden", d.hidden()),
                dbl("gain.alpha", d.alpha()),
                dbl("gain.hint", d.hintRate()),
                dbl("gain.lr", d.learningRate()),
                1024,
                dbl("gain.denoise", d.denoiseRate()),
                dbl("gain.denoiseWeight", d.denoiseWeight()),
                dbl("gain.heldOut", d.heldOutFraction()),
                d.heldOutCapacity(),
                dbl("gain.recent", d.recentFraction()),
                Integer.getInteger("gain.halfLife", d.lrHalfLife()),
                dbl("gain.ema", d.emaDecay()),
                Integer.getInteger("gain.layers", d.hiddenLayers()),
                Integer.getInteger("gain.dHidden", d.discHidden()),
                Boolean.parseBoolean(System.getProperty("gain.categoricalFirst", "false")));
    }

    private static double dbl(String k, double def) {
        String v = System.getProperty(k);
        return v == null ? def : Double.parseDouble(v);
    }

    public record Result(String name, double meanRmse, Map<Integer, Double> rmseByPasses, double seconds,
                         GainLearner stats) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("%s mean %.4f", name, meanRmse));
            rmseByPasses.forEach((p, v) -> sb.append(String.format(" R=%d %.4f", p, v)));
            sb.append(String.format(" (%.1fs, steps %d, heldOut model %.4f mean %.4f)", seconds,
                    stats.steps(), stats.figures()[0], stats.figures()[1]));
            return sb.toString();
        }
    }

    public static Result run(Path dir, GainConfig cfg, int[] checkpoints, int window, boolean verbose)
            throws Exception {
        List<String[]> masked = readCsv(dir.resolve("masked.csv"));
        List<String[]> truth = readCsv(dir.resolve("truth.csv"));
        String[] header = masked.get(0);
        List<String[]> mRows = masked.subList(1, masked.size());
        List<String[]> tRows = truth.subList(1, truth.size());
        boolean integers = Boolean.parseBoolean(System.getProperty("gain.integers", "true"));

        // ---- schema inference from the masked file (what the stream would see)
        List<Column> cols = new ArrayList<>();
        List<Integer> srcIdx = new ArrayList<>();
        List<Map<String, Integer>> catMaps = new ArrayList<>();
        List<Boolean> isDate = new ArrayList<>();
        for (int c = 0; c < header.length; c++) {
            boolean numeric = true;
            boolean integral = true;
            boolean date = true;
            TreeSet<String> distinct = new TreeSet<>();
            for (String[] r : mRows) {
                String v = r[c];
                if (v.isEmpty()) {
                    continue;
                }
                distinct.add(v);
                try {
                    double x = Double.parseDouble(v);
                    if (x != Math.rint(x)) {
                        integral = false;
                    }
                } catch (NumberFormatException e) {
                    numeric = false;
                }
                if (!v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                    date = false;
                }
            }
            Map<String, Integer> cm = null;
            Column col;
            if (numeric) {
                col = integral && integers ? Column.integer(header[c], Double.NaN, Double.NaN)
                        : Column.continuous(header[c], Double.NaN, Double.NaN);
            } else if (date) {
                col = Column.datetime(header[c]);
            } else if (distinct.size() <= Integer.getInteger("gain.maxCategories", 30)
                    && distinct.size() < mRows.size()) {
                cm = new LinkedHashMap<>();
                for (String s : distinct) {
                    cm.put(s, cm.size());
                }
                col = Column.categorical(header[c], new ArrayList<>(cm.keySet()));
            } else {
                continue; // id-like text: dropped
            }
            cols.add(col);
            srcIdx.add(c);
            catMaps.add(cm);
            isDate.add(!numeric && date);
        }
        TableSpec spec = new TableSpec(cols);
        if (verbose) {
            StringBuilder sb = new StringBuilder("spec:");
            for (Column col : cols) {
                sb.append(' ').append(col.name()).append('=').append(col.kind());
            }
            System.out.println(sb);
        }
        int n = mRows.size();
        double[][] rows = new double[n][];
        double[][] truthRows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = toRow(mRows.get(i), srcIdx, catMaps, isDate, spec);
            truthRows[i] = toRow(tRows.get(i), srcIdx, catMaps, isDate, spec);
        }
        // ---- scored cells: numeric truth columns with > 2 distinct values, masked
        List<Integer> scored = new ArrayList<>();
        for (int c = 0; c < cols.size(); c++) {
            if (cols.get(c).kind() == ColumnKind.CONTINUOUS || cols.get(c).kind() == ColumnKind.INTEGER) {
                TreeSet<Double> d = new TreeSet<>();
                for (double[] t : truthRows) {
                    d.add(t[c]);
                }
                if (d.size() > 2) {
                    scored.add(c);
                }
            }
        }
        double meanRmse = rmse(meanImpute(rows), rows, truthRows, scored);

        long t0 = System.nanoTime();
        Map<Integer, Double> byPasses = new LinkedHashMap<>();
        if (Boolean.getBoolean("gain.bulk")) {
            // The bulk-load protocol at engine level: every row offered at once, trained until converged.
            GainLearner learner = new GainLearner(spec, cfg);
            // Learning starts once every row is in (-Dgain.minRows lowers that, as the service's 256 does): the
            // run is then the same from run to run, whatever the thread timing.
            int minRows = Integer.getInteger("gain.minRows", rows.length);
            try (Trainer<GainModel> trainer = new Trainer<>("eval", learner,
                    bulkSettings(cfg, minRows), TrainingBudget.unlimited(), null, null)) {
                for (double[] r : rows) {
                    trainer.offer(r);
                }
                trainer.awaitConverged(3_600_000);
                double[][] filled = copy(rows);
                trainer.latestModel().imputeInPlace(filled);
                byPasses.put(1, rmse(filled, rows, truthRows, scored));
                String out = System.getProperty("gain.out");
                if (out != null) {
                    StringBuilder sb = new StringBuilder();
                    for (Column col : cols) {
                        sb.append(sb.length() == 0 ? "" : ",").append(col.name());
                    }
                    sb.append('\n');
                    for (double[] f : filled) {
                        for (int c = 0; c < f.length; c++) {
                            sb.append(c == 0 ? "" : ",").append(f[c]);
                        }
                        sb.append('\n');
                    }
                    Files.writeString(Path.of(out), sb);
                }
                if (verbose) {
                    double[][] alone = copy(rows);
                    trainer.latestModel().withRefiner(null).imputeInPlace(alone);
                    double[][] linear = copy(rows);
                    trainer.latestModel().withBoosted(null).imputeInPlace(linear);
                    System.out.printf("bulk: converged after %d steps, held-out %.4f; generator alone %.4f, %s %.4f,"
                                    + " %s%n", trainer.status().steps(), trainer.status().measure(),
                            rmse(alone, rows, truthRows, scored), trainer.latestModel().refiner(),
                            rmse(linear, rows, truthRows, scored), trainer.latestModel().boosted());
                }
            }
            return new Result(dir.getFileName().toString(), meanRmse, byPasses, (System.nanoTime() - t0) / 1e9,
                    learner);
        }
        int maxPasses = Arrays.stream(checkpoints).max().orElse(1);
        GainLearner last;
        {
            GainLearner trainer = new GainLearner(spec, cfg);
            GainModel latest = null;
            for (int p = 1; p <= maxPasses; p++) {
                for (int s = 0; s < n; s += window) {
                    List<double[]> w = new ArrayList<>();
                    for (int i = s; i < Math.min(n, s + window); i++) {
                        w.add(rows[i]);
                    }
                    latest = trainer.trainWindow(w);
                }
                final int pass = p;
                if (Arrays.stream(checkpoints).anyMatch(c -> c == pass)) {
                    double[][] filled = copy(rows);
                    latest.imputeInPlace(filled);
                    double e = rmse(filled, rows, truthRows, scored);
                    byPasses.put(p, e);
                    if (verbose) {
                        System.out.printf("pass %d rmse %.4f  steps %d held-out %.4f%n", p, e, trainer.steps(),
                                trainer.figures()[0]);
                    }
                }
            }
            last = trainer;
        }
        return new Result(dir.getFileName().toString(), meanRmse, byPasses, (System.nanoTime() - t0) / 1e9, last);
    }

    /** The service's trainer settings; -Dgain.patience and -Dgain.minImprovement override them. */
    static TrainerSettings bulkSettings(GainConfig cfg, int minRows) {
        TrainerSettings s = TrainerSettings.defaults(minRows, cfg.stepsPerWindow());
        return s.withPatience(Integer.getInteger("gain.patience", s.patienceSteps()),
                dbl("gain.minImprovement", s.minImprovement()));
    }

    private static double[] toRow(String[] r, List<Integer> srcIdx, List<Map<String, Integer>> catMaps,
                                  List<Boolean> isDate, TableSpec spec) {
        double[] row = spec.emptyRow();
        for (int c = 0; c < srcIdx.size(); c++) {
            String v = r[srcIdx.get(c)];
            if (v.isEmpty()) {
                continue;
            }
            if (catMaps.get(c) != null) {
                Integer k = catMaps.get(c).get(v);
                row[c] = k == null ? Double.NaN : k;
            } else if (isDate.get(c)) {
                row[c] = LocalDate.parse(v).toEpochDay();
            } else {
                row[c] = Double.parseDouble(v);
            }
        }
        return row;
    }

    static List<String[]> readCsv(Path p) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(p)) {
            if (line.isEmpty()) {
                continue;
            }
            List<String> f = new ArrayList<>();
            StringBuilder sb = new StringBuilder();
            boolean q = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (q) {
                    if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        sb.append('"');
                        i++;
                    } else if (ch == '"') {
                        q = false;
                    } else {
                        sb.append(ch);
                    }
                } else if (ch == '"') {
                    q = true;
                } else if (ch == ',') {
                    f.add(sb.toString());
                    sb.setLength(0);
                } else {
                    sb.append(ch);
                }
            }
            f.add(sb.toString());
            out.add(f.toArray(new String[0]));
        }
        return out;
    }
}
