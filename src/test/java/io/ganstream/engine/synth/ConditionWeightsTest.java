package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConditionWeightsTest {
    private static final TableSpec SPEC = new TableSpec(List.of(Column.categorical("a", List.of("x", "y", "z")),
            Column.categorical("b", List.of("p", "q"))));

    /** Observed: a at 60/30/10, b at 20/80. */
    private static SynthLayout layout(long[][] counts) {
        return new SynthLayout(SPEC, 1, new ModeMixture[2], new double[2], new double[2], counts, new int[2]);
    }

    /**
     * A generator whose rows for a's categories carry b at 90/10, 50/50, 10/90, and whose rows for b's carry a at
     * 80/15/5 whatever b is: on its own (a column uniformly, its category at its frequency) it gives p far too
     * often and x too often.
     */
    private static double[][] rows(int c, int k, int n, long seed) {
        double[][] mean = new double[2][];
        if (c == 0) {
            mean[0] = new double[3];
            mean[0][k] = 1;
            mean[1] = new double[][] {{0.9, 0.1}, {0.5, 0.5}, {0.1, 0.9}}[k];
        } else {
            mean[0] = new double[] {0.8, 0.15, 0.05};
            mean[1] = new double[2];
            mean[1][k] = 1;
        }
        return mean;
    }

    private static double[][] marginals(ConditionWeights weights, SynthLayout layout) {
        double[][] share = {new double[3], new double[2]};
        for (int c = 0; c < 2; c++) {
            for (int k = 0; k < layout.outWidth[c]; k++) {
                double w = weights.weight(c, k);
                double[][] m = rows(c, k, 1, 0);
                for (int j = 0; j < 2; j++) {
                    for (int q = 0; q < m[j].length; q++) {
                        share[j][q] += w * m[j][q];
                    }
                }
            }
        }
        return share;
    }

    @Test
    void shouldGenerateEachConditionAsOftenAsTheObservedFrequenciesNeed() {
        SynthLayout layout = layout(new long[][] {{600, 300, 100}, {200, 800}});
        ConditionWeights weights = ConditionWeights.fit(layout, ConditionWeightsTest::rows, 1);
        double[][] share = marginals(weights, layout);
        assertEquals(0.6, share[0][0], 0.01);
        assertEquals(0.3, share[0][1], 0.01);
        assertEquals(0.1, share[0][2], 0.01);
        assertEquals(0.2, share[1][0], 0.01);
        assertEquals(0.8, share[1][1], 0.01);
        // and drawing follows the weights
        SplittableRandom rng = new SplittableRandom(3);
        int[] drawn = new int[2];
        int qRows = 0;
        for (int i = 0; i < 20_000; i++) {
            weights.draw(rng, drawn);
            qRows += drawn[0] == 1 && drawn[1] == 1 ? 1 : 0;
        }
        assertEquals(weights.weight(1, 1), qRows / 20_000.0, 0.01);
    }

    /** A rare class the softmax never gives is made up by rows generated for it, not by relabelling others. */
    @Test
    void aRareClassComesFromRowsGeneratedForIt() {
        SynthLayout layout = layout(new long[][] {{500, 450, 50}, {500, 500}});
        ConditionWeights weights = ConditionWeights.fit(layout, (c, k, n, seed) -> {
            double[][] mean = new double[2][];
            mean[0] = c == 0 ? new double[3] : new double[] {0.5, 0.5, 0};
            mean[1] = c == 1 ? new double[2] : new double[] {0.5, 0.5};
            mean[c][k] = 1;
            return mean;
        }, 1);
        assertEquals(0.05, weights.weight(0, 2), 0.002, "z's rows are all rows generated for z");
        assertEquals(1.0, weights.weight(0, 0) + weights.weight(0, 1) + weights.weight(0, 2)
                + weights.weight(1, 0) + weights.weight(1, 1), 1e-9);
    }

    @Test
    void shouldNotFitWithOneCategoricalColumn() {
        TableSpec spec = new TableSpec(List.of(Column.continuous("x", Double.NaN, Double.NaN),
                Column.categorical("label", List.of("a", "b"))));
        long[][] counts = {null, {5, 5}};
        ModeMixture[] mixtures = {new ModeMixture(1), null};
        SynthLayout layout = new SynthLayout(spec, 1, mixtures, new double[2], new double[2], counts, new int[2]);
        assertNull(ConditionWeights.fit(layout, (c, k, n, seed) -> {
            throw new AssertionError("nothing to fit");
        }, 1));
    }

    @Test
    void shouldReadWhatItWroteAndCheckItAgainstTheGenerator() throws Exception {
        SynthLayout layout = layout(new long[][] {{600, 300, 100}, {200, 800}});
        ConditionWeights weights = ConditionWeights.fit(layout, ConditionWeightsTest::rows, 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        weights.write(new DataOutputStream(bytes));
        ConditionWeights read = ConditionWeights.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(read.fits(layout));
        assertEquals(weights.weight(0, 2), read.weight(0, 2), 0.0);
        TableSpec narrower = new TableSpec(List.of(Column.categorical("a", List.of("x", "y")),
                Column.categorical("b", List.of("p", "q"))));
        SynthLayout other = new SynthLayout(narrower, 1, new ModeMixture[2], new double[2], new double[2],
                new long[][] {{1, 1}, {1, 1}}, new int[2]);
        assertFalse(read.fits(other), "a category the generator does not have");
    }
}
