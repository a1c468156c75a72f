package io.ganstream.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    private static double shareOfOnes(ReplayBuffer buffer, int draws) {
        return shareOfOnes(buffer.sample(draws));
    }

    private static double shareOfOnes(double[][] rows) {
        int ones = 0;
        for (double[] row : rows) {
            ones += row[0] == 1 ? 1 : 0;
        }
        return (double) ones / rows.length;
    }

    private static void add(ReplayBuffer buffer, int rows, double value) {
        for (int i = 0; i < rows; i++) {
            buffer.add(new double[] {value});
        }
    }

    /** A ring of 100 and a reservoir of 300: {@code old} zeros, the reservoir set aside, then {@code ones} ones. */
    private static ReplayBuffer setAsideAfter(int old, int ones) {
        ReplayBuffer buffer = new ReplayBuffer(400, 0.25, 3);
        add(buffer, old, 0);
        buffer.setAsideReservoir();
        add(buffer, ones, 1);
        return buffer;
    }

    @Test
    void shouldSampleOnlyRowsAddedSinceItsReservoirWasSetAsideAndForgetThemWhenDropped() {
        ReplayBuffer buffer = new ReplayBuffer(400, 0.25, 3); // a ring of 100 recent rows, a reservoir of 300
        add(buffer, 1000, 0);
        add(buffer, 50, 1);
        assertTrue(shareOfOnes(buffer, 20_000) < 0.2, "the reservoir holds the whole history: mostly old rows");
        buffer.setAsideReservoir();
        assertEquals(1050, buffer.seen(), "rows ever added");
        assertEquals(100, buffer.size(), "the recent ring alone");
        assertEquals(0.5, shareOfOnes(buffer, 20_000), 0.02, "only the recent ring: half old, half new");
        add(buffer, 50, 1);
        // the reservoir holds the 50 new rows, the ring is all new rows now
        assertEquals(1.0, shareOfOnes(buffer, 20_000), 1e-9);
        buffer.dropSetAside();
        buffer.restoreReservoir();
        assertEquals(1.0, shareOfOnes(buffer, 20_000), 1e-9, "dropped: nothing to restore");
        for (int i = 0; i < 1000; i++) {
            buffer.add(new double[] {i % 2});
        }
        assertEquals(400, buffer.size());
        // 1,050 rows since it was set aside, 550 of them ones: a uniform reservoir of them holds about 52% ones
        assertEquals(550.0 / 1050, shareOfOnes(buffer.rows(300)), 0.1);
    }

    @Test
    void shouldTakeTheReservoirBackWithTheRowsAddedMeanwhile() {
        ReplayBuffer buffer = setAsideAfter(1000, 50);
        buffer.restoreReservoir();
        assertEquals(400, buffer.size());
        // as if never set aside: 300 of 1,050 rows, about 14 of them ones
        double share = shareOfOnes(buffer.rows(300));
        assertTrue(share > 0.01 && share < 0.12, "the reservoir samples old and new rows: " + share);
        buffer.restoreReservoir();
        assertEquals(share, shareOfOnes(buffer.rows(300)), "a second restore changes nothing");
    }

    @Test
    void shouldTakeRowsFromTheRecentRingWhileItsReservoirHoldsFewer() {
        ReplayBuffer buffer = setAsideAfter(500, 10);
        assertEquals(100, buffer.rows(300).length, "the 100 recent rows, not the reservoir's 10");
        double[][] few = buffer.rows(5);
        assertEquals(5, few.length);
        assertEquals(1.0, shareOfOnes(few), "five of the reservoir's rows, all added since it was set aside");
    }
}
