package io.ganstream.engine.impute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GainModelTest {
    static final GainConfig CFG = GainConfig.defaults().withSeed(7).withSteps(128, 60);
    static double[][] truth;
    static double[][] masked;
    static GainModel model;

    @BeforeAll
    static void trainOnce() throws Exception {
        truth = GainTestData.complete(2000, 1);
        masked = GainTestData.mask(truth, 0.2, 0.1, 2);
        model = GainTestData.train(masked, CFG, 2);
    }

    @Test
    void learnsCorrelatedDistributionFarBetterThanMean() {
        double[][] filled = ImputationScores.copy(masked);
        model.imputeInPlace(filled);
        double[][] meanFilled = ImputationScores.meanImpute(masked);
        List<Integer> scored = List.of(0, 1, 2, 3);
        double gain = ImputationScores.rmse(filled, masked, truth, scored);
        double mean = ImputationScores.rmse(meanFilled, masked, truth, scored);
        System.out.printf("synthetic rmse gain %.4f mean %.4f%n", gain, mean);
        assertTrue(gain < 0.5 * mean, "gain " + gain + " vs mean " + mean);
        // y's error specifically: y = 2x + 3c is almost deterministic given x and c
        double gy = ImputationScores.rmse(filled, masked, truth, List.of(1));
        double my = ImputationScores.rmse(meanFilled, masked, truth, List.of(1));
        assertTrue(gy < 0.35 * my, "y: gain " + gy + " vs mean " + my);
    }

    @Test
    void respectsContract() {
        double[][] filled = ImputationScores.copy(masked);
        // rows with every cell missing too
        double[][] extra = {GainTestData.SPEC.emptyRow(), {Double.NaN, 1e6, Double.NaN, Double.NaN, Double.NaN}};
        model.imputeInPlace(filled);
        model.imputeInPlace(extra);
        List<double[]> all = new ArrayList<>(List.of(filled));
        all.addAll(List.of(extra));
        for (int i = 0; i < all.size(); i++) {
            double[] row = all.get(i);
            for (int j = 0; j < row.length; j++) {
                assertFalse(Double.isNaN(row[j]), "NaN left at " + i + "," + j);
            }
            assertTrue(row[2] >= 0 && row[2] <= 5, "bounds z " + row[2]);
            assertTrue(row[3] >= 0 && row[3] <= 100 && row[3] == Math.rint(row[3]), "integer n " + row[3]);
            assertTrue(row[4] == 0 || row[4] == 1 || row[4] == 2, "category " + row[4]);
        }
        for (int i = 0; i < masked.length; i++) {
            for (int j = 0; j < masked[i].length; j++) {
                if (!Double.isNaN(masked[i][j])) {
                    assertEquals(masked[i][j], filled[i][j], 0.0, "observed cell changed");
                }
            }
        }
        assertEquals(1e6, extra[1][1], 0.0);
        assertTrue(model.version().startsWith("gain-"));
    }

    @Test
    void categoricalImputationUsesCorrelations() {
        // c missing, x and y observed: y - 2x ~ 3c identifies the category
        double[][] rows = ImputationScores.copy(truth);
        int correct = 0;
        for (double[] r : rows) {
            r[4] = Double.NaN;
        }
        model.imputeInPlace(rows);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i][4] == truth[i][4]) {
                correct++;
            }
        }
        assertTrue(correct > 0.8 * rows.length, "categorical accuracy " + correct + "/" + rows.length);
    }

    @Test
    void threadSafeConcurrentImputation() throws Exception {
        double[][] expected = ImputationScores.copy(masked);
        model.imputeInPlace(expected);
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[][]>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(ex.submit(() -> {
                    double[][] c = ImputationScores.copy(masked);
                    for (double[] row : c) {
                        model.imputeInPlace(new double[][] {row});
                    }
                    return c;
                }));
            }
            for (Future<double[][]> f : fs) {
                double[][] got = f.get();
                for (int i = 0; i < got.length; i++) {
                    assertArrayEquals(expected[i], got[i], 0.0);
                }
            }
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void sameSeedSameWeightsAndOutput() throws Exception {
        double[][] small = ImputationScores.copy(java.util.Arrays.copyOf(masked, 500));
        GainConfig cfg = CFG.withSteps(64, 20);
        GainModel a = GainTestData.train(small, cfg, 1);
        GainModel b = GainTestData.train(small, cfg, 1);
        GainModel c = GainTestData.train(small, cfg.withSeed(8), 1);
        assertArrayEquals(a.generatorParams(), b.generatorParams(), 0.0);
        assertFalse(java.util.Arrays.equals(a.generatorParams(), c.generatorParams()));
        double[][] fa = ImputationScores.copy(small);
        double[][] fb = ImputationScores.copy(small);
        a.imputeInPlace(fa);
        b.imputeInPlace(fb);
        for (int i = 0; i < fa.length; i++) {
            assertArrayEquals(fa[i], fb[i], 0.0);
        }
    }
}
