package io.ganstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.quality.Privacy;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code bench synth}'s DCR figures on an 80/20 split of one population: fresh rows of the population score about
 * 0.5, a generator that copies its training rows about 0.625 (a quarter of them in a measured sample), and the
 * averaged samples spread less than one sample of the same size.
 */
class BenchDcrTest {
    static final int COLUMNS = 8;
    static final TableSpec SPEC = spec();

    static TableSpec spec() {
        List<Column> columns = new ArrayList<>();
        for (int c = 0; c < COLUMNS; c++) {
            columns.add(Column.continuous("x" + c, Double.NaN, Double.NaN));
        }
        return new TableSpec(columns);
    }

    static double[][] rows(int n, Random rng) {
        double[][] out = new double[n][COLUMNS];
        for (double[] r : out) {
            for (int c = 0; c < COLUMNS; c++) {
                r[c] = rng.nextGaussian();
            }
        }
        return out;
    }

    @Test
    void freshRowsScoreAHalfCopiesFiveEighthsAndTheAverageSpreadsLess() {
        double fresh = 0;
        double copied = 0;
        List<Double> averaged = new ArrayList<>();
        List<Double> single = new ArrayList<>();
        int runs = 20;
        for (int run = 0; run < runs; run++) {
            Random rng = new Random(run);
            double[][] train = rows(160, rng);
            double[][] holdout = rows(40, rng);
            double[][] population = rows(160, rng);
            double p = BenchSynthCommand.privacy(SPEC, population, train, holdout).dcrShare();
            fresh += p / runs;
            averaged.add(p);
            single.add(Privacy.measure(SPEC, java.util.Arrays.copyOf(population, 40),
                    java.util.Arrays.copyOf(train, 40), holdout).dcrShare());
            List<double[]> shuffled = new ArrayList<>(List.of(train));
            java.util.Collections.shuffle(shuffled, rng);
            Privacy c = BenchSynthCommand.privacy(SPEC, shuffled.toArray(new double[0][]), train, holdout);
            copied += c.dcrShare() / runs;
            assertEquals(1.0, c.copyShare() * 4, 1e-9, "a quarter of the copies are of measured training rows");
        }
        System.out.printf("fresh %.3f, copies %.3f; spread averaged %.4f, one sample %.4f%n", fresh, copied,
                sd(averaged), sd(single));
        assertEquals(0.5, fresh, 0.03);
        assertEquals(0.625, copied, 0.03);
        assertTrue(sd(averaged) < 0.75 * sd(single), "averaged " + sd(averaged) + ", one sample " + sd(single));
    }

    static double sd(List<Double> v) {
        double m = v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return Math.sqrt(v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (v.size() - 1));
    }
}
