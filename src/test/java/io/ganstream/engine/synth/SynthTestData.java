package io.ganstream.engine.synth;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Known mixed distribution: categorical g (A 48.5%, B 48.5%, R 3%) shifts a bimodal x
 * (A: N(-4,.7)|N(0,.7); B: N(4,.7)|N(8,.7); R: N(12,.5)); y = 0.5 x + N(0, .5) bounded to [-10, 20];
 * k = round(|x|) integer in [0, 15]; h categorical lo/hi = (x > 2) with 90% agreement.
 */
public final class SynthTestData {
    public static final TableSpec SPEC = new TableSpec(List.of(
            Column.categorical("g", List.of("A", "B", "R")),
            Column.continuous("x", Double.NaN, Double.NaN),
            Column.continuous("y", -10, 20),
            Column.integer("k", 0, 15),
            Column.categorical("h", List.of("lo", "hi"))));

    private SynthTestData() {
    }

    public static List<double[]> rows(int n, long seed, double missingRate) {
        Random r = new Random(seed);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            int g = u < 0.03 ? 2 : u < 0.515 ? 0 : 1;
            double x = switch (g) {
                case 0 -> (r.nextBoolean() ? -4 : 0) + 0.7 * r.nextGaussian();
                case 1 -> (r.nextBoolean() ? 4 : 8) + 0.7 * r.nextGaussian();
                default -> 12 + 0.5 * r.nextGaussian();
            };
            double y = Math.max(-10, Math.min(20, 0.5 * x + 0.5 * r.nextGaussian()));
            double k = Math.min(15, Math.rint(Math.abs(x)));
            double h = (x > 2) == (r.nextDouble() < 0.9) ? 1 : 0;
            double[] row = {g, x, y, k, h};
            for (int c = 1; c < row.length; c++) {
                if (r.nextDouble() < missingRate) {
                    row[c] = Double.NaN;
                }
            }
            out.add(row);
        }
        return out;
    }

    public static SynthConfig testConfig() {
        return SynthConfig.defaults().withNetwork(32, 128, 128, 2e-4, 2e-4).withModes(5, 4).withSteps(200, 30, 10);
    }

    /** Streams {@code rows} {@code passes} times in windows of {@code window} through a learner. */
    public static SynthLearner train(SynthConfig cfg, List<double[]> rows, int passes, int window) {
        SynthLearner l = new SynthLearner(SPEC, cfg);
        for (int p = 0; p < passes; p++) {
            for (int s = 0; s < rows.size(); s += window) {
                List<double[]> w = new ArrayList<>();
                for (int i = s; i < Math.min(rows.size(), s + window); i++) {
                    w.add(rows.get(i).clone());
                }
                l.trainWindow(w);
            }
        }
        return l;
    }
}
