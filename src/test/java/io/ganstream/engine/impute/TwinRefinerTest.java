package io.ganstream.engine.impute;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Twins: rows that agree with a record on enough uncommon values lend it their values where it misses one. Kept
 * only when they measure better on held-out rows, carried by checkpoints, dropped on drift.
 */
class TwinRefinerTest {
    private static final GainConfig CONFIG = GainConfig.defaults().withSteps(64, 40);

    /** Three ingredients of a design, its age and a strength that grows with the age (concrete's shape). */
    static final TableSpec SPEC = new TableSpec(List.of(
            Column.continuous("a", Double.NaN, Double.NaN),
            Column.continuous("b", Double.NaN, Double.NaN),
            Column.continuous("c", Double.NaN, Double.NaN),
            Column.integer("age", 1, 90),
            Column.continuous("y", Double.NaN, Double.NaN)));

    private static final int[] AGES = {1, 3, 7, 28, 56, 90};

    /** {@code designs} designs of independent uniform ingredients, each measured at every age, shuffled. */
    static double[][] designs(int designs, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[designs * AGES.length][];
        int i = 0;
        for (int d = 0; d < designs; d++) {
            double a = Math.round(r.nextDouble() * 5000) / 10.0;
            double b = Math.round(r.nextDouble() * 3000) / 10.0;
            double c = Math.round(r.nextDouble() * 2000) / 10.0;
            for (int age : AGES) {
                double y = 0.1 * a - 0.05 * b + 0.02 * c + 10 * Math.log(age) + r.nextGaussian();
                out[i++] = new double[] {a, b, c, age, y};
            }
        }
        for (int k = out.length - 1; k > 0; k--) {
            int j = r.nextInt(k + 1);
            double[] t = out[k];
            out[k] = out[j];
            out[j] = t;
        }
        return out;
    }

    /** Copy with one ingredient missing in one row of four. */
    static double[][] mask(double[][] rows, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
            if (r.nextDouble() < 0.25) {
                out[i][r.nextInt(3)] = Double.NaN;
            }
        }
        return out;
    }

    private static GainLearner learner(double[][] masked, long seed) {
        return GainTestData.trainedOn(SPEC, CONFIG.withSeed(seed), masked);
    }

    /** RMSE over the ingredient cells {@code masked} misses, in the encoder's [0, 1] units. */
    private static double rmse(GainModel model, double[][] truth, double[][] masked) {
        double[][] filled = ImputationScores.copy(masked);
        model.imputeInPlace(filled);
        Encoder enc = model.encoder();
        double se = 0;
        int n = 0;
        for (int i = 0; i < truth.length; i++) {
            for (int c = 0; c < 3; c++) {
                if (Double.isNaN(masked[i][c])) {
                    double e = enc.scale(c, filled[i][c]) - enc.scale(c, truth[i][c]);
                    se += e * e;
                    n++;
                }
            }
        }
        return Math.sqrt(se / n);
    }

    @Test
    void shouldFillAnIngredientFromTheSameDesignMeasuredAtOtherAges() {
        double[][] truth = designs(200, 31);
        double[][] masked = mask(truth, 32);
        GainLearner learner = learner(masked, 31);
        GainModel served = learner.complete(learner.snapshot());
        assertNotNull(served.twins(), "the twins measured better on the held-out rows");
        assertTrue(served.twins().active());
        double[] shares = served.twins().shares();
        assertTrue(shares[0] > 0 && shares[1] > 0 && shares[2] > 0, "the ingredients: " + java.util.Arrays.toString(shares));
        assertEquals(0, shares[4], "a strength measured at another age is not this one's");
        // the records themselves streamed again, as the bulk-load protocol scores them
        double without = rmse(served.withTwins(null), truth, masked);
        double with = rmse(served, truth, masked);
        assertTrue(with < 0.5 * without, "twins " + with + " vs without them " + without);
        assertTrue(learner.judgedError(served) < learner.judgedError(served.withTwins(null)));
        // the next versions carry them
        assertArrayEquals(served.twins().shares(), learner.snapshot().twins().shares());
    }

    @Test
    void shouldKeepNoTwinsOnATableWithoutRepeatedValues() {
        double[][] masked = GainTestData.mask(GainTestData.complete(1_500, 5), 0.2, 0, 6);
        GainLearner learner = GainTestData.trainedOn(GainTestData.SPEC, CONFIG.withSeed(3), masked);
        assertNull(learner.complete(learner.snapshot()).twins(), "no held-out row has a twin to gain from");
    }

    @Test
    void shouldKeepNoTwinsWhereRowsAgreeByChanceOnly() {
        // six independent columns of 30 whole values each: rows agree on three values by chance (n · 20 / 30³ of
        // them per row), and their values elsewhere tell nothing; each cell's share must earn its place
        TableSpec spec = new TableSpec(List.of(Column.integer("i1", 0, 29), Column.integer("i2", 0, 29),
                Column.integer("i3", 0, 29), Column.integer("i4", 0, 29), Column.integer("i5", 0, 29),
                Column.integer("i6", 0, 29)));
        Random r = new Random(61);
        double[][] rows = new double[1_500][6];
        for (double[] row : rows) {
            for (int c = 0; c < 6; c++) {
                row[c] = r.nextDouble() < 0.2 ? Double.NaN : r.nextInt(30);
            }
        }
        GainLearner learner = GainTestData.trainedOn(spec, CONFIG.withSeed(61), rows);
        assertNull(learner.complete(learner.snapshot()).twins());
    }

    @Test
    void shouldMeasureEachCellsGainInStandardErrors() {
        // cell 0: both errors fall by 0.01 in absolute value (no spread: z 0, nothing can be said of it); cell 1:
        // absolute errors fall by 1, 2, 3 (mean 2, standard error 1/sqrt(3)), squared ones by 9, 20, 33; cell 2
        // rises; signs do not matter
        double[] base = {1, -1, 5, -6, 7, 0};
        double[] other = {0.99, -0.99, 4, 4, -4, 1};
        int[] cellOf = {0, 0, 1, 1, 1, 2};
        double[] z = new double[3];
        double[] mean = TwinRefiner.pairedGain(base, other, cellOf, 3, z);
        assertEquals(1 - 0.99 * 0.99, mean[0], 1e-12);
        assertEquals(0, z[0], 1e-6);
        assertEquals((9 + 20 + 33) / 3.0, mean[1], 1e-12);
        assertEquals(2 * Math.sqrt(3), z[1], 1e-9);
        assertEquals(-1, mean[2], 1e-12);
        assertEquals(0, z[2], 0.0, "one cell: no spread to measure");
    }

    @Test
    void shouldLendValuesOnlyWithAgreementNoChanceExplains() {
        // 100 rows: row 0 and row 1 share two values held by 2 rows each (2 × ln 50 > ln 100); rows 2..51 share
        // one value held by 50 rows (over a fifth: no evidence); the rest are distinct
        TableSpec spec = new TableSpec(List.of(Column.continuous("p", Double.NaN, Double.NaN),
                Column.continuous("q", Double.NaN, Double.NaN), Column.continuous("t", Double.NaN, Double.NaN)));
        double[][] rows = new double[100][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {1000 + i, 2000 + i, i / 100.0};
        }
        rows[1][0] = rows[0][0];
        rows[1][1] = rows[0][1];
        rows[0][2] = 0.9;
        rows[1][2] = 0.9;
        for (int i = 2; i < 52; i++) {
            rows[i][0] = 7;
        }
        ColumnStats stats = new ColumnStats(spec);
        for (double[] row : rows) {
            stats.observe(row);
        }
        Encoder enc = stats.snapshot();
        TwinRefiner twins = TwinRefiner.of(rows, 3).withShare(1);
        double[] out = new double[enc.dims()];
        double[] record = {rows[0][0], rows[0][1], Double.NaN};
        twins.refine(record, out, enc);
        assertEquals(enc.scale(2, 0.9), out[enc.cellDim(2)], 1e-12, "its two twins' value");
        out[enc.cellDim(2)] = 0.123;
        twins.refine(new double[] {7, Double.NaN, Double.NaN}, out, enc);
        assertEquals(0.123, out[enc.cellDim(2)], 0.0, "a value half the rows hold tells no row apart");
        twins.refine(new double[] {rows[0][0], 12345, Double.NaN}, out, enc);
        assertEquals(0.123, out[enc.cellDim(2)], 0.0, "one value held by 2 of 100 rows: ln 50 < ln 100");
        TwinRefiner half = twins.withShare(0.5);
        half.refine(record, out, enc);
        assertEquals(0.5 * 0.123 + 0.5 * enc.scale(2, 0.9), out[enc.cellDim(2)], 1e-12);
        // rows 0 and 1 are the twins of a record agreeing on p and t; only a cell with a share takes their value
        out[enc.cellDim(1)] = 0.321;
        TwinRefiner.of(rows, 3).withShares(new double[] {0, 0, 1})
                .refine(new double[] {rows[0][0], Double.NaN, 0.9}, out, enc);
        assertEquals(0.321, out[enc.cellDim(1)], 0.0, "a cell without a share keeps the served value");
        TwinRefiner.of(rows, 3).withShares(new double[] {0, 1, 1})
                .refine(new double[] {rows[0][0], Double.NaN, 0.9}, out, enc);
        assertEquals(enc.scale(1, rows[0][1]), out[enc.cellDim(1)], 1e-12, "the same twins lend it with a share");
    }

    @Test
    void shouldRestoreTheTwinsFromACheckpointAndServeTheSameImputations() {
        double[][] truth = designs(200, 41);
        double[][] masked = mask(truth, 42);
        GainLearner learner = learner(masked, 41);
        GainModel served = learner.complete(learner.snapshot());
        assertNotNull(served.twins());
        byte[] checkpoint = learner.checkpoint();
        GainModel fromFile = GainLearner.modelFrom(SPEC, CONFIG.withSeed(41), checkpoint);
        GainModel restored = GainLearner.restore(SPEC, CONFIG.withSeed(41), checkpoint).restoredModel();
        assertArrayEquals(served.twins().shares(), fromFile.twins().shares());
        assertEquals(served.twins().rows(), restored.twins().rows());
        ImputationScores.assertSameImputations(served, masked, fromFile, restored);
    }

    @Test
    void shouldKeepTheSameTwinsForTheSameSeedAndRowsAndDropThemOnDrift() {
        double[][] masked = mask(designs(200, 51), 52);
        GainLearner one = learner(masked, 51);
        GainLearner two = learner(masked, 51);
        one.complete(one.snapshot());
        two.complete(two.snapshot());
        assertArrayEquals(one.checkpoint(), two.checkpoint());
        assertNotNull(one.snapshot().twins());
        one.favourRecent(true);
        assertNull(one.snapshot().twins(), "kept from the old regime's rows");
    }

    @Test
    void shouldBoundTheRowsAModelFileCarries() {
        assertEquals(TwinRefiner.CELL_BUDGET / 9, TwinRefiner.rowsWithin(9, Integer.MAX_VALUE));
        assertEquals(500, TwinRefiner.rowsWithin(9, 500));
        assertTrue(TwinRefiner.rowsWithin(784, Integer.MAX_VALUE) * 784 <= TwinRefiner.CELL_BUDGET);
    }
}
