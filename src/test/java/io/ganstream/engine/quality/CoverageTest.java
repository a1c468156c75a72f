package io.ganstream.engine.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Coverage on hand-made rows: a faithful sample covers everything, a collapsed one little. */
class CoverageTest {
    static final TableSpec SPEC = new TableSpec(List.of(Column.categorical("c", List.of("a", "b", "c", "d")),
            Column.continuous("x", Double.NaN, Double.NaN), Column.integer("k", 0, 3)));

    static double[][] rows(int n, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new double[] {r.nextInt(3), r.nextGaussian(), r.nextInt(4)};
        }
        return out;
    }

    @Test
    void aSampleOfTheSameDistributionCoversEveryCategoryAndBin() {
        Coverage c = Coverage.measure(SPEC, rows(400, 1), rows(400, 2));
        assertEquals(1, c.categories(), 1e-12, "category d is in neither: not counted");
        assertEquals(1, c.modes(), 1e-12, c.toString());
        assertEquals(1, c.minVarianceRatio(), 0.2, c.toString());
    }

    @Test
    void aConstantGeneratorDrivesCoverageDown() {
        double[][] real = rows(400, 1);
        double[][] constant = new double[400][];
        Arrays.fill(constant, real[0]);
        Coverage c = Coverage.measure(SPEC, real, constant);
        assertEquals(1.0 / 3, c.categories(), 1e-12, "one of the 3 categories present");
        // x: 1 of its 10 deciles; k: 1 of the bins its 4 values fill
        assertTrue(c.modes() < 0.2, c.toString());
        assertEquals(0, c.minVarianceRatio(), 1e-12);
    }

    @Test
    void tiedQuantilesLeaveEmptyBinsUncounted() {
        TableSpec spec = new TableSpec(List.of(Column.integer("k", 0, 1)));
        double[][] real = {{0}, {0}, {0}, {1}};
        assertEquals(1, Coverage.measure(spec, real, new double[][] {{0}, {1}}).modes(), 1e-12);
        assertEquals(0.5, Coverage.measure(spec, real, new double[][] {{0}, {0}}).modes(), 1e-12);
        assertEquals(Double.NaN, Coverage.measure(spec, real, real).categories(), "no categorical column");
    }
}
