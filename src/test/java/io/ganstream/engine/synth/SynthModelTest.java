package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import io.ganstream.engine.quality.Baselines;
import io.ganstream.engine.quality.QualityReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SynthModelTest {
    static List<double[]> data;
    static double[][] real;
    static SynthLearner learner;
    static SynthModel model;

    @BeforeAll
    static void train() {
        data = SynthTestData.rows(2000, 1, 0.0);
        real = data.toArray(new double[0][]);
        learner = SynthTestData.train(SynthTestData.testConfig(), data, Integer.getInteger("synth.test.passes", 4),
                200);
        model = learner.latestModel();
    }

    @Test
    void shouldHonourAConditionOnACategoricalColumnThatComesAfterAVectorColumn() {
        TableSpec spec = new TableSpec(List.of(Column.vector("v", 6, 0, 1), Column.continuous("x", Double.NaN,
                Double.NaN), Column.categorical("label", List.of("a", "b", "c"))));
        java.util.Random r = new java.util.Random(4);
        List<double[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int k = i % 3;
            double[] row = new double[spec.cellCount()];
            for (int e = 0; e < 6; e++) {
                row[e] = e == k ? 0.9 : 0.1 * r.nextDouble();
            }
            row[6] = k + r.nextGaussian() * 0.1;
            row[7] = k;
            rows.add(row);
        }
        SynthLearner learner = new SynthLearner(spec, SynthTestData.testConfig().withSteps(50, 5, 5));
        SynthModel model = learner.trainWindow(rows);
        int label = 2; // the column index, not the cell index (7)
        for (double[] row : model.sample(200, Map.of(label, 1), 3)) {
            assertEquals(1.0, row[spec.offset(label)], "every row has the asked category");
        }
        assertThrows(IllegalArgumentException.class, () -> model.sample(5, Map.of(0, 1), 3),
                "the vector column is no categorical column");
    }

    private static double totalVariation(double[][] a, double[][] b, int cell, int categories) {
        double[] fa = new double[categories];
        double[] fb = new double[categories];
        for (double[] row : a) {
            fa[(int) row[cell]] += 1.0 / a.length;
        }
        for (double[] row : b) {
            fb[(int) row[cell]] += 1.0 / b.length;
        }
        double tv = 0;
        for (int k = 0; k < categories; k++) {
            tv += Math.abs(fa[k] - fb[k]) / 2;
        }
        return tv;
    }

    @Test
    void aNamedTargetKeysTheServedCalibration() {
        for (int target : new int[] {0, 4}) {
            SynthLearner keyed = SynthTestData.train(SynthTestData.testConfig().withTargetColumn(target),
                    data.subList(0, 600), 1, 200);
            SynthModel m = keyed.latestModel();
            assertEquals(SynthTestData.SPEC.column(target).name(), m.calibrationKey(), m.calibrationFit());
            // the other categorical column's shares within each of the target's classes: the class offsets'
            int other = target == 0 ? 4 : 0;
            double[][] observed = data.subList(0, 600).toArray(new double[0][]);
            double served = classShareGap(observed, m.sample(20_000, 5), target, other);
            double pooled = classShareGap(observed, m.withPooledCategories().sample(20_000, 5), target, other);
            assertTrue(served < 0.03 && served <= pooled, "largest gap of a class's shares " + served
                    + " (pooled offsets alone: " + pooled + ")");
            // and a restored learner serves the same rows
            SynthModel restored = SynthLearner.fromBytes(SynthTestData.SPEC, keyed.config(), keyed.toBytes())
                    .latestModel();
            assertArrayEquals(m.sample(200, 9), restored.sample(200, 9));
        }
    }

    /**
     * The largest difference, over the classes of {@code key} of at least 30 observed rows and the categories of
     * {@code other}, between their observed and generated shares within the class.
     */
    private static double classShareGap(double[][] observed, double[][] generated, int key, int other) {
        int keyCell = SynthTestData.SPEC.offset(key);
        int cell = SynthTestData.SPEC.offset(other);
        int kw = SynthTestData.SPEC.column(key).categories().size();
        int wd = SynthTestData.SPEC.column(other).categories().size();
        double[][][] shares = new double[2][kw][wd];
        double[][] rows = new double[2][kw];
        double[][][] sets = {observed, generated};
        for (int s = 0; s < 2; s++) {
            for (double[] row : sets[s]) {
                shares[s][(int) row[keyCell]][(int) row[cell]]++;
                rows[s][(int) row[keyCell]]++;
            }
        }
        double gap = 0;
        for (int k = 0; k < kw; k++) {
            if (rows[0][k] < 30) {
                continue;
            }
            for (int j = 0; j < wd; j++) {
                gap = Math.max(gap, Math.abs(shares[0][k][j] / rows[0][k] - shares[1][k][j] / rows[1][k]));
            }
        }
        return gap;
    }

    @Test
    void categoriesComeOutAtTheObservedFrequencies() {
        double[][] calibrated = model.sample(20_000, 11);
        double[][] own = model.marginalsOnly().sample(20_000, 11);
        for (int c : new int[] {0, 4}) {
            int cell = SynthTestData.SPEC.offset(c);
            int k = SynthTestData.SPEC.column(c).categories().size();
            double tv = totalVariation(real, calibrated, cell, k);
            assertTrue(tv < 0.015, "column " + c + ": total variation " + tv + " (the generator's own softmax: "
                    + totalVariation(real, own, cell, k) + ")");
        }
    }

    @Test
    void qualityFarAboveIndependentSampling() {
        double[][] syn = model.sample(2000, 3);
        QualityReport q = QualityReport.evaluate(SynthTestData.SPEC, real, syn);
        QualityReport ind = QualityReport.evaluate(SynthTestData.SPEC, real,
                Baselines.independent(SynthTestData.SPEC, real, 2000, 3));
        System.out.println("test data: ctgan " + q + " | independent " + ind);
        assertTrue(q.columnPairTrends() > ind.columnPairTrends() + 0.1, q + " vs " + ind);
        assertTrue(q.overall() > ind.overall() + 0.04, q + " vs " + ind);
        assertTrue(q.columnShapes() > 0.8, q.toString());
    }

    @Test
    void rareCategoryPresentUnconditioned() {
        double[][] syn = model.sample(5000, 11);
        long rare = java.util.Arrays.stream(syn).filter(r -> r[0] == 2).count();
        assertTrue(rare >= 50, "rare rows " + rare); // real rate 3% = 150
        // and its x values sit near its own mode (12), not the common ones
        double mean = java.util.Arrays.stream(syn).filter(r -> r[0] == 2).mapToDouble(r -> r[1]).average().orElse(0);
        assertTrue(mean > 6, "rare x mean " + mean);
    }

    @Test
    void conditionsHonoredExactlyInOnePass() {
        // Speed is measured by SynthThroughput (a benchmark), not asserted here: this box's load decides timings.
        double[][] syn = model.sample(10_000, Map.of(0, 2), 5);
        assertEquals(10_000, syn.length);
        for (double[] r : syn) {
            assertEquals(2.0, r[0]);
        }
        double mean = java.util.Arrays.stream(syn).mapToDouble(r -> r[1]).average().orElse(0);
        assertTrue(mean > 6, "conditioned on the rare group (true mean 12, overall ~2.3), x mean " + mean);
        double[][] two = model.sample(500, Map.of(0, 1, 4, 0), 6);
        for (double[] r : two) {
            assertEquals(1.0, r[0]);
            assertEquals(0.0, r[4]);
        }
        assertThrows(IllegalArgumentException.class, () -> model.sample(1, Map.of(1, 0), 1));
        assertThrows(IllegalArgumentException.class, () -> model.sample(1, Map.of(0, 3), 1));
    }

    @Test
    void schemaValidOutput() {
        double[][] syn = model.sample(5000, 9);
        TableSpec spec = SynthTestData.SPEC;
        double xmin = java.util.Arrays.stream(real).mapToDouble(r -> r[1]).min().orElseThrow();
        double xmax = java.util.Arrays.stream(real).mapToDouble(r -> r[1]).max().orElseThrow();
        for (double[] r : syn) {
            assertEquals(spec.cellCount(), r.length);
            for (double v : r) {
                assertFalse(Double.isNaN(v));
            }
            assertTrue(r[0] == 0 || r[0] == 1 || r[0] == 2);
            assertTrue(r[4] == 0 || r[4] == 1);
            assertTrue(r[1] >= xmin && r[1] <= xmax);
            assertTrue(r[2] >= -10 && r[2] <= 20);
            assertTrue(r[3] >= 0 && r[3] <= 15 && r[3] == Math.rint(r[3]));
        }
    }

    @Test
    void sameSeedSameSamples() {
        assertArrayEquals(model.sample(300, 4), model.sample(300, 4));
        assertArrayEquals(model.sample(300, Map.of(0, 2), 4), model.sample(300, Map.of(0, 2), 4));
        assertFalse(java.util.Arrays.deepEquals(model.sample(300, 4), model.sample(300, 5)));
    }

    @Test
    void checkpointRoundTripGivesIdenticalSamples() {
        byte[] bytes = learner.toBytes();
        SynthLearner back = SynthLearner.fromBytes(SynthTestData.SPEC, learner.config(), bytes);
        assertEquals(learner.version(), back.version());
        assertEquals(learner.windows(), back.windows());
        assertEquals(learner.rowsSeen(), back.rowsSeen());
        assertEquals(learner.net().steps(), back.net().steps());
        assertTrue(model.raked(), "two categorical columns: the mean raking's section is in the checkpoint");
        assertTrue(back.latestModel().raked());
        assertArrayEquals(model.sample(500, 21), back.latestModel().sample(500, 21));
        assertArrayEquals(learner.net().pair().generator().network().getUpdater().getStateViewArray().toFloatVector(),
                back.net().pair().generator().network().getUpdater().getStateViewArray().toFloatVector());
        assertArrayEquals(learner.net().pair().discriminator().network().params().toFloatVector(),
                back.net().pair().discriminator().network().params().toFloatVector());
        // continues (no restart): versions go on
        SynthModel next = back.trainWindow(data.subList(0, 100));
        assertEquals(learner.version() + 1, next.versionNumber());
        assertArrayEquals(back.toBytes().length > 0 ? new byte[0] : null, new byte[0]);
    }

    @Test
    void sameSeedAndDataGiveSameWeightsAndSamples() {
        SynthConfig cfg = SynthTestData.testConfig().withSteps(50, 5, 5);
        List<double[]> rows = SynthTestData.rows(300, 2, 0.1);
        SynthLearner a = SynthTestData.train(cfg, rows, 1, 100);
        SynthLearner b = SynthTestData.train(cfg, rows, 1, 100);
        assertArrayEquals(a.net().pair().generator().network().params().toFloatVector(),
                b.net().pair().generator().network().params().toFloatVector());
        assertArrayEquals(a.net().pair().discriminator().network().params().toFloatVector(),
                b.net().pair().discriminator().network().params().toFloatVector());
        assertArrayEquals(a.latestModel().sample(200, 1), b.latestModel().sample(200, 1));
        SynthLearner c = SynthTestData.train(cfg.withSeed(7), rows, 1, 100);
        assertFalse(java.util.Arrays.equals(a.net().pair().generator().network().params().toFloatVector(),
                c.net().pair().generator().network().params().toFloatVector()));
    }

    @Test
    void missingValuesDoNotPoisonTraining() {
        SynthConfig cfg = SynthTestData.testConfig().withSteps(100, 20, 10);
        List<double[]> rows = SynthTestData.rows(1000, 3, 0.25);
        SynthLearner l = SynthTestData.train(cfg, rows, 2, 200);
        double[][] syn = l.latestModel().sample(1000, 1);
        for (double[] r : syn) {
            for (double v : r) {
                assertFalse(Double.isNaN(v));
            }
        }
        // missing cells are not learned as zeros: x keeps its spread, no spike at 0
        double[][] realRows = rows.toArray(new double[0][]);
        double ks = QualityReport.ks(QualityReport.column(realRows, 1), QualityReport.column(syn, 1));
        assertTrue(ks < 0.35, "KS of x with 25% missing cells: " + ks);
    }

    @Test
    void aTableOfMoreCategoricalColumnsOrMoreRowsLearnsLongerBeforeItMayConverge() {
        SynthConfig cfg = SynthConfig.defaults();
        TableSpec one = new TableSpec(List.of(Column.categorical("k", List.of("a", "b")),
                Column.continuous("x", 0, 1), Column.continuous("y", 0, 1)));
        TableSpec three = new TableSpec(List.of(Column.categorical("k", List.of("a", "b")),
                Column.continuous("x", 0, 1), Column.categorical("c", List.of("u", "v", "w")),
                Column.integer("n", 0, 9), Column.categorical("d", List.of("p", "q"))));
        assertEquals(ConditionalBatches.STEPS_PER_CONDITION, new SynthLearner(one, cfg).minimumSteps());
        assertEquals(3 * ConditionalBatches.STEPS_PER_CONDITION, new SynthLearner(three, cfg).minimumSteps());
        // and passes over the rows: a large table's conditional structure needs them
        assertEquals(3 * ConditionalBatches.STEPS_PER_CONDITION, ConditionalBatches.minimumSteps(three, 400, 200));
        assertEquals(ConditionalBatches.MIN_EPOCHS * 100, ConditionalBatches.minimumSteps(one, 20_000, 200));
        assertEquals(ConditionalBatches.MIN_EPOCHS * 101, ConditionalBatches.minimumSteps(one, 20_001, 200));
        TableSpec images = new TableSpec(List.of(Column.vector("image", 196, 0, 255),
                Column.categorical("label", List.of("0", "1"))));
        assertEquals(ConditionalBatches.STEPS_PER_CONDITION, ConditionalBatches.minimumSteps(images, 20_000, 64),
                "wide tables: per condition only");
    }

    @Test
    void vectorColumnsAreOneSigmoidOutputPerElementAndSurviveACheckpoint() {
        TableSpec spec = categoryAndVector(3, 10);
        SynthLearner learner = new SynthLearner(spec, SynthConfig.defaults().withSteps(20, 5, 1));
        java.util.Random rng = new java.util.Random(1);
        List<double[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(new double[] {i % 2, rng.nextInt(11), i % 7 == 0 ? Double.NaN : 5, 2.5});
        }
        SynthModel m = learner.trainWindow(rows);
        assertEquals(2 + 3, m.layout().outDims(), "2 categories + 3 elements, no mode slots");
        for (double[] r : m.sample(200, 4)) {
            for (int k = 1; k <= 3; k++) {
                assertTrue(r[k] >= 0 && r[k] <= 10, "declared bounds: " + r[k]);
            }
            assertEquals(Math.rint(r[3] * 10), r[3] * 10, 1e-9, "one decimal, as the elements have (2.5)");
        }
        SynthLearner back = SynthLearner.fromBytes(spec, learner.config(), learner.toBytes());
        assertArrayEquals(m.sample(5, 7)[0], back.latestModel().sample(5, 7)[0]);
    }

    @Test
    void aModelWithAVectorColumnDrawsTruncatedNoiseAndATableDoesNot() {
        SynthLearner learner = new SynthLearner(categoryAndVector(8, 1), SynthConfig.defaults().withSteps(20, 5, 1));
        java.util.Random rng = new java.util.Random(2);
        List<double[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double[] r = new double[9];
            r[0] = i % 2;
            for (int k = 1; k < 9; k++) {
                r[k] = rng.nextDouble();
            }
            rows.add(r);
        }
        SynthModel served = learner.trainWindow(rows);
        assertEquals(SynthModel.VECTOR_TRUNCATION, served.truncation());
        double truncated = elementVariance(served.sample(4000, 5));
        double untruncated = elementVariance(served.withTruncation(0).sample(4000, 5));
        // noise bounded at 1.5 keeps 0.74 of a standard normal's variance; the outputs follow it down
        assertTrue(truncated < 0.95 * untruncated, "truncated " + truncated + " vs " + untruncated);
        assertTrue(truncated > 0.3 * untruncated, "still spread: " + truncated + " vs " + untruncated);
        assertArrayEquals(served.sample(3, 8)[2], served.sample(3, 8)[2], "seeded");
        assertEquals(0.0, model.truncation(), "a table's noise is untruncated");
    }

    @Test
    void theCalibrationSampleGrowsWithTheRowsHeldWithinItsBounds() {
        assertEquals(SynthLearner.CALIBRATION_ROWS, SynthLearner.calibrationRows(200));
        assertEquals(10_000, SynthLearner.calibrationRows(10_000));
        assertEquals(SynthLearner.MAX_CALIBRATION_ROWS, SynthLearner.calibrationRows(50_000));
    }

    @Test
    void aConvergedModelOfALargeTableIsRecalibratedOnMoreRowsAndASmallOneIsNot() {
        SynthLearner small = new SynthLearner(SynthTestData.SPEC, SynthTestData.testConfig());
        SynthModel served = small.trainWindow(SynthTestData.rows(2000, 3, 0.0));
        assertSame(served, small.complete(served), "2,000 rows: 4,096 generated rows already outnumber them");
        SynthLearner large = new SynthLearner(SynthTestData.SPEC, SynthTestData.testConfig());
        SynthModel learnt = large.trainWindow(SynthTestData.rows(6000, 3, 0.0));
        SynthModel completed = large.complete(learnt);
        assertNotSame(learnt, completed);
        assertSame(completed, large.latestModel(), "the recalibrated version is the one served and checkpointed");
        assertEquals(learnt.versionNumber(), completed.versionNumber(), "same generator, same version");
        assertFalse(java.util.Arrays.deepEquals(learnt.sample(50, 1), completed.sample(50, 1)),
                "its maps were refitted");
        assertArrayEquals(completed.sample(5, 2)[4], large.complete(completed).sample(5, 2)[4], "seeded");
        assertSame(learnt, large.complete(learnt), "an older version is served as it is");
    }

    /** A two-category column then a vector of {@code elements} in [0, {@code max}]. */
    private static TableSpec categoryAndVector(int elements, double max) {
        return new TableSpec(List.of(Column.categorical("c", List.of("a", "b")), Column.vector("v", elements, 0, max)));
    }

    /** The elements' variance summed over columns 1.. of {@code rows}. */
    private static double elementVariance(double[][] rows) {
        double total = 0;
        for (int k = 1; k < rows[0].length; k++) {
            double mean = 0;
            for (double[] r : rows) {
                mean += r[k] / rows.length;
            }
            for (double[] r : rows) {
                total += (r[k] - mean) * (r[k] - mean) / (rows.length - 1);
            }
        }
        return total;
    }
}
