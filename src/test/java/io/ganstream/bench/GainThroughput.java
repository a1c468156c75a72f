package io.ganstream.bench;

import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Single-thread throughput of {@link GainModel#imputeInPlace} on a 30-column dataset (24 continuous,
 * 3 integer, 3 categorical with 5 categories), every record with ~20% missing cells.
 * {@code java ... io.ganstream.bench.GainThroughput [batchRows=256] [seconds=5]}
 */
public final class GainThroughput {
    public static void main(String[] args) throws Exception {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            cols.add(Column.continuous("c" + i, Double.NaN, Double.NaN));
        }
        for (int i = 0; i < 3; i++) {
            cols.add(Column.integer("i" + i, 0, 1000));
        }
        for (int i = 0; i < 3; i++) {
            cols.add(Column.categorical("k" + i, List.of("a", "b", "c", "d", "e")));
        }
        TableSpec spec = new TableSpec(cols);
        Random r = new Random(1);
        int n = 4096;
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double base = r.nextGaussian();
            double[] row = new double[30];
            for (int j = 0; j < 24; j++) {
                row[j] = base * (j + 1) + r.nextGaussian();
            }
            for (int j = 24; j < 27; j++) {
                row[j] = Math.rint(Math.min(1000, Math.max(0, 500 + 100 * base + r.nextGaussian() * 10)));
            }
            for (int j = 27; j < 30; j++) {
                row[j] = Math.floorMod((int) Math.round(base * 2) + j, 5);
            }
            for (int j = 0; j < 30; j++) {
                if (r.nextDouble() < 0.2) {
                    row[j] = Double.NaN;
                }
            }
            rows[i] = row;
        }
        GainConfig d0 = GainConfig.defaults().withSteps(128, 20).withQueueCapacity(64);
        GainConfig cfg = d0.withNetwork(Integer.getInteger("gain.hidden", 0), d0.alpha(), d0.hintRate(),
                d0.learningRate(), d0.lrHalfLife());
        GainModel model;
        {
            GainLearner t = new GainLearner(spec, cfg);
            GainModel latest = null;
            long w0 = System.nanoTime();
            int windows = 0;
            for (int s = 0; s < n; s += 512) {
                latest = t.trainWindow(List.of(java.util.Arrays.copyOfRange(rows, s, s + 512)));
                windows++;
            }
            model = latest;
            System.out.printf("trained %d windows, %.0f ms/window; held-out RMSE model %.4f vs column mean %.4f%n",
                    windows, (System.nanoTime() - w0) / 1e6 / windows, t.figures()[0], t.figures()[1]);
        }
        System.out.printf("model %s, generator layers %s%n", model.version(),
                java.util.Arrays.toString(model.layerSizes()));
        double[][] work = new double[batch][];
        long done = 0;
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        long t0 = 0;
        boolean measuring = false;
        long end = Long.MAX_VALUE;
        int pos = 0;
        while (true) {
            for (int i = 0; i < batch; i++) {
                work[i] = rows[(pos + i) % n].clone();
            }
            pos = (pos + batch) % n;
            model.imputeInPlace(work);
            long now = System.nanoTime();
            if (!measuring && now > warmEnd) {
                measuring = true;
                t0 = now;
                end = now + (long) (seconds * 1e9);
                done = 0;
                continue;
            }
            done += batch;
            if (now > end) {
                double secs = (now - t0) / 1e9;
                System.out.printf("imputeInPlace: %d records in %.2fs = %.0f records/s (batch %d, 1 thread, "
                        + "incl. row clone)%n", done, secs, done / secs, batch);
                return;
            }
        }
    }
}
