package io.ganstream.engine.impute;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded synthetic data: y = 2x + 3c + noise, z bounded in [0, 5], c categorical shifting the means. */
public final class GainTestData {
    public static final TableSpec SPEC = new TableSpec(List.of(
            Column.continuous("x", Double.NaN, Double.NaN),
            Column.continuous("y", Double.NaN, Double.NaN),
            Column.continuous("z", 0, 5),
            Column.integer("n", 0, 100),
            Column.categorical("c", List.of("a", "b", "c"))));

    private GainTestData() {
    }

    public static double[][] complete(int rows, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            int c = r.nextInt(3);
            double x = r.nextDouble() * 10;
            double y = 2 * x + 3 * c + r.nextGaussian() * 0.3;
            double z = Math.min(5, Math.max(0, 0.5 * x - c + r.nextGaussian() * 0.2));
            double n = Math.rint(Math.min(100, Math.max(0, 8 * x + 10 * c + r.nextGaussian())));
            out[i] = new double[] {x, y, z, n, c};
        }
        return out;
    }

    /** Copy with each numeric cell missing with probability p (categorical kept unless catP > 0). */
    public static double[][] mask(double[][] rows, double p, double catP, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
            for (int j = 0; j < 4; j++) {
                if (r.nextDouble() < p) {
                    out[i][j] = Double.NaN;
                }
            }
            if (r.nextDouble() < catP) {
                out[i][4] = Double.NaN;
            }
        }
        return out;
    }

    static List<List<double[]>> windows(double[][] rows, int size) {
        List<List<double[]>> ws = new ArrayList<>();
        for (int s = 0; s < rows.length; s += size) {
            List<double[]> w = new ArrayList<>();
            for (int i = s; i < Math.min(rows.length, s + size); i++) {
                w.add(rows[i]);
            }
            ws.add(w);
        }
        return ws;
    }

    /** A learner of {@code spec} that trained once on {@code rows}, window by window of 250 (private copies). */
    static GainLearner trainedOn(TableSpec spec, GainConfig cfg, double[][] rows) {
        GainLearner learner = new GainLearner(spec, cfg);
        for (List<double[]> w : windows(rows, 250)) {
            learner.trainWindow(copies(w));
        }
        return learner;
    }

    static GainModel train(double[][] masked, GainConfig cfg, int passes) throws InterruptedException {
        GainLearner learner = new GainLearner(SPEC, cfg);
        GainModel latest = null;
        for (int p = 0; p < passes; p++) {
            for (List<double[]> w : windows(masked, 250)) {
                latest = learner.trainWindow(copies(w));
            }
        }
        return latest;
    }

    /** Private copies of rows (a learner keeps the arrays it is given). */
    public static List<double[]> copies(List<double[]> rows) {
        List<double[]> out = new java.util.ArrayList<>(rows.size());
        for (double[] r : rows) {
            out.add(r.clone());
        }
        return out;
    }
}
