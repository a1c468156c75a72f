package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CategoryCalibrationTest {

    /** Categorical a (x, y, z) and b (p, q). */
    private static TableSpec twoColumns() {
        return new TableSpec(List.of(Column.categorical("a", List.of("x", "y", "z")),
                Column.categorical("b", List.of("p", "q"))));
    }

    /** Two categorical columns observed at 60/30/10 and 20/80. */
    private static SynthLayout layout(TableSpec spec) {
        long[][] counts = {{600, 300, 100}, {200, 800}};
        return new SynthLayout(spec, 1, new ModeMixture[2], new double[2], new double[2], counts, new int[2]);
    }

    /** A generator whose softmax favours the first category of each column, driven by a random column. */
    private static float[][] biasedOutputs(int n, int[] driven, long seed) {
        Random r = new Random(seed);
        float[][] outs = new float[n][5];
        for (int i = 0; i < n; i++) {
            driven[i] = r.nextInt(2);
            for (int d = 0; d < 5; d++) {
                outs[i][d] = (float) (r.nextGaussian() + (d == 0 || d == 3 ? 1.5 : 0));
            }
        }
        return outs;
    }

    private static double[] meanSoftmax(float[][] outs, int[] driven, int column, int start, int width,
                                        CategoryCalibration calibration) {
        double[] mean = new double[width];
        int drawn = 0;
        for (int i = 0; i < outs.length; i++) {
            if (driven[i] == column) {
                continue;
            }
            float[] o = outs[i].clone();
            if (calibration != null) {
                calibration.shift(o);
            }
            double tot = 0;
            for (int k = 0; k < width; k++) {
                tot += Math.exp(o[start + k]);
            }
            for (int k = 0; k < width; k++) {
                mean[k] += Math.exp(o[start + k]) / tot;
            }
            drawn++;
        }
        for (int k = 0; k < width; k++) {
            mean[k] /= drawn;
        }
        return mean;
    }

    @Test
    void shouldBringTheGeneratorsCategoriesToTheObservedFrequencies() {
        SynthLayout layout = layout(twoColumns());
        int[] driven = new int[4000];
        float[][] outs = biasedOutputs(4000, driven, 1);
        double[] before = meanSoftmax(outs, driven, 1, 3, 2, null);
        assertTrue(before[0] > 0.6, "the generator gives p far too often: " + before[0]);
        CategoryCalibration calibration = CategoryCalibration.fit(layout, outs, new int[][] {driven, new int[4000]},
                -1, new double[0][], 0);
        assertEquals(-1, calibration.keyColumn());
        double[] a = meanSoftmax(outs, driven, 0, 0, 3, calibration);
        double[] b = meanSoftmax(outs, driven, 1, 3, 2, calibration);
        assertEquals(0.6, a[0], 0.005);
        assertEquals(0.3, a[1], 0.005);
        assertEquals(0.1, a[2], 0.005);
        assertEquals(0.2, b[0], 0.005);
        assertEquals(0.8, b[1], 0.005);
    }

    @Test
    void shouldNotFitWhenTheOnlyCategoricalColumnDrivesEveryRow() {
        TableSpec spec = new TableSpec(List.of(Column.continuous("x", Double.NaN, Double.NaN),
                Column.categorical("label", List.of("a", "b"))));
        long[][] counts = {null, {5, 5}};
        ModeMixture[] mixtures = {new ModeMixture(1), null};
        SynthLayout layout = new SynthLayout(spec, 1, mixtures, new double[2], new double[2], counts, new int[2]);
        int[] driven = new int[500];
        java.util.Arrays.fill(driven, 1);
        assertNull(CategoryCalibration.fit(layout, new float[500][layout.outDims], new int[][] {driven, new int[500]},
                1, new double[0][], 0));
    }

    /**
     * Observed rows with b's shares 10%, 40% and 20% in a's classes (b 20% over all), as the layout's counts; a
     * generator whose b does not depend on a at all.
     */
    private static double[][] dependentRows() {
        double[][] rows = new double[1000][];
        int i = 0;
        int[][] joint = {{60, 540}, {120, 180}, {20, 80}};
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 2; b++) {
                for (int k = 0; k < joint[a][b]; k++) {
                    rows[i++] = new double[] {a, b};
                }
            }
        }
        return rows;
    }

    @Test
    void shouldGiveEachClassOfTheKeyItsObservedSharesOfTheOtherColumns() {
        SynthLayout layout = layout(twoColumns());
        int n = 6000;
        int[][] driving = new int[2][n];
        float[][] outs = biasedOutputs(n, driving[0], 2);
        Random r = new Random(3);
        for (int i = 0; i < n; i++) {
            // a row driven by a column has a category of it, drawn at the observed frequencies
            double u = r.nextDouble();
            driving[1][i] = driving[0][i] == 0 ? (u < 0.6 ? 0 : u < 0.9 ? 1 : 2) : (u < 0.2 ? 0 : 1);
        }
        double[][] real = dependentRows();
        CategoryCalibration calibration = CategoryCalibration.fit(layout, outs, driving, 0, real, real.length);
        assertEquals(0, calibration.keyColumn());
        // the expected share of p in each class of a over the rows, as generation draws them: a first (the driving
        // category, or drawn with the offsets of b's driving category), then b with that class's offsets (or its
        // driving category)
        double[] p = new double[3];
        double[] rows = new double[3];
        for (int i = 0; i < n; i++) {
            float[] o = outs[i].clone();
            calibration.shift(o);
            float[] keyed = o.clone();
            calibration.shiftKey(keyed, 0, driving[0][i], driving[1][i]);
            double[] chanceA = driving[0][i] == 0 ? oneHot(driving[1][i], 3) : softmax(keyed, 0, 3);
            for (int k = 0; k < 3; k++) {
                float[] ok = o.clone();
                calibration.shiftForClass(ok, k);
                double pb = driving[0][i] == 1 ? (driving[1][i] == 0 ? 1 : 0) : softmax(ok, 3, 2)[0];
                p[k] += chanceA[k] * pb;
                rows[k] += chanceA[k];
            }
        }
        // the targets are smoothed toward the pooled 20% by one row per category: (60 + 0.4) / 602 and so on
        assertEquals(60.4 / 602, p[0] / rows[0], 0.01);
        assertEquals(120.4 / 302, p[1] / rows[1], 0.01);
        assertEquals(20.4 / 102, p[2] / rows[2], 0.01);
        // without the class offsets every class would get the same share
        double[] plain = new double[3];
        for (int i = 0; i < n; i++) {
            float[] o = outs[i].clone();
            calibration.shift(o);
            plain[0] += softmax(o, 3, 2)[0] / n;
        }
        assertTrue(Math.abs(plain[0] - 0.2) < 0.05, "the pooled offsets alone give p about 20%: " + plain[0]);
    }

    @Test
    void shouldLeaveAClassOfTooFewObservedRowsWithThePooledOffsets() throws Exception {
        SynthLayout layout = layout(twoColumns());
        int n = 4000;
        int[][] driving = new int[2][n];
        float[][] outs = biasedOutputs(n, driving[0], 4);
        // z has 20 observed rows here, fewer than a class needs
        double[][] real = java.util.Arrays.copyOf(dependentRows(), 920);
        CategoryCalibration calibration = CategoryCalibration.fit(layout, outs, driving, 0, real, real.length);
        float[] o = new float[5];
        calibration.shiftForClass(o, 2);
        assertEquals(0, o[3], 0);
        assertEquals(0, o[4], 0);
        calibration.shiftForClass(o, 0);
        assertTrue(o[3] < 0, "class x gets p less often than pooled: " + o[3]);
        // written and read back, the same offsets
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            calibration.write(out);
            calibration.writeClasses(out);
        }
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()));
        CategoryCalibration read = CategoryCalibration.read(in, 5).withClasses(in, layout);
        float[] again = new float[5];
        read.shiftForClass(again, 0);
        assertEquals(o[3], again[3], 0);
        assertEquals(0, read.keyColumn());
    }

    private static double[] oneHot(int k, int width) {
        double[] v = new double[width];
        v[k] = 1;
        return v;
    }

    private static double[] softmax(float[] o, int start, int width) {
        double[] p = new double[width];
        double tot = 0;
        for (int k = 0; k < width; k++) {
            p[k] = Math.exp(o[start + k]);
            tot += p[k];
        }
        for (int k = 0; k < width; k++) {
            p[k] /= tot;
        }
        return p;
    }
}
