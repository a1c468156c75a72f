package io.ganstream.engine.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Encoder}'s shortcut for a filled row against the long way round. */
class EncoderTest {

    @Test
    void encodesAFilledRowAsFillingThenEncodingItDoes() {
        TableSpec spec = new TableSpec(List.of(
                Column.continuous("x", 0, 10),
                Column.categorical("c", List.of("a", "b", "c")),
                Column.integer("n", 0, 5),
                Column.continuous("y", Double.NaN, Double.NaN),
                Column.categorical("d", List.of("u", "v"))));
        SplittableRandom random = new SplittableRandom(3);
        ColumnStats stats = new ColumnStats(spec);
        for (int r = 0; r < 200; r++) {
            stats.observe(new double[]{random.nextDouble(10), random.nextInt(3), random.nextInt(6),
                    random.nextGaussian() * 4, random.nextInt(2)});
        }
        Encoder encoder = stats.snapshot();
        int dims = encoder.dims();
        for (int r = 0; r < 300; r++) {
            double[] row = {random.nextDouble(12) - 1, random.nextInt(3), random.nextInt(6),
                    random.nextGaussian() * 4, random.nextInt(2)};
            for (int c = 0; c < row.length; c++) {
                if (random.nextDouble() < 0.4) {
                    row[c] = Double.NaN;
                }
            }
            double[] g = new double[dims];
            for (int d = 0; d < dims; d++) {
                // outside [0, 1] and NaN too: decoding clamps and falls back to the mean as fillMissing does
                g[d] = r % 17 == 0 && d == 0 ? Double.NaN : random.nextDouble() * 1.4 - 0.2;
            }
            double[] encoded = new double[dims];
            encoder.encode(row, encoded, new double[dims]);
            double[] got = new double[dims];
            encoder.encodeFilled(row, g, encoded, got);

            double[] filled = row.clone();
            encoder.fillMissing(filled, g);
            double[] expected = new double[dims];
            encoder.encode(filled, expected, new double[dims]);
            assertArrayEquals(expected, got, 0.0, "row " + r);
        }
    }
}
