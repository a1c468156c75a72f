package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeldOutMeasureTest {

    /** The learner's calibrated model and its generator without calibration, after a few steps on 800 rows. */
    private static SynthModel[] calibratedAndRaw(SynthLearner learner) {
        SynthModel calibrated = learner.snapshot();
        return new SynthModel[] {calibrated, calibrated.uncalibrated()};
    }

    @Test
    void theCalibrationThatFitsTheTrainingRowsIsChosenWhereverItIsOffered() {
        SynthLearner learner = new SynthLearner(SynthTestData.SPEC,
                SynthTestData.testConfig().withSteps(100, 30, 10).withSeed(3));
        List<double[]> rows = SynthTestData.rows(800, 4, 0.0);
        rows.forEach(learner::add);
        learner.step(60);
        SynthModel[] models = calibratedAndRaw(learner);
        double[][] replay = rows.toArray(double[][]::new);
        int[][] driving = new int[2][HeldOutMeasure.KEY_ROWS];
        double[][] decoded = models[0].sampleDecoded(HeldOutMeasure.KEY_ROWS, 8, driving);
        HeldOutMeasure measure = new HeldOutMeasure();
        assertEquals(0, measure.bestOnTraining(SynthTestData.SPEC, 7, List.of(models[0], models[1]), decoded,
                driving, replay, replay.length));
        assertEquals(1, measure.bestOnTraining(SynthTestData.SPEC, 7, List.of(models[1], models[0]), decoded,
                driving, replay, replay.length));
        // a tie goes to the first: the same model twice
        assertEquals(0, measure.bestOnTraining(SynthTestData.SPEC, 7, List.of(models[1], models[1]), decoded,
                driving, replay, replay.length));
        // too few rows to tell: the first
        assertEquals(0, measure.bestOnTraining(SynthTestData.SPEC, 7, List.of(models[1], models[0]), decoded,
                driving, replay, HeldOutMeasure.MIN_MEASURED - 1));
    }

    @Test
    void calibratingDecodedRowsGivesTheRowsTheModelSamples() {
        SynthLearner learner = new SynthLearner(SynthTestData.SPEC,
                SynthTestData.testConfig().withSteps(100, 30, 10).withSeed(5));
        SynthTestData.rows(600, 6, 0.0).forEach(learner::add);
        learner.step(40);
        SynthModel model = learner.snapshot();
        int[][] driving = new int[2][300];
        assertArrayEquals(model.sample(300, 9), model.calibrate(model.sampleDecoded(300, 9, driving), driving));
    }
}
