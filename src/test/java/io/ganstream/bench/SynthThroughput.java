package io.ganstream.bench;

import io.ganstream.engine.synth.SynthConfig;
import io.ganstream.engine.synth.SynthLearner;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Generation rows/s (one thread) and train step time on a 10-column table (7 continuous, 3 categorical). */
public final class SynthThroughput {
    public static void main(String[] args) {
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            cols.add(Column.continuous("x" + i, Double.NaN, Double.NaN));
        }
        for (int i = 0; i < 3; i++) {
            cols.add(Column.categorical("c" + i, List.of("a", "b", "c", "d", "e")));
        }
        TableSpec spec = new TableSpec(cols);
        Random r = new Random(1);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            double[] row = new double[10];
            double z = r.nextGaussian();
            for (int j = 0; j < 7; j++) {
                row[j] = z * j + r.nextGaussian() + (r.nextBoolean() ? 5 : 0);
            }
            for (int j = 7; j < 10; j++) {
                row[j] = r.nextInt(5);
            }
            rows.add(row);
        }
        SynthConfig cfg = SynthEval.config();
        SynthLearner l = new SynthLearner(spec, cfg);
        for (int w = 0; w < 10; w++) {
            l.trainWindow(rows.subList(w * 200, w * 200 + 200));
        }
        long t0 = System.nanoTime();
        int windows = 10;
        for (int w = 0; w < windows; w++) {
            l.trainWindow(rows.subList(w * 200, w * 200 + 200));
        }
        double stepMs = (System.nanoTime() - t0) / 1e6 / (windows * cfg.stepsPerWindow());
        SynthModel m = l.latestModel();
        for (int i = 0; i < 3; i++) {
            m.sample(100_000, i);
        }
        int n = 500_000;
        t0 = System.nanoTime();
        m.sample(n, 99);
        double s = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        m.sample(10_000, Map.of(7, 4), 5);
        double condMs = (System.nanoTime() - t0) / 1e6;
        SynthModel raw = m.uncalibrated();
        raw.sample(100_000, 1);
        t0 = System.nanoTime();
        raw.sample(n, 99);
        double rawS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("uncalibrated gen: %.0f rows/s (calibration costs %.0f%%)%n", n / rawS, (s / rawS - 1) * 100);
        System.out.printf("outDims=%d gen: %.0f rows/s (1 thread), 10k conditioned rows %.1f ms; train %.2f ms/step (batch %d, pac %d)%n",
                l.layout().outDims(), n / s, condMs, stepMs, cfg.batchSize(), cfg.pac());
    }
}
