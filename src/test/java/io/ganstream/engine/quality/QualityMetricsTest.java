package io.ganstream.engine.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QualityMetricsTest {
    static final TableSpec SPEC = new TableSpec(List.of(
            Column.continuous("a", Double.NaN, Double.NaN),
            Column.continuous("b", Double.NaN, Double.NaN),
            Column.categorical("c", List.of("x", "y", "z"))));

    static double[][] data(int n, long seed, double shift) {
        Random r = new Random(seed);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian() + shift;
            double b = 0.8 * a + 0.6 * r.nextGaussian();
            double c = a > shift + 0.5 ? 2 : a > shift - 0.5 ? 1 : 0;
            rows[i] = new double[] {a, b, c};
        }
        return rows;
    }

    @Test
    void identicalDataScoresOne() {
        double[][] d = data(500, 1, 0);
        QualityReport q = QualityReport.evaluate(SPEC, d, d);
        assertEquals(1.0, q.columnShapes(), 1e-12);
        assertEquals(1.0, q.columnPairTrends(), 1e-12);
        assertEquals(1.0, q.overall(), 1e-12);
    }

    @Test
    void disjointDataScoresLow() {
        double[][] real = data(500, 1, 0);
        double[][] syn = data(500, 2, 100);
        for (double[] r : syn) {
            r[2] = 0;
            r[1] = -r[1];
        }
        QualityReport q = QualityReport.evaluate(SPEC, real, syn);
        assertTrue(q.columnShapes() < 0.3, q.toString());
        assertTrue(q.overall() < 0.5, q.toString());
    }

    /**
     * Images: a label and 64 "pixels", the first always blank; real pixels are the label's stroke (half the
     * pixels on for even labels, the other half for odd) plus noise. Pixels drawn for the wrong label have the
     * right per-pixel shapes but the wrong pairs with the label; the blank border pixel alone could not tell.
     */
    @Test
    void aVectorColumnIsMeasuredWhereItsElementsVaryNotOnItsFirstElement() {
        TableSpec spec = new TableSpec(List.of(Column.categorical("label", List.of("0", "1")),
                Column.vector("pixels", 64, 0, 1)));
        double[][] real = images(400, 1, false);
        double[][] sameKind = images(400, 2, false);
        double[][] wrongLabels = images(400, 3, true);
        QualityReport good = QualityReport.evaluate(spec, real, sameKind);
        QualityReport bad = QualityReport.evaluate(spec, real, wrongLabels);
        assertTrue(good.overall() > 0.95, good.toString());
        assertTrue(bad.columnPairTrends() < good.columnPairTrends() - 0.1, bad + " vs " + good);
        assertTrue(bad.overall() < good.overall() - 0.05, bad + " vs " + good);
        assertEquals(32, QualityReport.measuredCells(spec, real).size() - 1);
        assertTrue(QualityReport.measuredCells(spec, real).stream().noneMatch(c -> c[1] == 1),
                "the always-blank first pixel is not among the measured ones");
    }

    private static double[][] images(int n, long seed, boolean wrongLabel) {
        Random r = new Random(seed);
        double[][] rows = new double[n][65];
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(2);
            int drawn = wrongLabel ? 1 - label : label;
            rows[i][0] = label;
            for (int k = 1; k < 64; k++) {
                boolean ink = (k % 2 == 0) == (drawn == 0);
                rows[i][1 + k] = Math.min(1, Math.max(0, (ink ? 0.8 : 0.1) + 0.1 * r.nextGaussian()));
            }
        }
        return rows;
    }

    @Test
    void ksAndTvKnownValues() {
        assertEquals(0.5, QualityReport.ks(new double[] {1, 2, 3, 4}, new double[] {3, 4, 5, 6}), 1e-12);
        assertEquals(0.0, QualityReport.ks(new double[] {1, 2}, new double[] {2, 1}), 1e-12);
        assertEquals(0.5, QualityReport.tvd(new double[] {0, 0, 1, 1}, new double[] {0, 0, 0, 0}, 2), 1e-12);
        assertEquals(1.0, QualityReport.pearson(new double[][] {{1, 2}, {2, 4}, {3, 6}}, 0, 1), 1e-12);
    }

    @Test
    void detectionAucHalfOnSameDistributionOneOnSeparable() {
        double[][] real = data(600, 1, 0);
        double same = Detection.logisticAuc(SPEC, real, data(600, 2, 0), 3, 1);
        assertEquals(0.5, same, 0.06);
        double sep = Detection.logisticAuc(SPEC, real, data(600, 3, 6), 3, 1);
        assertTrue(sep > 0.99, "separable AUC " + sep);
        assertEquals(1.0, Detection.auc(new double[] {0.1, 0.2, 0.8, 0.9}, new int[] {0, 0, 1, 1}), 1e-12);
        assertEquals(0.5, Detection.auc(new double[] {1, 1, 1, 1}, new int[] {0, 1, 0, 1}), 1e-12);
    }

    @Test
    void detectionOfAManyCategoryColumnUsesItsFrequentCategoriesAndStillSeesAShift() {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            names.add("c" + i);
        }
        TableSpec spec = new TableSpec(List.of(Column.continuous("x", Double.NaN, Double.NaN),
                Column.categorical("director", names)));
        // a Zipf-like column: a few categories common, most seen once or never
        double[][] real = zipf(600, 1, 0);
        double[][] same = zipf(600, 2, 0);
        double[][] shifted = zipf(600, 3, 5);
        assertEquals(1 + 1 + Detection.MAX_ONE_HOT, Detection.features(spec, real, same)[0].length);
        assertEquals(0.5, Detection.logisticAuc(spec, real, same, 3, 1), 0.06);
        double auc = Detection.logisticAuc(spec, real, shifted, 3, 1);
        assertTrue(auc > 0.7, "frequent categories moved: AUC " + auc);
        int[] index = Detection.oneHotIndex(real, same, 1, 300);
        assertEquals(0, index[0], "the most frequent category keeps the first feature");
        assertEquals(Detection.MAX_ONE_HOT - 1, index[299], "a rare category shares the last feature");
        int[] small = Detection.oneHotIndex(real, same, 1, Detection.MAX_ONE_HOT);
        for (int cat = 0; cat < small.length; cat++) {
            assertEquals(cat, small[cat], "a column of few categories keeps one feature per category");
        }
    }

    /** Rows of (x, category): category ~ floor(300 * u^4) moved by {@code offset}, x noise. */
    private static double[][] zipf(int n, long seed, int offset) {
        Random r = new Random(seed);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            int cat = ((int) Math.floor(300 * u * u * u * u) + offset) % 300;
            rows[i] = new double[] {r.nextGaussian(), cat};
        }
        return rows;
    }

    @Test
    void copulaKeepsCorrelationIndependentDoesNot() {
        double[][] real = data(1000, 1, 0);
        QualityReport cop = QualityReport.evaluate(SPEC, real, Baselines.gaussianCopula(SPEC, real, 1000, 2));
        QualityReport ind = QualityReport.evaluate(SPEC, real, Baselines.independent(SPEC, real, 1000, 2));
        assertTrue(cop.columnPairTrends() > ind.columnPairTrends() + 0.1, cop + " vs " + ind);
        assertTrue(ind.columnShapes() > 0.9 && cop.columnShapes() > 0.9);
    }

    @Test
    void normalInverse() {
        assertEquals(0.0, Normal.inverseCdf(0.5), 1e-9);
        assertEquals(1.959964, Normal.inverseCdf(0.975), 1e-5);
        assertEquals(0.975, Normal.cdf(1.959964), 1e-6);
    }
}
