package io.ganstream.engine.impute;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The linear refinement a converged imputer gets: never worse than the generator alone, carried by checkpoints. */
class LinearRefinerTest {
    private static final GainConfig CONFIG = GainConfig.defaults().withSteps(64, 40);

    /** A learner after a few windows of {@link GainTestData} (y = 2x + 3c + noise: linear structure to find). */
    private static GainLearner learner(long seed) {
        double[][] masked = GainTestData.mask(GainTestData.complete(1_500, 5), 0.2, 0, 6);
        return GainTestData.trainedOn(GainTestData.SPEC, CONFIG.withSeed(seed), masked);
    }

    /** RMSE over the masked numeric cells of {@code truth}, each column scaled by its range in the truth. */
    private static double rmse(GainModel model, double[][] truth, double[][] masked) {
        return ImputationScores.rmse(impute(model, masked), masked, truth, List.of(0, 1, 2, 3));
    }

    @Test
    void shouldNeverServeWorseThanTheGeneratorAloneOnACorrelatedTable() {
        GainLearner learner = learner(3);
        GainModel generator = learner.snapshot();
        assertNull(generator.refiner(), "no refiner before the first convergence");
        GainModel refined = learner.complete(generator);
        assertNotNull(refined.refiner());
        double[][] truth = GainTestData.complete(2_000, 77);
        double[][] masked = GainTestData.mask(truth, 0.3, 0, 78);
        double alone = rmse(generator, truth, masked);
        double blended = rmse(refined, truth, masked);
        assertTrue(blended <= alone, "refined " + blended + " vs the generator alone " + alone);
        assertTrue(refined.refiner().share() > 0, "a linear table takes the regression's share");
        assertTrue(blended < 0.95 * alone, "and gains from it: " + blended + " vs " + alone);
        // the same learner's next versions carry it
        assertEquals(refined.refiner().share(), learner.snapshot().refiner().share());
    }

    @Test
    void shouldChooseTheShareThatMeasuresBestOnTheHeldOutRows() {
        GainLearner learner = learner(3);
        GainModel generator = learner.snapshot();
        GainModel refined = learner.complete(generator);
        // whatever share it chose measured at least as well on the held-out rows as the generator alone
        double aloneHeldOut = learner.evaluate(generator.withRefiner(null));
        double refinedHeldOut = learner.evaluate(refined);
        assertTrue(refinedHeldOut <= aloneHeldOut, refinedHeldOut + " vs " + aloneHeldOut);
        for (double share : new double[] {0.25, 0.5, 0.75, 1}) {
            double other = learner.evaluate(generator.withRefiner(refined.refiner().withShare(share)));
            assertTrue(refinedHeldOut <= other, "the chosen share measures best: " + refinedHeldOut + " vs " + other);
        }
    }

    @Test
    void shouldRestoreTheRefinerFromACheckpointAndServeTheSameImputations() {
        GainLearner learner = learner(4);
        GainModel refined = learner.complete(learner.snapshot());
        byte[] checkpoint = learner.checkpoint();
        double[][] masked = GainTestData.mask(GainTestData.complete(300, 9), 0.3, 0, 10);
        double[][] a = impute(refined, masked);
        GainModel served = GainLearner.modelFrom(GainTestData.SPEC, CONFIG.withSeed(4), checkpoint);
        GainModel restored = GainLearner.restore(GainTestData.SPEC, CONFIG.withSeed(4), checkpoint).restoredModel();
        assertEquals(refined.refiner().share(), served.refiner().share());
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], impute(served, masked)[i], 1e-12);
            assertArrayEquals(a[i], impute(restored, masked)[i], 1e-12);
        }
    }

    @Test
    void shouldChooseTheSameRefinerForTheSameSeedAndRows() {
        GainLearner one = learner(5);
        GainLearner two = learner(5);
        GainModel a = one.complete(one.snapshot());
        GainModel b = two.complete(two.snapshot());
        assertEquals(a.refiner().share(), b.refiner().share());
        assertArrayEquals(one.checkpoint(), two.checkpoint());
    }

    @Test
    void shouldFitOnFewerRowsAsTablesWidenAndLeaveImagesToTheGenerator() {
        int thirty = LinearRefiner.rowsWithin(GainLearner.REFINER_COST, GainLearner.REFINER_ROWS, encoder(30));
        int hundred = LinearRefiner.rowsWithin(GainLearner.REFINER_COST, GainLearner.REFINER_ROWS, encoder(100));
        int image = LinearRefiner.rowsWithin(GainLearner.REFINER_COST, GainLearner.REFINER_ROWS, encoder(784));
        assertEquals(GainLearner.REFINER_ROWS, thirty);
        assertTrue(hundred < thirty && hundred >= GainLearner.REFINER_MIN_ROWS, "100 columns: " + hundred);
        assertTrue(image < GainLearner.REFINER_MIN_ROWS, "28x28 pixels: " + image);
    }

    private static io.ganstream.engine.table.Encoder encoder(int columns) {
        List<io.ganstream.engine.table.Column> cols = new java.util.ArrayList<>();
        for (int i = 0; i < columns; i++) {
            cols.add(io.ganstream.engine.table.Column.continuous("c" + i, 0, 1));
        }
        return new io.ganstream.engine.table.ColumnStats(new io.ganstream.engine.table.TableSpec(cols)).snapshot();
    }

    @Test
    void shouldServeTheGeneratorAloneOnceTheDataMovesOrDriftIsDeclared() {
        GainLearner learner = learner(6);
        learner.complete(learner.snapshot());
        assertNotNull(learner.snapshot().refiner(), "kept while the encoder scales as it did");
        double[] far = GainTestData.complete(1, 99)[0];
        far[0] = 1_000; // a new extreme of x: the coefficients' units moved
        learner.add(far);
        assertNull(learner.snapshot().refiner(), "a moved range makes its coefficients wrong");
        GainLearner drifted = learner(6);
        drifted.complete(drifted.snapshot());
        drifted.favourRecent(true);
        assertNull(drifted.snapshot().refiner(), "drift: the generator alone until it converges again");
    }

    @Test
    void shouldSolveASymmetricSystem() {
        double[][] a = {{4, 1, 0}, {1, 3, 1}, {0, 1, 2}};
        double[] x = io.ganstream.engine.table.Cholesky.solve(a,
                new double[] {1, 2, 3});
        for (int i = 0; i < 3; i++) {
            double s = 0;
            for (int k = 0; k < 3; k++) {
                s += a[i][k] * x[k];
            }
            assertEquals(new double[] {1, 2, 3}[i], s, 1e-12);
        }
    }

    private static double[][] impute(GainModel model, double[][] rows) {
        double[][] out = ImputationScores.copy(rows);
        model.imputeInPlace(out);
        return out;
    }
}
