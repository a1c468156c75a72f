package io.ganstream.engine.synth;

import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small image family both GANs must learn: 8×8 grey images holding one bright bar (a full row or a full
 * column, at a random position) on a dark background, labelled with the bar's orientation.
 */
class BarImagesTest {
    static final int SIDE = 8;
    static final TableSpec SPEC = new TableSpec(List.of(
            Column.categorical("orientation", List.of("horizontal", "vertical")),
            Column.vector("px", SIDE * SIDE, 0, 1)));

    static double[] bar(Random rng) {
        double[] row = new double[1 + SIDE * SIDE];
        int vertical = rng.nextInt(2);
        int pos = rng.nextInt(SIDE);
        row[0] = vertical;
        for (int i = 0; i < SIDE * SIDE; i++) {
            row[1 + i] = 0.05 * rng.nextDouble();
        }
        double ink = 0.8 + 0.2 * rng.nextDouble();
        for (int k = 0; k < SIDE; k++) {
            row[1 + (vertical == 1 ? k * SIDE + pos : pos * SIDE + k)] = ink;
        }
        return row;
    }

    static List<double[]> bars(int n, long seed) {
        Random rng = new Random(seed);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(bar(rng));
        }
        return rows;
    }

    /** Brightest row sum and brightest column sum of an image; the index of the brightest line. */
    static double[] lines(double[] row) {
        double bestRow = -1;
        double bestCol = -1;
        int rowAt = 0;
        int colAt = 0;
        double total = 0;
        for (int a = 0; a < SIDE; a++) {
            double r = 0;
            double c = 0;
            for (int b = 0; b < SIDE; b++) {
                r += row[1 + a * SIDE + b];
                c += row[1 + b * SIDE + a];
                total += row[1 + a * SIDE + b];
            }
            if (r > bestRow) {
                bestRow = r;
                rowAt = a;
            }
            if (c > bestCol) {
                bestCol = c;
                colAt = a;
            }
        }
        return new double[] {bestRow, bestCol, rowAt, colAt, total};
    }

    @Test
    void generatorDrawsBarsOfTheRequestedOrientationAtManyPositions() {
        SynthConfig cfg = SynthConfig.defaults().withSeed(3).withNetwork(16, 128, 128, 1e-3, 1e-3)
                .withSteps(64, 50, 1).withEma(0.99);
        SynthLearner learner = new SynthLearner(SPEC, cfg);
        // 2,000 steps: at 1,000 the orientation is honoured in only 70-90% of samples
        List<double[]> data = bars(2000, 1);
        for (int pass = 0; pass < 4; pass++) {
            for (int s = 0; s < data.size(); s += 200) {
                List<double[]> w = new ArrayList<>();
                for (double[] r : data.subList(s, s + 200)) {
                    w.add(r.clone());
                }
                learner.trainWindow(w);
            }
        }
        SynthModel model = learner.latestModel();
        for (int orientation = 0; orientation < 2; orientation++) {
            double[][] samples = model.sample(400, Map.of(0, orientation), 9 + orientation);
            int right = 0;
            double concentration = 0;
            boolean[] positions = new boolean[SIDE];
            for (double[] s : samples) {
                assertEquals(orientation, (int) s[0]);
                for (int i = 1; i < s.length; i++) {
                    assertTrue(s[i] >= 0 && s[i] <= 1, "pixel in the declared range: " + s[i]);
                }
                double[] l = lines(s);
                boolean vertical = l[1] > l[0];
                if (vertical == (orientation == 1)) {
                    right++;
                }
                concentration += Math.max(l[0], l[1]) / l[4] / samples.length;
                positions[(int) (orientation == 1 ? l[3] : l[2])] = true;
            }
            int covered = 0;
            for (boolean p : positions) {
                covered += p ? 1 : 0;
            }
            System.out.printf("bars %s: %d/%d of the requested orientation, ink on the brightest line %.2f, "
                    + "%d of 8 positions%n", orientation == 0 ? "horizontal" : "vertical", right, samples.length,
                    concentration, covered);
            assertTrue(right >= 0.85 * samples.length, "orientation honoured: " + right);
            // a real bar puts ~85% of the ink on one line, the average image 1/8 of it
            assertTrue(concentration > 0.5, "bars, not a blur: " + concentration);
            assertTrue(covered >= 7, "no mode collapse onto a few positions: " + covered);
        }
    }

    @Test
    void imputerCompletesBarsFarBetterThanTheMean() throws Exception {
        List<double[]> train = bars(2000, 2);
        GainConfig cfg = GainConfig.defaults().withSeed(5).withSteps(64, 60).withNetwork(128, 300, 0.9, 2e-3, 0)
                .withQueueCapacity(64);
        GainModel model;
        {
            GainLearner trainer = new GainLearner(SPEC, cfg);
            GainModel latest = null;
            for (int s = 0; s < train.size(); s += 200) {
                latest = trainer.trainWindow(new ArrayList<>(train.subList(s, s + 200)));
            }
            model = latest;
        }
        List<double[]> test = bars(400, 4);
        double[] mean = new double[1 + SIDE * SIDE];
        for (double[] r : train) {
            for (int i = 1; i < r.length; i++) {
                mean[i] += r[i] / train.size();
            }
        }
        Random mask = new Random(6);
        double[][] holed = new double[test.size()][];
        for (int t = 0; t < test.size(); t++) {
            holed[t] = test.get(t).clone();
            for (int i = 1; i < holed[t].length; i++) {
                if (mask.nextDouble() < 0.25) {
                    holed[t][i] = Double.NaN;
                }
            }
        }
        double[][] filled = new double[holed.length][];
        for (int t = 0; t < holed.length; t++) {
            filled[t] = holed[t].clone();
        }
        model.imputeInPlace(filled);
        double gan = 0;
        double base = 0;
        int n = 0;
        for (int t = 0; t < holed.length; t++) {
            for (int i = 1; i < holed[t].length; i++) {
                if (Double.isNaN(holed[t][i])) {
                    assertFalse(Double.isNaN(filled[t][i]));
                    double truth = test.get(t)[i];
                    gan += (filled[t][i] - truth) * (filled[t][i] - truth);
                    base += (mean[i] - truth) * (mean[i] - truth);
                    n++;
                }
            }
        }
        gan = Math.sqrt(gan / n);
        base = Math.sqrt(base / n);
        System.out.printf("bars inpainting, 25%% of pixels missing: RMSE GAN %.4f, mean %.4f%n", gan, base);
        assertTrue(gan < 0.5 * base, "GAN " + gan + " vs mean " + base);
    }
}
