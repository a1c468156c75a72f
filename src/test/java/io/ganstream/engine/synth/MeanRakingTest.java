package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ganstream.engine.quality.Normal;
import org.junit.jupiter.api.Test;

class MeanRakingTest {
    @Test
    void ranksTiesTogetherAtTheirMidRankAndReadsOnlyTheFirstValues() {
        double[] values = {3.0, 1.0, 2.0, 2.0, 5.0, -7.0};
        double[] out = new double[5];
        MeanRaking.rankScores(values, 5, out);
        // among 3, 1, 2, 2, 5: 1 is first, the two 2s share places 2 and 3, then 3, then 5
        double[] expected = {Normal.inverseCdf(3.5 / 5), Normal.inverseCdf(0.5 / 5), Normal.inverseCdf(2.0 / 5),
                Normal.inverseCdf(2.0 / 5), Normal.inverseCdf(4.5 / 5)};
        assertArrayEquals(expected, out, 1e-12);
        assertEquals(0, out[3] - out[2]);
    }
}
