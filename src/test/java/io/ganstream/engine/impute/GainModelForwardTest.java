package io.ganstream.engine.impute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GainModel}'s forward pass against a plain float reference written the straightforward way (layer 0 adds
 * each observed input's value row then its mask row, every hidden unit after relu, one full dot product per
 * output dim; a second full pass after the categories when categoricalFirst): the blocked sums, the resumed layer
 * 0 of the second pass and both output-layer forms add the same floats in the same order, so imputations must be
 * identical, not merely close.
 */
class GainModelForwardTest {

    @Test
    void imputesAsTheReferencePassWithCategoricalFirst() {
        // categoricals interleaved with numeric cells: the second pass resumes layer 0 in the middle of the row
        check(layout(12, 4, false), new int[]{32, 32}, true, 0.25, 1);
        check(layout(12, 4, true), new int[]{48, 40, 24}, true, 0.25, 2);
    }

    @Test
    void imputesAsTheReferencePassInOnePass() {
        check(layout(12, 4, false), new int[]{64, 64}, false, 0.25, 3);
        check(layout(25, 5, false), new int[]{20}, false, 0.2, 4);
    }

    @Test
    void imputesAsTheReferencePassWhetherLayerZeroStartsFromTheBiasOrFromAllMasks() {
        // half the cells missing: rows on both sides of the half-the-dims rule
        check(layout(12, 4, false), new int[]{32, 32}, true, 0.5, 7);
        check(layout(12, 4, true), new int[]{40, 24}, false, 0.5, 8);
    }

    @Test
    void imputesAsTheReferencePassWhenFewOfManyDimsAreMissing() {
        // about one missing cell among 300: the output layer takes its dot-product form
        check(layout(300, 2, false), new int[]{64, 64}, true, 0.004, 5);
        check(layout(300, 2, false), new int[]{64, 64}, false, 0.004, 6);
    }

    @Test
    void bothFormsOfTheBlockedSumAddTheirTermsInOrder() {
        // only one form runs on a given machine (GainModel.FMA); each must equal its term-by-term sum exactly
        SplittableRandom random = new SplittableRandom(11);
        int units = 37;
        float[][] w = new float[9][units];
        for (float[] row : w) {
            for (int o = 0; o < units; o++) {
                row[o] = (float) random.nextGaussian();
            }
        }
        int[] rows = {4, 0, 7, 7, 2, 8, 1};
        float[] coef = new float[rows.length];
        for (int k = 0; k < coef.length; k++) {
            coef[k] = (float) random.nextGaussian();
        }
        float[] bias = new float[units];
        for (int o = 0; o < units; o++) {
            bias[o] = (float) random.nextGaussian();
        }
        float[] fused = bias.clone();
        float[] separate = bias.clone();
        GainModel.accumulate(fused, coef, w, rows, rows.length, true);
        GainModel.accumulate(separate, coef, w, rows, rows.length, false);
        boolean differ = false;
        for (int o = 0; o < units; o++) {
            float f = bias[o];
            float p = bias[o];
            for (int k = 0; k < rows.length; k++) {
                f = Math.fma(coef[k], w[rows[k]][o], f);
                p = p + coef[k] * w[rows[k]][o];
            }
            assertEquals(f, fused[o], 0f, "fused, unit " + o);
            assertEquals(p, separate[o], 0f, "separate, unit " + o);
            differ |= f != p;
        }
        assertTrue(differ, "the two roundings should differ somewhere, or this test does not tell them apart");
    }

    @Test
    void aReplacedModelIsNotKeptAliveByItsThreadBuffers() throws InterruptedException {
        // the trainer publishes model after model to long-lived stream threads: each thread's buffers for a
        // model must not keep that model reachable once it is replaced
        WeakReference<GainModel> ref = imputeOnceWithAThrowawayModel();
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(ref.get(), "the thread's scratch buffers keep a dropped model alive");
    }

    private static WeakReference<GainModel> imputeOnceWithAThrowawayModel() {
        TableSpec spec = layout(12, 4, false);
        SplittableRandom random = new SplittableRandom(9);
        double[][] rows = rows(spec, random);
        Encoder enc = encoder(spec, rows);
        GainModel model = randomModel(enc, new int[]{32, 32}, true, random);
        double[] row = rows[0].clone();
        row[0] = Double.NaN;
        model.imputeInPlace(new double[][]{row});
        return new WeakReference<>(model);
    }

    private static TableSpec layout(int numeric, int categorical, boolean categoricalFirst) {
        List<Column> cols = new ArrayList<>();
        if (categoricalFirst) {
            for (int c = 0; c < categorical; c++) {
                cols.add(Column.categorical("c" + c, List.of("a", "b", "c", "d").subList(0, 2 + c % 3)));
            }
        }
        int every = Math.max(1, numeric / Math.max(1, categorical));
        int cats = 0;
        for (int i = 0; i < numeric; i++) {
            cols.add(Column.continuous("x" + i, Double.NaN, Double.NaN));
            if (!categoricalFirst && i % every == 1 && cats < categorical) {
                cols.add(Column.categorical("c" + cats, List.of("a", "b", "c", "d").subList(0, 2 + cats % 3)));
                cats++;
            }
        }
        return new TableSpec(cols);
    }

    private static void check(TableSpec spec, int[] hidden, boolean categoricalFirst, double missing, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = rows(spec, random);
        Encoder enc = encoder(spec, rows);
        GainModel model = randomModel(enc, hidden, categoricalFirst, random);
        int[] sizes = model.layerSizes();
        double[][] w = new double[sizes.length - 1][];
        double[][] b = new double[sizes.length - 1][];
        double[] flat = model.generatorParams();
        for (int l = 0, p = 0; l + 1 < sizes.length; l++) {
            w[l] = Arrays.copyOfRange(flat, p, p += sizes[l] * sizes[l + 1]);
            b[l] = Arrays.copyOfRange(flat, p, p += sizes[l + 1]);
        }
        int twoPass = 0;
        int fromBias = 0;
        int fromAllMasks = 0;
        int[] switches = new int[1];
        for (double[] complete : rows) {
            double[] row = complete.clone();
            boolean cat = false;
            boolean num = false;
            for (int c = 0; c < row.length; c++) {
                if (random.nextDouble() < missing) {
                    row[c] = Double.NaN;
                    cat |= spec.column(c).isCategorical();
                    num |= !spec.column(c).isCategorical();
                }
            }
            if (cat && num) {
                twoPass++;
            }
            if (fromAllObserved(enc, row)) {
                fromAllMasks++;
            } else {
                fromBias++;
            }
            double[] expected = reference(enc, sizes, w, b, categoricalFirst, row.clone(), switches);
            double[] actual = row.clone();
            model.imputeInPlace(new double[][]{actual});
            for (int c = 0; c < row.length; c++) {
                assertEquals(expected[c], actual[c], 0.0, "cell " + c);
            }
        }
        if (categoricalFirst && missing > 0.1) {
            assertTrue(twoPass > 50, "too few rows take the second pass: " + twoPass);
        }
        if (missing >= 0.4) {
            assertTrue(fromBias > 50 && fromAllMasks > 50, "one form of layer 0 too rare: " + fromBias + " / "
                    + fromAllMasks);
            if (categoricalFirst) {
                assertTrue(switches[0] > 10, "too few second passes change form: " + switches[0]);
            }
        }
    }

    private static double[][] rows(TableSpec spec, SplittableRandom random) {
        double[][] rows = new double[600][];
        for (int r = 0; r < rows.length; r++) {
            double z = random.nextGaussian();
            double[] row = new double[spec.cellCount()];
            for (int c = 0; c < row.length; c++) {
                Column col = spec.column(c);
                row[c] = col.isCategorical() ? random.nextInt(col.categories().size()) : z * (c % 7 + 1) + random.nextGaussian();
            }
            rows[r] = row;
        }
        return rows;
    }

    private static Encoder encoder(TableSpec spec, double[][] rows) {
        ColumnStats stats = new ColumnStats(spec);
        for (double[] row : rows) {
            stats.observe(row);
        }
        return stats.snapshot();
    }

    /** Random weights, each exactly a float as the trained generator's are. */
    private static GainModel randomModel(Encoder enc, int[] hidden, boolean categoricalFirst, SplittableRandom random) {
        int dims = enc.dims();
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = 2 * dims;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = dims;
        double[][] w = new double[sizes.length - 1][];
        double[][] b = new double[sizes.length - 1][];
        for (int l = 0; l + 1 < sizes.length; l++) {
            w[l] = new double[sizes[l] * sizes[l + 1]];
            b[l] = new double[sizes[l + 1]];
            double scale = 1.5 / Math.sqrt(sizes[l]);
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = (float) (random.nextGaussian() * scale);
            }
            for (int i = 0; i < b[l].length; i++) {
                b[l][i] = (float) (random.nextGaussian() * 0.1);
            }
        }
        return new GainModel(enc, sizes, w, b, 1, categoricalFirst);
    }

    private static double[] reference(Encoder enc, int[] sizes, double[][] w, double[][] b, boolean categoricalFirst,
                                      double[] row, int[] switches) {
        boolean anyMissing = false;
        for (double v : row) {
            anyMissing |= Double.isNaN(v);
        }
        if (!anyMissing) {
            return row;
        }
        boolean firstForm = fromAllObserved(enc, row);
        double[] out = forward(enc, sizes, w, b, row, firstForm);
        if (categoricalFirst && enc.fillMissingCategories(row, out)) {
            boolean left = false;
            for (double v : row) {
                left |= Double.isNaN(v);
            }
            if (left) {
                // the filled row's own form, which may differ from the first pass's
                boolean secondForm = fromAllObserved(enc, row);
                switches[0] += secondForm != firstForm ? 1 : 0;
                out = forward(enc, sizes, w, b, row, secondForm);
            }
        }
        enc.fillMissing(row, out);
        return row;
    }

    /** Whether at most half of the row's encoded dims are missing. */
    private static boolean fromAllObserved(Encoder enc, double[] row) {
        double[] x = new double[enc.dims()];
        double[] m = new double[enc.dims()];
        enc.encode(row, x, m);
        return 2 * Arrays.stream(m).filter(v -> v == 0).count() <= m.length;
    }

    /** Activated output, all dims: float multiply-adds (fused where the model fuses them), each sum in ascending order. */
    private static double[] forward(Encoder enc, int[] sizes, double[][] w, double[][] b, double[] row,
                                    boolean fromAllObserved) {
        int dd = enc.dims();
        double[] x = new double[dd];
        double[] m = new double[dd];
        enc.encode(row, x, m);
        float[] in = new float[2 * dd];
        for (int i = 0; i < dd; i++) {
            in[i] = (float) x[i];
            in[dd + i] = (float) m[i];
        }
        float[] a = new float[sizes[1]];
        // fromAllObserved: from the bias plus every mask row, less the missing dims' mask rows
        for (int o = 0; o < a.length; o++) {
            float t = (float) b[0][o];
            if (fromAllObserved) {
                for (int i = 0; i < dd; i++) {
                    t += (float) w[0][(dd + i) * a.length + o];
                }
            }
            for (int i = 0; i < dd; i++) {
                float maskRow = (float) w[0][(dd + i) * a.length + o];
                if (m[i] != 0) {
                    t = GainModel.multiplyAdd(in[i], (float) w[0][i * a.length + o], t);
                    t = fromAllObserved ? t : t + maskRow;
                } else if (fromAllObserved) {
                    t -= maskRow;
                }
            }
            a[o] = Math.max(t, 0f);
        }
        for (int l = 1; l + 1 < sizes.length; l++) {
            int n = sizes[l + 1];
            float[] next = new float[n];
            for (int o = 0; o < n; o++) {
                float t = (float) b[l][o];
                for (int i = 0; i < a.length; i++) {
                    t = GainModel.multiplyAdd(a[i], (float) w[l][i * n + o], t);
                }
                next[o] = l + 2 < sizes.length ? Math.max(t, 0f) : t;
            }
            a = next;
        }
        double[] z = new double[dd];
        for (int j = 0; j < dd; j++) {
            z[j] = a[j];
        }
        double[] out = new double[dd];
        GainNet.activate(z, out, 1, enc);
        return out;
    }
}
