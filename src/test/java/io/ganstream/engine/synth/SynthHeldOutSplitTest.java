package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.quality.PrivacyFilter;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The synthesizer's held-out split: one row in ten by content, never a row of a rare class of the target; the
 * privacy filter guards the held-out rows as the trained-on ones.
 */
class SynthHeldOutSplitTest {
    private static final int COMMON = 3000;
    private static final int RARE = 25;

    /** Rows of classes A and B, and {@link #RARE} rows of class R (under 1% of them), as SynthTestData draws them. */
    private static List<List<double[]>> commonAndRare() {
        List<double[]> common = new ArrayList<>();
        List<double[]> rare = new ArrayList<>();
        for (double[] row : SynthTestData.rows(4 * COMMON, 11, 0)) {
            if (row[0] != 2 && common.size() < COMMON) {
                common.add(row);
            } else if (row[0] == 2 && rare.size() < RARE) {
                rare.add(row);
            }
        }
        return List.of(common, rare);
    }

    private static int heldOutOfRare(SynthLearner learner, List<List<double[]>> rows) {
        rows.get(0).forEach(learner::add);
        int before = learner.heldOutRows();
        rows.get(1).forEach(learner::add);
        return learner.heldOutRows() - before;
    }

    @Test
    void keepsEveryRowOfARareTargetClassForTrainingAndItsCopiesToo() {
        List<List<double[]>> rows = commonAndRare();
        assertEquals(RARE, rows.get(1).size());
        SynthConfig cfg = SynthTestData.testConfig().withSeed(3);
        // without a target the rare class's rows are split as any others
        int untargeted = heldOutOfRare(new SynthLearner(SynthTestData.SPEC, cfg), rows);
        assertTrue(untargeted > 0, "rows of R held out without a target: " + untargeted);

        SynthLearner learner = new SynthLearner(SynthTestData.SPEC, cfg.withTargetColumn(0));
        int common = learner.heldOutRows();
        assertEquals(0, heldOutOfRare(learner, rows), "rows of the rare target class held out");
        int held = learner.heldOutRows();
        assertTrue(held > COMMON / 20 && held < HeldOutMeasure.HELD_OUT_ROWS, "common rows held out: " + held);
        assertEquals(COMMON + RARE - held, learner.rowsInBuffer());
        // a replay: every copy goes where its first copy went, the rare rows' copies to training
        rows.get(1).forEach(learner::add);
        assertEquals(held, learner.heldOutRows());
        assertEquals(COMMON + 2 * RARE - held, learner.rowsInBuffer());
        assertEquals(0, common);
    }

    @Test
    void everyRowReceivedIsGuardedAgainstCopiesTheHeldOutOnesToo() {
        List<double[]> rows = SynthTestData.rows(1500, 13, 0);
        SynthLearner learner = new SynthLearner(SynthTestData.SPEC, SynthTestData.testConfig().withSeed(5));
        rows.forEach(learner::add);
        assertTrue(learner.heldOutRows() > 100, "held out: " + learner.heldOutRows());
        learner.step(5);
        PrivacyFilter filter = learner.snapshot().privacy();
        int complete = 0;
        for (double[] row : rows) {
            if (TableSpec.isComplete(row)) {
                complete++;
                assertTrue(filter.isCopy(row.clone()), "a received row passes as new: "
                        + java.util.Arrays.toString(row));
            }
        }
        assertTrue(complete > 1000, "complete rows: " + complete);
    }
}
