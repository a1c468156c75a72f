package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.quality.Normal;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MeanRakingTest {
    @Test
    void ranksTiesTogetherAtTheirMidRankAndReadsOnlyTheFirstValues() {
        double[] values = {3.0, 1.0, 2.0, 2.0, 5.0, -7.0};
        double[] out = new double[5];
        MeanRaking.rankScores(values, 5, out, MeanRaking.halfRankScores(5));
        // among 3, 1, 2, 2, 5: 1 is first, the two 2s share places 2 and 3, then 3, then 5
        double[] expected = {Normal.inverseCdf(3.5 / 5), Normal.inverseCdf(0.5 / 5), Normal.inverseCdf(2.0 / 5),
                Normal.inverseCdf(2.0 / 5), Normal.inverseCdf(4.5 / 5)};
        assertArrayEquals(expected, out, 1e-12);
        assertEquals(0, out[3] - out[2]);
    }

    @Test
    void ranksAsTheirPlacesAmongEachOtherSayOnNegativeZeroTiedAndHugeValues() {
        Random r = new Random(3);
        for (int rep = 0; rep < 100; rep++) {
            int n = 1 + r.nextInt(300);
            double[] values = new double[n + 3];
            for (int i = 0; i < values.length; i++) {
                int kind = r.nextInt(4);
                values[i] = kind == 0 ? (r.nextBoolean() ? 0.0 : -0.0) : kind == 1 ? r.nextInt(5) - 2.5
                        : kind == 2 ? r.nextGaussian() * 1e300 : r.nextGaussian();
            }
            double[] halfRanks = MeanRaking.halfRankScores(n);
            double[] out = new double[n];
            MeanRaking.rankScores(values, n, out, halfRanks);
            for (int i = 0; i < n; i++) {
                int below = 0;
                int tied = 0;
                for (int j = 0; j < n; j++) {
                    below += values[j] < values[i] ? 1 : 0;
                    tied += values[j] == values[i] ? 1 : 0;
                }
                // places below .. below + tied - 1 shared: their mid-rank, as twice it indexes the table
                assertEquals(halfRanks[2 * below + tied - 1], out[i], 0.0, "value " + values[i]);
            }
        }
    }

    @Test
    void movesEachClassByItsOwnGapAndNoMoreWhenTheColumnsTargetsDisagreeOnTheOverallMean() {
        // two numeric columns; "a" (2 classes, 0.6 apart in x) and "b" (3 classes, one of 12 rows: not shifted,
        // 0.4 apart in y); shrunk toward the generator's, the classes' means imply different overall means per
        // column, which matched as levels drifted the shifts apart round after round
        TableSpec spec = new TableSpec(List.of(Column.continuous("x", Double.NaN, Double.NaN),
                Column.continuous("y", Double.NaN, Double.NaN), Column.categorical("a", List.of("p", "q")),
                Column.categorical("b", List.of("r", "s", "t"))));
        Random random = new Random(5);
        int real = 600;
        double[][] rows = new double[real][];
        double[][] realZ = new double[real][];
        for (int i = 0; i < real; i++) {
            int a = random.nextInt(2);
            int b = i < 12 ? 2 : random.nextInt(2);
            rows[i] = new double[] {0, 0, a, b};
            realZ[i] = new double[] {0.6 * a + random.nextGaussian(), 0.4 * b + random.nextGaussian()};
        }
        int n = 4000;
        double[][] generated = new double[n][];
        double[][] scores = new double[2][n];
        for (int i = 0; i < n; i++) {
            generated[i] = new double[] {0, 0, random.nextInt(2), i % 100 == 0 ? 2 : random.nextInt(2)};
            scores[0][i] = random.nextGaussian();
            scores[1][i] = random.nextGaussian();
        }
        double[][] before = {scores[0].clone(), scores[1].clone()};
        MeanRaking raking = MeanRaking.fitAndShift(spec, new int[] {0, 1}, rows, real, realZ, generated, n, scores);
        assertEquals(4, raking.categories(), "the 12-row class keeps the generator's means");
        double largest = 0;
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < n; i++) {
                largest = Math.max(largest, Math.abs(scores[p][i] - before[p][i]));
            }
        }
        assertTrue(largest < 0.6, "a row moved by " + largest);
        // x: class q of "a" about 0.6 above p (shrunk by 30 of ~300 rows), on the generated rows' ranks
        double[] ranks = new double[n];
        MeanRaking.rankScores(scores[0], n, ranks, MeanRaking.halfRankScores(n));
        double[] sum = new double[2];
        int[] count = new int[2];
        for (int i = 0; i < n; i++) {
            sum[(int) generated[i][2]] += ranks[i];
            count[(int) generated[i][2]]++;
        }
        assertEquals(0.6, sum[1] / count[1] - sum[0] / count[0], 0.15);
    }
}
