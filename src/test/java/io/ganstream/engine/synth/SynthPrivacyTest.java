package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.quality.Privacy;
import io.ganstream.engine.quality.PrivacyFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The synthesizer's privacy figures and filter, seeded: a synthesizer overfitted on purpose (a few rows, many
 * steps) shows a high DCR share and its near-copies are withheld; the learner's figures after an evaluation.
 */
class SynthPrivacyTest {

    /** SynthTestData's rows with x and y to one decimal (so a generated row can equal a training row). */
    static List<double[]> rows(int n, long seed) {
        List<double[]> out = SynthTestData.rows(n, seed, 0.0);
        for (double[] r : out) {
            r[1] = Math.rint(r[1] * 10) / 10;
            r[2] = Math.rint(r[2] * 10) / 10;
        }
        return out;
    }

    @Test
    void anOverfittedSynthesizerShowsAHighDcrShareAndItsCopiesAreWithheld() {
        int n = 20;
        List<double[]> tiny = rows(n, 7);
        double[][] train = tiny.toArray(new double[0][]);
        double[][] holdout = rows(n, 8).toArray(new double[0][]);
        SynthLearner learner = new SynthLearner(SynthTestData.SPEC, SynthTestData.testConfig()
                .withNetwork(32, 128, 128, 1e-3, 1e-3)
                .withSteps(60, 100, 10).withSeed(3));
        List<double[]> copies = new ArrayList<>();
        tiny.forEach(r -> copies.add(r.clone()));
        SynthModel model = learner.trainWindow(copies);
        for (int w = 0; w < 40; w++) {
            model = learner.trainWindow(List.of());
        }
        double[][] syn = model.sample(400, 11);
        Privacy p = Privacy.measure(SynthTestData.SPEC, syn, train, holdout);
        System.out.println("overfitted (" + n + " rows, " + learner.steps() + " steps): " + p);
        // (seed 3: DCR share 0.79, 3.5% copies, median distance to the training rows half the held-out rows')
        assertTrue(p.dcrShare() > 0.7, "DCR share " + p);
        assertTrue(p.copyShare() > 0, "copies " + p);
        assertTrue(p.medianSyntheticToTrain() < p.medianHoldoutToTrain(), p.toString());

        PrivacyFilter filter = model.privacy();
        assertNotNull(filter);
        assertTrue(filter.hasReference());
        double threshold = filter.threshold(0.01);
        SynthModel.Filtered f = model.sampleFiltered(400, Map.of(), 11, 0.01);
        long refusedFirstRound = Arrays.stream(syn).filter(r -> filter.refuses(r, threshold)).count();
        System.out.println("filter: threshold " + threshold + ", refused " + f.refused() + " (first round "
                + refusedFirstRound + "), missing " + f.missing());
        assertTrue(refusedFirstRound > 0, "an overfitted generator's rows are refused");
        assertTrue(f.refused() >= refusedFirstRound);
        assertEquals(400 - f.missing(), f.rows().length);
        assertEquals(400, f.rows().length, "made up by resampling");
        for (double[] r : f.rows()) {
            assertFalse(filter.refuses(r, threshold));
            for (double[] t : train) {
                assertFalse(Privacy.isCopy(r, t), "no copy of a training row is returned");
            }
        }
        // a refused row's place is taken by a row driven by the same category of the same column, the others stay
        int[][] driving = new int[2][400];
        model.sampleDecoded(400, 11, driving);
        int replaced = 0;
        for (int i = 0; i < 400; i++) {
            if (filter.refuses(syn[i], threshold)) {
                replaced++;
                assertEquals(driving[1][i], f.rows()[i][SynthTestData.SPEC.offset(driving[0][i])],
                        "row " + i + " made up with the category that drove the refused row");
            } else {
                assertArrayEquals(syn[i], f.rows()[i], "row " + i + " passed and kept its place");
            }
        }
        assertEquals(refusedFirstRound, replaced);
        // the filter is deterministic for a seed and makes no difference where it refuses nothing
        assertArrayEquals(f.rows(), model.sampleFiltered(400, Map.of(), 11, 0.01).rows());
        assertArrayEquals(syn, model.withPrivacy(null).sampleFiltered(400, Map.of(), 11, 0.01).rows());

        // a restored learner serves with the copies-only filter of its checkpoint
        SynthModel restored = SynthLearner.modelFrom(SynthTestData.SPEC, learner.config(), learner.checkpoint());
        assertNotNull(restored.privacy());
        assertFalse(restored.privacy().hasReference());
        assertEquals(filter.guardedRows(), restored.privacy().guardedRows());
        for (double[] t : train) {
            assertEquals(filter.isCopy(t), restored.privacy().isCopy(t));
        }
        assertArrayEquals(syn, restored.sample(400, 11), "sampling is unchanged by the filter's section");
        // and once it trains on new rows, the rows of before the restore stay guarded against copies
        SynthLearner resumed = SynthLearner.restore(SynthTestData.SPEC, learner.config(), learner.checkpoint());
        List<double[]> fresh = new ArrayList<>();
        rows(10, 99).forEach(r -> fresh.add(r.clone()));
        PrivacyFilter after = resumed.trainWindow(fresh).privacy();
        assertTrue(after.hasReference());
        for (double[] t : train) {
            assertEquals(filter.isCopy(t), after.isCopy(t), "guarded before the restore, guarded after");
        }
        assertTrue(after.isCopy(fresh.get(0)));
    }

    @Test
    void evaluationFillsThePrivacyAndCoverageFiguresDeterministically() {
        SynthLearner learner = new SynthLearner(SynthTestData.SPEC,
                SynthTestData.testConfig().withSteps(100, 30, 10).withSeed(5));
        for (double[] r : rows(800, 2)) {
            learner.add(r);
        }
        learner.step(150);
        SynthModel model = learner.snapshot();
        learner.evaluate(model);
        double[] figures = learner.figures().clone();
        System.out.println("figures after 150 steps on 720 rows: " + Arrays.toString(figures));
        assertEquals(HeldOutMeasure.FIGURES, figures.length);
        for (double v : figures) {
            assertTrue(Double.isFinite(v), Arrays.toString(figures));
        }
        assertTrue(figures[4] >= 0 && figures[4] <= 1, "DCR share");
        assertTrue(figures[5] >= 0 && figures[5] <= 1, "copy share");
        assertTrue(figures[8] > 0.5 && figures[8] <= 1, "category coverage");
        assertTrue(figures[9] > 0.5 && figures[9] <= 1, "mode coverage");
        learner.evaluate(model);
        assertArrayEquals(figures, learner.figures(), "the same figures for the same model and seed");
    }

    /** A table whose every row misses a cell (images with holes) is still measured, so it does not stop blind. */
    @Test
    void rowsThatEachMissACellAreStillHeldOutAndMeasured() {
        SynthLearner learner = new SynthLearner(SynthTestData.SPEC,
                SynthTestData.testConfig().withSteps(100, 30, 10).withSeed(5));
        int k = 0;
        for (double[] r : rows(800, 2)) {
            r[k++ % r.length] = Double.NaN;
            learner.add(r);
        }
        assertTrue(learner.heldOutRows() >= 40, "held out: " + learner.heldOutRows());
        learner.step(50);
        double measure = learner.evaluate(learner.snapshot());
        assertTrue(measure >= 0 && measure < 1, "measure " + measure);
    }
}
