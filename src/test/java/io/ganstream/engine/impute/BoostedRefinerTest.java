package io.ganstream.engine.impute;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trees blended in after the linear refinement: they find an interaction no regression can, are chosen on
 * held-out rows (never worse there than the model without them), and are carried by checkpoints.
 */
class BoostedRefinerTest {
    private static final GainConfig CONFIG = GainConfig.defaults().withSteps(64, 40);

    /** y = a XOR-like b: (a > 0.5 ? b : 1 - b) + noise; a regression on a and b explains none of it. */
    static final TableSpec SPEC = new TableSpec(List.of(
            Column.continuous("a", 0, 1),
            Column.continuous("b", 0, 1),
            Column.continuous("y", Double.NaN, Double.NaN),
            Column.continuous("w", Double.NaN, Double.NaN)));

    static double[][] interaction(int rows, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            double a = r.nextDouble();
            double b = r.nextDouble();
            double y = (a > 0.5 ? b : 1 - b) + r.nextGaussian() * 0.03;
            out[i] = new double[] {a, b, y, a + b + r.nextGaussian() * 0.05};
        }
        return out;
    }

    /** Copy with every y and one in ten of the other cells missing in one row of three. */
    static double[][] mask(double[][] rows, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
            if (r.nextDouble() < 1 / 3.0) {
                out[i][2] = Double.NaN;
            }
            for (int c : new int[] {0, 1, 3}) {
                if (r.nextDouble() < 0.1) {
                    out[i][c] = Double.NaN;
                }
            }
        }
        return out;
    }

    private static GainLearner learner(long seed) {
        return GainTestData.trainedOn(SPEC, CONFIG.withSeed(seed), mask(interaction(2_000, seed), seed + 1));
    }

    private static double rmseOfY(GainModel model, double[][] truth, double[][] masked) {
        double[][] filled = ImputationScores.copy(masked);
        model.imputeInPlace(filled);
        double se = 0;
        int n = 0;
        for (int i = 0; i < truth.length; i++) {
            if (Double.isNaN(masked[i][2])) {
                double e = filled[i][2] - truth[i][2];
                se += e * e;
                n++;
            }
        }
        return Math.sqrt(se / n);
    }

    @Test
    void shouldFindAnInteractionTheGeneratorAndTheRegressionMiss() {
        GainLearner learner = learner(11);
        GainModel served = learner.complete(learner.snapshot());
        assertNotNull(served.boosted(), "the trees measured better on the held-out rows");
        assertTrue(served.boosted().share() > 0);
        double[][] truth = interaction(1_000, 99);
        double[][] masked = mask(truth, 100);
        double without = rmseOfY(served.withBoosted(null), truth, masked);
        double with = rmseOfY(served, truth, masked);
        assertTrue(with < 0.8 * without, "trees " + with + " vs without them " + without);
        // the next versions of the same learner carry them
        assertEquals(served.boosted().share(), learner.snapshot().boosted().share());
    }

    @Test
    void shouldKeepTheTreesForTheColumnTheyHelpWhateverTheTableFlags() {
        // six 0/1 flags of pure noise: their held-out errors are whole units and no model predicts them, so a share
        // judged on them too would be a coin toss; judged on the other cells, the trees' gain on y decides
        TableSpec spec = new TableSpec(List.of(
                Column.continuous("a", 0, 1), Column.continuous("b", 0, 1),
                Column.continuous("y", Double.NaN, Double.NaN), Column.continuous("w", Double.NaN, Double.NaN),
                Column.integer("f1", 0, 1), Column.integer("f2", 0, 1), Column.integer("f3", 0, 1),
                Column.integer("f4", 0, 1), Column.integer("f5", 0, 1), Column.integer("f6", 0, 1)));
        Random r = new Random(21);
        double[][] rows = mask(interaction(2_000, 21), 22);
        for (int i = 0; i < rows.length; i++) {
            double[] row = java.util.Arrays.copyOf(rows[i], 10);
            for (int c = 4; c < 10; c++) {
                row[c] = r.nextDouble() < 0.2 ? Double.NaN : r.nextInt(2);
            }
            rows[i] = row;
        }
        GainLearner learner = GainTestData.trainedOn(spec, CONFIG.withSeed(21), rows);
        GainModel served = learner.complete(learner.snapshot());
        assertNotNull(served.boosted(), "the trees halve y's error; the flags do not outvote it");
        assertTrue(learner.judgedError(served) < learner.judgedError(served.withBoosted(null)));
    }

    @Test
    void shouldServeTheShareThatMeasuresBestOnTheHeldOutRows() {
        GainLearner learner = learner(12);
        GainModel served = learner.complete(learner.snapshot());
        GainModel without = served.withBoosted(null);
        double chosen = learner.judgedError(served);
        assertTrue(chosen < learner.judgedError(without), "kept because its held-out error fell");
        for (double share : BoostedRefiner.SHARES) {
            if (share > 0) {
                double other = learner.judgedError(served.withBoosted(served.boosted().withShare(share)));
                assertTrue(chosen <= other, "share " + share + ": " + other + " beats the chosen " + chosen);
            }
        }
    }

    @Test
    void shouldKeepTreesOnlyWhenTheyMeasureBetterOnALinearTable() {
        // y = 2x + 3c: the regression already has most of it; trees, if kept, must have measured better
        double[][] masked = GainTestData.mask(GainTestData.complete(1_500, 5), 0.2, 0, 6);
        GainLearner learner = GainTestData.trainedOn(GainTestData.SPEC, CONFIG.withSeed(3), masked);
        GainModel served = learner.complete(learner.snapshot());
        if (served.boosted() != null) {
            assertTrue(served.boosted().share() > 0, "trees are kept only with a share");
            assertTrue(learner.judgedError(served) < learner.judgedError(served.withBoosted(null)));
        }
    }

    @Test
    void shouldRestoreTheTreesFromACheckpointAndServeTheSameImputations() {
        GainLearner learner = learner(13);
        GainModel served = learner.complete(learner.snapshot());
        assertNotNull(served.boosted());
        byte[] checkpoint = learner.checkpoint();
        double[][] masked = mask(interaction(300, 7), 8);
        GainModel fromFile = GainLearner.modelFrom(SPEC, CONFIG.withSeed(13), checkpoint);
        GainModel restored = GainLearner.restore(SPEC, CONFIG.withSeed(13), checkpoint).restoredModel();
        assertEquals(served.boosted().share(), fromFile.boosted().share());
        ImputationScores.assertSameImputations(served, masked, fromFile, restored);
    }

    @Test
    void shouldFitTheSameTreesForTheSameSeedAndRows() {
        GainLearner one = learner(14);
        GainLearner two = learner(14);
        one.complete(one.snapshot());
        two.complete(two.snapshot());
        assertArrayEquals(one.checkpoint(), two.checkpoint());
    }

    @Test
    void shouldDropTheTreesWhenDriftIsDeclared() {
        GainLearner learner = learner(15);
        learner.complete(learner.snapshot());
        assertNotNull(learner.snapshot().boosted());
        learner.favourRecent(true);
        assertNull(learner.snapshot().boosted(), "fitted on the old regime");
    }

    @Test
    void shouldFitOnFewerRowsAsTablesWidenAndLeaveImagesToTheGenerator() {
        int thirty = BoostedRefiner.rowsWithin(GainLearner.TREES_COST, GainLearner.REFINER_ROWS, encoder(30));
        int sixty = BoostedRefiner.rowsWithin(GainLearner.TREES_COST, GainLearner.REFINER_ROWS, encoder(60));
        int small = BoostedRefiner.rowsWithin(GainLearner.TREES_COST, GainLearner.REFINER_ROWS, encoder(196));
        int image = BoostedRefiner.rowsWithin(GainLearner.TREES_COST, GainLearner.REFINER_ROWS, encoder(784));
        assertTrue(thirty > sixty && sixty >= GainLearner.REFINER_MIN_ROWS, thirty + " then " + sixty);
        // 196 columns would leave rows for the additions alone; the split search over them is what costs too much
        assertTrue(small < GainLearner.REFINER_MIN_ROWS, "14x14 pixels: " + small);
        assertTrue(image < GainLearner.REFINER_MIN_ROWS, "28x28 pixels: " + image);
    }

    private static Encoder encoder(int columns) {
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            cols.add(Column.continuous("c" + i, 0, 1));
        }
        return new ColumnStats(new TableSpec(cols)).snapshot();
    }
}
