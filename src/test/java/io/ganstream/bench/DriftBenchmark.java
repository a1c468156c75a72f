package io.ganstream.bench;

import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.synth.CsvTable;
import io.ganstream.engine.table.TableSpec;
import io.ganstream.engine.train.Trainer;
import io.ganstream.engine.train.TrainerSettings;
import io.ganstream.engine.train.TrainerStatus;
import io.ganstream.engine.train.TrainingBudget;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Drift through the one trainer (engine level, no Kafka): a suite table sorted by one column is streamed as two
 * regimes. The imputer converges on the first half; the second half then arrives at {@code --rate} rows/s.
 * Prints, every 1,000 rows after the shift, the drift figure, the trainer's state and the imputer's RMSE on a
 * fixed test set of the new regime (20% of its numeric cells masked, [0,1] units of the whole table's range),
 * beside a model trained on the new regime alone. Seeded.
 *
 * <pre>
 * mvn -q -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.ganstream.bench.DriftBenchmark \
 *     -Dexec.args="../shared/data/suite/diamonds.csv price 500"
 * </pre>
 */
public final class DriftBenchmark {
    private DriftBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args.length > 0 ? args[0] : "../shared/data/suite/diamonds.csv");
        String sortBy = args.length > 1 ? args[1] : "price";
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        CsvTable table = CsvTable.load(csv, Set.of());
        TableSpec spec = table.spec;
        int sortCell = spec.offset(spec.columns().indexOf(spec.columns().stream()
                .filter(c -> c.name().equals(sortBy)).findFirst().orElseThrow()));
        List<double[]> rows = new ArrayList<>(table.rows);
        rows.sort(Comparator.comparingDouble(r -> r[sortCell]));
        int half = rows.size() / 2;
        List<double[]> a = rows.subList(0, half);
        List<double[]> b = new ArrayList<>(rows.subList(half, rows.size()));
        java.util.Collections.shuffle(b, new Random(3));
        int testRows = Math.min(1000, b.size() / 5);
        List<double[]> bTest = b.subList(0, testRows);
        List<double[]> bStream = b.subList(testRows, b.size());
        double[] lo = new double[spec.cellCount()];
        double[] hi = new double[spec.cellCount()];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (double[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                if (!Double.isNaN(r[c])) {
                    lo[c] = Math.min(lo[c], r[c]);
                    hi[c] = Math.max(hi[c], r[c]);
                }
            }
        }
        boolean[] numeric = new boolean[spec.cellCount()];
        for (int c = 0; c < spec.columnCount(); c++) {
            if (!spec.column(c).isCategorical()) {
                for (int k = 0; k < spec.column(c).width(); k++) {
                    numeric[spec.offset(c) + k] = true;
                }
            }
        }
        Random maskRng = new Random(1);
        double[][] testMasked = new double[bTest.size()][];
        for (int i = 0; i < bTest.size(); i++) {
            testMasked[i] = mask(bTest.get(i), numeric, maskRng);
        }
        GainConfig cfg = GainConfig.defaults().withSeed(1).withSteps(128, 60);
        TrainerSettings settings = TrainerSettings.defaults(256, 60);
        System.out.printf("drift benchmark: %s sorted by %s, %d rows (regime A %d, regime B %d streamed + %d test), "
                + "B at %d rows/s%n", csv.getFileName(), sortBy, rows.size(), a.size(), bStream.size(), testRows, rate);

        long t0 = System.nanoTime();
        double reference = Double.NaN;
        if (args.length > 3 && args[3].equals("noref")) {
            System.out.println("(reference skipped)");
        } else try (Trainer<GainModel> ref = new Trainer<>("reference", new GainLearner(spec, cfg), settings,
                TrainingBudget.unlimited(), null, null)) {
            Random r = new Random(2);
            for (double[] row : bStream) {
                ref.offer(mask(row, numeric, r));
            }
            ref.awaitConverged(3_600_000);
            reference = rmse(ref.latestModel(), testMasked, bTest, numeric, lo, hi);
            System.out.printf("reference (regime B alone, converged after %d steps): RMSE %.4f  (%.0f s)%n",
                    ref.status().steps(), reference, (System.nanoTime() - t0) / 1e9);
        }

        try (Trainer<GainModel> t = new Trainer<>("drift", new GainLearner(spec, cfg), settings,
                TrainingBudget.unlimited(), null, null)) {
            Random r = new Random(2);
            for (double[] row : a) {
                t.offer(mask(row, numeric, r));
            }
            t.awaitConverged(3_600_000);
            System.out.printf("regime A converged after %d steps: RMSE on B's test rows %.4f (%.2f x reference)%n",
                    t.status().steps(), rmse(t.latestModel(), testMasked, bTest, numeric, lo, hi),
                    rmse(t.latestModel(), testMasked, bTest, numeric, lo, hi) / reference);
            System.out.println("rows after shift  drift   state      steps   RMSE on B  / reference");
            long driftSeenAt = -1;
            long within10At = -1;
            long sleepNanos = 100_000_000_000L / rate; // 100 rows per tick
            for (int i = 0; i < bStream.size(); i++) {
                t.offer(mask(bStream.get(i), numeric, r));
                if ((i + 1) % 100 == 0) {
                    java.util.concurrent.TimeUnit.NANOSECONDS.sleep(sleepNanos);
                }
                if ((i + 1) % 1000 == 0) {
                    TrainerStatus s = t.status();
                    double e = rmse(t.latestModel(), testMasked, bTest, numeric, lo, hi);
                    if (driftSeenAt < 0 && s.drift() > 1.25) {
                        driftSeenAt = i + 1;
                    }
                    if (within10At < 0 && e <= 1.1 * reference) {
                        within10At = i + 1;
                    }
                    System.out.printf("%16d  %6.2f  %-9s %7d   %.4f     %.2f%n", i + 1, s.drift(),
                            s.state().wireName(), s.steps(), e, e / reference);
                }
            }
            t.awaitConverged(3_600_000);
            double end = rmse(t.latestModel(), testMasked, bTest, numeric, lo, hi);
            System.out.printf("after the stream, converged: RMSE %.4f (%.2f x reference), drift wakes %d, wakes %d%n",
                    end, end / reference, t.status().driftWakes(), t.status().wakes());
            System.out.printf("RESULT drift_seen_after=%d within_10pct_after=%s end_ratio=%.3f seconds=%.0f%n",
                    driftSeenAt, within10At < 0 ? "never" : Long.toString(within10At), end / reference,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    private static double[] mask(double[] row, boolean[] numeric, Random r) {
        double[] m = row.clone();
        for (int c = 0; c < m.length; c++) {
            if (numeric[c] && r.nextDouble() < 0.2) {
                m[c] = Double.NaN;
            }
        }
        return m;
    }

    private static double rmse(GainModel model, double[][] masked, List<double[]> truth, boolean[] numeric,
                               double[] lo, double[] hi) {
        double[][] filled = new double[masked.length][];
        for (int i = 0; i < masked.length; i++) {
            filled[i] = masked[i].clone();
        }
        model.imputeInPlace(filled);
        double se = 0;
        int n = 0;
        for (int i = 0; i < masked.length; i++) {
            for (int c = 0; c < masked[i].length; c++) {
                if (numeric[c] && Double.isNaN(masked[i][c]) && !Double.isNaN(truth.get(i)[c]) && hi[c] > lo[c]) {
                    double e = (filled[i][c] - truth.get(i)[c]) / (hi[c] - lo[c]);
                    se += e * e;
                    n++;
                }
            }
        }
        return Math.sqrt(se / n);
    }
}
