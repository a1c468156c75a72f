package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Which cells a synthetic row leaves missing: as often as the real rows miss them, in the same kind of rows, never a
 * conditioned cell, reproducibly, and through a checkpoint.
 */
class MissingCellsTest {

    /**
     * SynthTestData's rows, with y missing in 60% of the rows of category A and 5% of the others, and h missing in
     * 10% of all rows; x, k and g always observed.
     */
    static double[][] rows(int n, long seed) {
        List<double[]> rows = SynthTestData.rows(n, seed, 0.0);
        Random r = new Random(seed + 1);
        for (double[] row : rows) {
            if (r.nextDouble() < (row[0] == 0 ? 0.6 : 0.05)) {
                row[2] = Double.NaN;
            }
            if (r.nextDouble() < 0.1) {
                row[4] = Double.NaN;
            }
        }
        return rows.toArray(new double[0][]);
    }

    /** Complete rows of the same distribution (what a synthesizer generates). */
    static double[][] complete(int n, long seed) {
        return SynthTestData.rows(n, seed, 0.0).toArray(new double[0][]);
    }

    @Test
    void aCellIsLeftMissingAsOftenAsTheRealRowsOfItsKindMissIt() {
        MissingCells cells = MissingCells.fit(SynthTestData.SPEC, rows(6000, 1), 6000, 9);
        assertNotNull(cells);
        assertEquals(2, cells.blankedColumns(), "y and h miss cells, g, x and k none");
        double[][] generated = complete(20_000, 2);
        cells.apply(generated, Map.of(), 5);
        double[] missingY = new double[3];
        double[] rowsOf = new double[3];
        double missingH = 0;
        for (double[] row : generated) {
            int g = (int) row[0];
            rowsOf[g]++;
            missingY[g] += Double.isNaN(row[2]) ? 1 : 0;
            missingH += Double.isNaN(row[4]) ? 1 : 0;
            assertFalse(Double.isNaN(row[0]) || Double.isNaN(row[1]) || Double.isNaN(row[3]), Arrays.toString(row));
        }
        assertEquals(0.6, missingY[0] / rowsOf[0], 0.03, "y missing in A's rows");
        assertEquals(0.05, missingY[1] / rowsOf[1], 0.02, "y missing in B's rows");
        assertEquals(0.1, missingH / generated.length, 0.015, "h missing");
    }

    @Test
    void rowsThatMissNoCellGiveNoModel() {
        double[][] full = complete(500, 3);
        assertNull(MissingCells.fit(SynthTestData.SPEC, full, full.length, 1));
    }

    @Test
    void aConditionedColumnKeepsEveryCell() {
        MissingCells cells = MissingCells.fit(SynthTestData.SPEC, rows(3000, 4), 3000, 1);
        double[][] generated = complete(2000, 5);
        cells.apply(generated, Map.of(4, 1), 6);
        assertTrue(Arrays.stream(generated).noneMatch(r -> Double.isNaN(r[4])), "h was conditioned on");
        assertTrue(Arrays.stream(generated).anyMatch(r -> Double.isNaN(r[2])), "y still misses cells");
    }

    @Test
    void theSameSeedLeavesTheSameCellsAndACheckpointKeepsTheModel() throws IOException {
        MissingCells cells = MissingCells.fit(SynthTestData.SPEC, rows(9000, 6), 9000, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        cells.write(new DataOutputStream(bytes));
        MissingCells read = MissingCells.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        double[][] a = complete(1000, 7);
        double[][] b = complete(1000, 7);
        double[][] c = complete(1000, 7);
        cells.apply(a, Map.of(), 11);
        read.apply(b, Map.of(), 11);
        cells.apply(c, Map.of(), 12);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "row " + i);
        }
        assertFalse(Arrays.deepEquals(a, c), "another seed leaves other cells");
    }

    @Test
    void theSynthesizersCheckpointCarriesItsModelOfMissingCells() {
        SynthLearner learner = new SynthLearner(SynthTestData.SPEC,
                SynthTestData.testConfig().withSteps(100, 30, 10).withSeed(5));
        SynthModel model = learner.trainWindow(Arrays.asList(rows(600, 8)));
        assertNotNull(model.missingCells(), "its rows miss cells of y and h");
        SynthModel restored = SynthLearner.fromBytes(SynthTestData.SPEC, learner.config(), learner.toBytes())
                .latestModel();
        double[][] a = model.sample(300, 3);
        double[][] b = restored.sample(300, 3);
        model.leaveMissing(a, Map.of(), 4);
        restored.leaveMissing(b, Map.of(), 4);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "row " + i);
        }
        assertTrue(Arrays.stream(a).anyMatch(r -> Double.isNaN(r[2])));
    }
}
