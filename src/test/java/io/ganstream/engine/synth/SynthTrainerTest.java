package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SynthTrainerTest {
    private static SynthConfig small() {
        return SynthTestData.testConfig().withSteps(50, 5, 5).withQueueCapacity(2);
    }

    /** Feeds 300 rows as three windows of 100 and waits until they are trained. */
    private static void trainThreeWindows(SynthTrainer t, List<double[]> rows) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            while (!t.offerWindow(rows.subList(i * 100, i * 100 + 100))) {
                Thread.sleep(5);
            }
        }
        assertTrue(t.awaitIdle(30_000));
    }

    @Test
    void publishesVersionsWithStatsAndRestores() throws Exception {
        List<SynthStats> seen = new ArrayList<>();
        byte[][] ckpt = new byte[1][];
        SynthTrainer t = new SynthTrainer("ds", SynthTestData.SPEC, small(), (d, m, s) -> {
            seen.add(s);
        });
        assertNull(t.latestModel());
        List<double[]> rows = SynthTestData.rows(300, 4, 0.05);
        trainThreeWindows(t, rows);
        t.close();
        t.close();
        assertEquals(3, seen.size());
        assertEquals(List.of(1L, 2L, 3L), seen.stream().map(SynthStats::version).toList());
        SynthStats st = t.stats();
        assertEquals(15, st.stepsTotal());
        assertEquals(300, st.rowsSeen());
        assertFalse(Double.isNaN(st.lastGeneratorLoss()));
        assertFalse(t.offerWindow(rows));
        byte[] bytes = t.checkpoint();
        SynthTrainer back = SynthTrainer.restore("ds", SynthTestData.SPEC, small(), null, bytes);
        assertNotNull(back.latestModel());
        assertEquals(3, back.stats().version());
        assertArrayEquals(t.latestModel().sample(100, 3), back.latestModel().sample(100, 3));
        back.offerWindow(rows.subList(0, 100));
        assertTrue(back.awaitIdle(30_000));
        assertEquals(4, back.latestModel().versionNumber());
        assertEquals(20, back.stats().stepsTotal());
        back.close();
    }

    @Test
    void offerNeverBlocksAndCountsDrops() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SynthTrainer t = new SynthTrainer("ds", SynthTestData.SPEC, small(), (d, m, s) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<double[]> rows = SynthTestData.rows(50, 5, 0);
        long t0 = System.nanoTime();
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            if (!t.offerWindow(rows)) {
                refused++;
            }
        }
        // A blocking offer would wait for the release below forever; 10 s only keeps a loaded box from flaking.
        assertTrue((System.nanoTime() - t0) / 1e6 < 10_000);
        assertTrue(refused >= 30, "refused " + refused);
        assertEquals(refused, t.droppedWindows());
        release.countDown();
        t.close();
    }

    @Test
    void rowsAreCopiedOnOffer() throws Exception {
        SynthTrainer t = new SynthTrainer("ds", SynthTestData.SPEC, small(), null);
        List<double[]> rows = SynthTestData.rows(60, 6, 0);
        t.offerWindow(rows);
        for (double[] r : rows) {
            java.util.Arrays.fill(r, Double.NaN);
        }
        assertTrue(t.awaitIdle(30_000));
        assertEquals(60, t.stats().rowsSeen());
        double[][] syn = t.latestModel().sample(50, 1);
        for (double[] r : syn) {
            assertFalse(Double.isNaN(r[1]));
        }
        t.close();
    }

    @Test
    void aSamplingStateServesTheSameSamplesAndResumesWarm() throws Exception {
        SynthTrainer t = new SynthTrainer("ds", SynthTestData.SPEC, small(), null);
        List<double[]> rows = SynthTestData.rows(300, 4, 0.05);
        trainThreeWindows(t, rows);
        t.close();
        byte[] whole = t.checkpoint();
        byte[] serving = t.checkpoint(true);
        assertTrue(serving.length < whole.length / 3, serving.length + " of " + whole.length + " bytes");

        double[][] expected = t.latestModel().sample(100, 3);
        SynthModel served = SynthTrainer.modelFrom(SynthTestData.SPEC, small(), serving);
        assertEquals(3, served.versionNumber());
        assertArrayEquals(expected, served.sample(100, 3), "what every instance serves");

        SynthTrainer warm = SynthTrainer.restore("ds", SynthTestData.SPEC, small(), null, serving);
        assertArrayEquals(expected, warm.latestModel().sample(100, 3), "what the new owner serves at once");
        assertEquals(300, warm.stats().rowsSeen());
        assertTrue(warm.offerWindow(rows.subList(0, 100)));
        assertTrue(warm.awaitIdle(30_000));
        assertEquals(4, warm.latestModel().versionNumber(), "versions go on");
        assertEquals(5, warm.stats().stepsTotal(), "steps (Adam, EMA warm-up) start over with fresh moments");
        for (double[] r : warm.latestModel().sample(50, 4)) {
            for (double v : r) {
                assertFalse(Double.isNaN(v));
            }
        }
        warm.close();
    }
}
