package io.ganstream.engine.impute;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GainLearnerTest {
    private static final GainConfig CFG = GainConfig.defaults().withSeed(7).withSteps(64, 20);

    @Test
    void shouldRestoreTheIdenticalModelAndGoOnFromItsVersion() {
        double[][] rows = GainTestData.mask(GainTestData.complete(300, 1), 0.2, 0, 2);
        GainLearner learner = new GainLearner(GainTestData.SPEC, CFG);
        GainModel before = learner.trainWindow(GainTestData.copies(List.of(rows)));
        GainLearner back = GainLearner.restore(GainTestData.SPEC, CFG, learner.checkpoint());
        GainModel after = back.restoredModel();
        assertNotNull(after);
        assertEquals(before.versionNumber(), after.versionNumber());
        assertArrayEquals(before.generatorParams(), after.generatorParams(), 0.0);
        assertEquals(learner.steps(), back.steps());
        assertEquals(before.versionNumber() + 1, back.trainWindow(GainTestData.copies(List.of(rows))).versionNumber());
    }

    @Test
    void shouldGiveTheSameModelForTheSameSeedAndRows() {
        double[][] rows = GainTestData.mask(GainTestData.complete(300, 1), 0.2, 0, 2);
        GainModel a = new GainLearner(GainTestData.SPEC, CFG).trainWindow(GainTestData.copies(List.of(rows)));
        GainModel b = new GainLearner(GainTestData.SPEC, CFG).trainWindow(GainTestData.copies(List.of(rows)));
        assertArrayEquals(a.generatorParams(), b.generatorParams(), 0.0);
    }

    @Test
    void shouldJudgeDriftOnTheNewestHeldOutRows() {
        GainLearner learner = new GainLearner(GainTestData.SPEC, CFG);
        GainModel model = null;
        for (int w = 0; w < 6; w++) {
            model = learner.trainWindow(GainTestData.copies(
                    List.of(GainTestData.mask(GainTestData.complete(400, 10 + w), 0.2, 0, 20 + w))));
        }
        double level = learner.evaluate(model);
        double recent = learner.evaluateRecent(model);
        assertTrue(recent < 1.5 * level, "same distribution: " + recent + " vs " + level);
        double previous = learner.evaluatePrevious(model);
        assertTrue(previous < 1.5 * level, "the rows before the newest too: " + previous + " vs " + level);
        assertNotEquals(recent, previous, "other rows");
        double[] draws = learner.evaluateDraws(model);
        assertEquals(GainLearner.DRIFT_DRAWS, draws.length);
        assertArrayEquals(draws, learner.evaluateDraws(model), 0.0, "seeded");
        for (double d : draws) {
            assertTrue(d > 0.5 * level && d < 2 * level, "each draw measures about the level: " + d + " vs " + level);
        }
        // a shifted regime: every numeric cell moved by the whole range seen so far
        double[][] shifted = GainTestData.mask(GainTestData.complete(3000, 99), 0.2, 0, 98);
        for (double[] r : shifted) {
            for (int c = 0; c < 4; c++) {
                r[c] += 10;
            }
            learner.add(r);
        }
        double after = learner.evaluateRecent(model);
        assertTrue(after > 1.25 * recent, "the newest held-out rows show the shift: " + after + " vs " + recent);
        double before = learner.evaluatePrevious(model);
        assertTrue(before > 1.25 * previous, "and the held-out rows before them: " + before + " vs " + previous);
    }

    @Test
    void shouldGiveALargerTableALargerNetAndAFixedWidthAlwaysWins() {
        GainConfig auto = GainConfig.defaults();
        assertEquals(auto.hiddenFor(9), auto.hiddenFor(9, 200), "a few hundred rows keep the small net");
        assertEquals(GainConfig.SMALL_HIDDEN, auto.hiddenFor(60, 200), "of 64 units even for 60 columns");
        assertTrue(auto.hiddenFor(60) < GainConfig.SMALL_HIDDEN, "(narrower before any row)");
        assertEquals(GainConfig.GROWN_HIDDEN, auto.hiddenFor(9, 2_000));
        assertEquals(GainConfig.LARGE_HIDDEN, auto.hiddenFor(9, 20_000));
        assertEquals(auto.hiddenFor(57, 20_000), auto.hiddenFor(57, 20_000), "deterministic");
        GainConfig fixed = auto.withNetwork(48, auto.alpha(), auto.hintRate(), auto.learningRate(), 0);
        assertEquals(48, fixed.hiddenFor(9, 20_000));
    }

    @Test
    void shouldGrowItsNetOnceEnoughRowsArrivedAndRestoreAtThatWidth() {
        GainLearner learner = new GainLearner(GainTestData.SPEC, CFG);
        for (double[] r : GainTestData.mask(GainTestData.complete(500, 5), 0.2, 0, 6)) {
            learner.add(r);
        }
        assertTrue(!learner.adapt(), "500 rows: the small net stays");
        for (double[] r : GainTestData.mask(GainTestData.complete(1500, 7), 0.2, 0, 8)) {
            learner.add(r);
        }
        assertTrue(learner.adapt(), "2,000 rows: it grows");
        assertTrue(!learner.adapt(), "once");
        learner.step(5);
        GainModel model = learner.snapshot();
        assertEquals(GainConfig.GROWN_HIDDEN, model.layerSizes()[1]);
        GainModel back = GainLearner.restore(GainTestData.SPEC, CFG, learner.checkpoint()).restoredModel();
        assertArrayEquals(model.generatorParams(), back.generatorParams(), 0.0);
    }
    @Test
    void shouldTakeAReplayedTableForTheRowsItHoldsAndNeverSplitTheCopiesOfARow() {
        GainLearner learner = new GainLearner(GainTestData.SPEC, CFG);
        double[][] table = GainTestData.mask(GainTestData.complete(300, 5), 0.2, 0, 6);
        for (int pass = 0; pass < 6; pass++) {
            for (double[] r : table) {
                learner.add(r.clone());
            }
        }
        assertEquals(1_800, learner.rowsSeen(), "every row counts as received");
        assertEquals(300, learner.novelRows(), "300 of them were new");
        assertTrue(!learner.adapt(), "1,800 rows received but 300 distinct: the small net stays");
        int held = learner.heldOutRows();
        assertTrue(held > 0 && held < 360, "about 10% held out: " + held);
        assertEquals(0, held % 6, "a held-out row is held out in every pass: " + held);
        assertEquals(1_800 - held, learner.rowsInBuffer(), "and none of its copies is trained on");
        for (double[] r : table) {
            GainLearner probe = new GainLearner(GainTestData.SPEC, CFG);
            probe.add(r.clone());
            probe.add(r.clone());
            assertTrue(probe.heldOutRows() != 1, "two copies of a row on two sides of the split");
        }
    }
}
