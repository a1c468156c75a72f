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
        TableSpec spec = new TableSpec(List.of(Column.categorical("a", List.of("x", "y", "z")),
                Column.categorical("b", List.of("p", "q"))));
        SynthLayout layout = layout(spec);
        int[] driven = new int[4000];
        float[][] outs = biasedOutputs(4000, driven, 1);
        double[] before = meanSoftmax(outs, driven, 1, 3, 2, null);
        assertTrue(before[0] > 0.6, "the generator gives p far too often: " + before[0]);
        CategoryCalibration calibration = CategoryCalibration.fit(layout, outs, driven);
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
        assertNull(CategoryCalibration.fit(layout, new float[500][layout.outDims], driven));
    }
}
