package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-column quantile map, above all in a long tail. */
class MarginalCalibrationTest {
    static final TableSpec SPEC = new TableSpec(List.of(Column.continuous("x", Double.NaN, Double.NaN)));

    /**
     * 10,000 observed values: 9,900 standard normal, 95 in (3, 6), 5 in (100, 300), a tail like a sensor's
     * (shuttle's): almost nothing between 6 and 100.
     */
    static double[][] longTailed(long seed) {
        Random r = new Random(seed);
        double[][] rows = new double[10_000][1];
        for (int i = 0; i < rows.length; i++) {
            rows[i][0] = i < 9_900 ? r.nextGaussian() : i < 9_995 ? 3 + 3 * r.nextDouble() : 100 + 200 * r.nextDouble();
        }
        return rows;
    }

    /** A blurred generator: normal with 1.5 times the spread, no tail. */
    static double[][] blurred(int n, long seed) {
        Random r = new Random(seed);
        double[][] rows = new double[n][1];
        for (double[] row : rows) {
            row[0] = 1.5 * r.nextGaussian();
        }
        return rows;
    }

    static int between(MarginalCalibration m, double[][] generated, double lo, double hi) {
        int n = 0;
        for (double[] row : generated) {
            double v = m.apply(0, row[0]);
            if (v > lo && v < hi) {
                n++;
            }
        }
        return n;
    }

    @Test
    void tailLevelsHalveTheirWayToEachEnd() {
        double[] levels = MarginalCalibration.tailLevels(5, 2);
        assertEquals(9, levels.length);
        double[] expected = {0, 0.0625, 0.125, 0.25, 0.5, 0.75, 0.875, 0.9375, 1};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], levels[i], 1e-15);
            assertEquals(i, MarginalCalibration.indexAt(levels, levels[i]), 1e-12);
            assertEquals(levels[i], MarginalCalibration.levelAt(levels, i), 1e-15);
        }
        assertEquals(3.5, MarginalCalibration.indexAt(levels, 0.375), 1e-12);
    }

    @Test
    void putsAboutAsFewRowsInATailsEmptyStretchAsTheDataHas() {
        double[][] real = longTailed(1);
        MarginalCalibration m = MarginalCalibration.fit(SPEC, real, real.length, blurred(4096, 2));
        double[][] generated = blurred(50_000, 3);
        // none of the observed values lies in (10, 90); evenly spaced knots (every 1/256) spread the top 0.4% of
        // generated rows evenly from about 5.3 to 300, about 50 of these rows inside it
        int inGap = between(m, generated, 10, 90);
        assertTrue(inGap <= 25, inGap + " of 50,000 calibrated values in (10, 90), where no observed value lies");
        // the observed tails themselves are kept: about 0.95% in (3, 6) and 0.05% above 100
        assertEquals(0.0095, between(m, generated, 3, 6) / 50_000.0, 0.002);
        assertEquals(0.0005, between(m, generated, 100, 301) / 50_000.0, 0.0003);
    }

    @Test
    void keepsTheEvenKnotsForTablesOfFewerRowsThanKnots() throws IOException {
        double[][] small = java.util.Arrays.copyOf(longTailed(6), 200);
        MarginalCalibration m = MarginalCalibration.fit(SPEC, small, small.length, blurred(4096, 7));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.write(new DataOutputStream(bytes));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(-MarginalCalibration.EVEN_KNOTS, in.readInt(), "257 even knots: tail knots of 200 rows would "
                + "lie between the two outermost values");
        MarginalCalibration back = MarginalCalibration.read(new DataInputStream(
                new ByteArrayInputStream(bytes.toByteArray())), 1);
        for (double v = -5; v <= 5; v += 0.01) {
            assertEquals(m.apply(0, v), back.apply(0, v), 0);
        }
        assertEquals(0.5, m.generatedQuantile(0, medianOf(blurred(4096, 7))), 0.01, "the even levels");
    }

    static double medianOf(double[][] rows) {
        double[] v = java.util.Arrays.stream(rows).mapToDouble(r -> r[0]).sorted().toArray();
        return v[v.length / 2];
    }

    @Test
    void restoresItsOwnKnotsAndReadsTheEvenKnotsOfOlderCheckpoints() throws IOException {
        double[][] real = longTailed(4);
        double[][] generated = blurred(4096, 5);
        MarginalCalibration m = MarginalCalibration.fit(SPEC, real, real.length, generated);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.write(new DataOutputStream(bytes));
        MarginalCalibration back = MarginalCalibration.read(new DataInputStream(
                new ByteArrayInputStream(bytes.toByteArray())), 1);
        for (double v = -5; v <= 5; v += 0.01) {
            assertEquals(m.apply(0, v), back.apply(0, v), 0);
        }
        // the format before the tail knots: the column count, then 257 even knots of (generated, observed) values
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(old);
        out.writeInt(1);
        out.writeBoolean(true);
        out.writeBoolean(false);
        for (int k = 0; k < MarginalCalibration.EVEN_KNOTS; k++) {
            out.writeDouble(k);           // generated values 0..256
            out.writeDouble(10.0 * k);    // observed values 0..2560
        }
        MarginalCalibration legacy = MarginalCalibration.read(new DataInputStream(
                new ByteArrayInputStream(old.toByteArray())), 1);
        assertEquals(1280, legacy.apply(0, 128), 1e-9);
        assertEquals(0.5, legacy.generatedQuantile(0, 128), 1e-12);
        assertEquals(1285, legacy.apply(0, 128.5), 1e-9);
    }
}
