package io.ganstream.engine.impute;

import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.train.ReplayBuffer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DatasetTrainerTest {
    static final GainConfig CFG = GainConfig.defaults().withSeed(3).withSteps(32, 5);

    @Test
    void dropsWindowsWhenQueueFullWithoutBlocking() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TrainerListener blocking = (ds, m, s) -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        double[][] rows = GainTestData.mask(GainTestData.complete(100, 1), 0.2, 0, 2);
        List<double[]> window = List.of(rows);
        try (DatasetTrainer t = new DatasetTrainer("d", GainTestData.SPEC, CFG.withQueueCapacity(2), blocking)) {
            assertTrue(t.offerWindow(window));
            assertTrue(entered.await(10, TimeUnit.SECONDS)); // thread busy in the listener
            assertTrue(t.offerWindow(window));
            assertTrue(t.offerWindow(window));
            long start = System.nanoTime();
            int refused = 0;
            for (int i = 0; i < 50; i++) {
                if (!t.offerWindow(window)) {
                    refused++;
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(50, refused);
            assertEquals(50, t.droppedWindows());
            assertEquals(50, t.stats().windowsDropped());
            // A blocking offer would wait for the release below forever; 10 s only keeps a loaded box from flaking.
            assertTrue(ms < 10_000, "offerWindow blocked? " + ms + " ms");
            release.countDown();
            assertTrue(t.awaitIdle(30_000));
            assertEquals(3, t.stats().windowsTrained());
            assertEquals(3, t.latestModel().versionNumber());
        }
    }

    @Test
    void versionIncrementsAndStatsArePublished() throws Exception {
        List<TrainingStats> seen = new CopyOnWriteArrayList<>();
        List<GainModel> models = new CopyOnWriteArrayList<>();
        double[][] rows = GainTestData.mask(GainTestData.complete(600, 1), 0.2, 0, 2);
        try (DatasetTrainer t = new DatasetTrainer("d", GainTestData.SPEC, CFG.withQueueCapacity(16),
                (ds, m, s) -> {
                    assertEquals("d", ds);
                    models.add(m);
                    seen.add(s);
                })) {
            for (List<double[]> w : GainTestData.windows(rows, 200)) {
                assertTrue(t.offerWindow(w));
            }
            assertTrue(t.awaitIdle(30_000));
        }
        assertEquals(3, models.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, models.get(i).versionNumber());
            assertEquals("gain-" + (i + 1), models.get(i).version());
            assertEquals((i + 1) * 5L, seen.get(i).stepsTotal());
            assertEquals(i + 1, seen.get(i).windowsTrained());
        }
        TrainingStats last = seen.get(2);
        assertTrue(last.heldOutRows() > 0 && last.heldOutCells() > 0);
        assertTrue(Double.isFinite(last.heldOutRmseModel()) && Double.isFinite(last.heldOutRmseMean()));
        assertTrue(Double.isFinite(last.lastGeneratorLoss()) && Double.isFinite(last.lastDiscriminatorLoss()));
        assertTrue(last.lastWindowTrainMillis() > 0);
    }

    @Test
    void offeredRowsAreCopied() throws Exception {
        double[][] rows = GainTestData.mask(GainTestData.complete(50, 1), 0.3, 0, 2);
        double[][] orig = GainEval.copy(rows);
        try (DatasetTrainer t = new DatasetTrainer("d", GainTestData.SPEC, CFG, null)) {
            assertTrue(t.offerWindow(List.of(rows)));
            for (double[] r : rows) {
                java.util.Arrays.fill(r, 1e9); // caller reuses its arrays
            }
            assertTrue(t.awaitIdle(30_000));
            double[][] probe = GainEval.copy(orig);
            t.latestModel().imputeInPlace(probe);
            for (double[] r : probe) {
                assertTrue(Math.abs(r[0]) < 1e6, "trained on caller-mutated rows");
            }
        }
    }

    @Test
    void checkpointRestoresIdenticalModel() throws Exception {
        double[][] rows = GainTestData.mask(GainTestData.complete(300, 1), 0.2, 0, 2);
        byte[] state;
        GainModel before;
        DatasetTrainer t = new DatasetTrainer("d", GainTestData.SPEC, CFG, null);
        assertTrue(t.offerWindow(List.of(rows)));
        assertTrue(t.awaitIdle(30_000));
        t.close();
        state = t.checkpoint();
        before = t.latestModel();
        try (DatasetTrainer r = DatasetTrainer.restore("d", GainTestData.SPEC, CFG, null, state)) {
            GainModel after = r.latestModel();
            assertNotNull(after);
            assertEquals(before.versionNumber(), after.versionNumber());
            assertArrayEquals(before.generatorParams(), after.generatorParams(), 0.0);
            assertTrue(r.offerWindow(List.of(rows)));
            assertTrue(r.awaitIdle(30_000));
            assertEquals(before.versionNumber() + 1, r.latestModel().versionNumber());
        }
    }

    @Test
    void closeStopsThreadAndRefusesWindows() {
        DatasetTrainer t = new DatasetTrainer("d", GainTestData.SPEC, CFG, null);
        t.close();
        t.close();
        assertFalse(t.offerWindow(List.of(GainTestData.SPEC.emptyRow())));
        assertEquals(1, t.droppedWindows());
    }

    @Test
    void replayBufferIsBoundedAndSeeded() {
        ReplayBuffer a = new ReplayBuffer(100, 0.25, 5);
        ReplayBuffer b = new ReplayBuffer(100, 0.25, 5);
        for (int i = 0; i < 10_000; i++) {
            double[] row = {i};
            a.add(row);
            b.add(row);
        }
        assertEquals(10_000, a.seen());
        assertTrue(a.size() <= 100);
        double[][] sa = a.sample(64);
        double[][] sb = b.sample(64);
        int recent = 0;
        double sum = 0;
        for (int i = 0; i < 64; i++) {
            assertEquals(sa[i][0], sb[i][0], 0.0);
            if (sa[i][0] >= 10_000 - 25) {
                recent++;
            }
            sum += sa[i][0];
        }
        assertTrue(recent > 0, "recent rows sampled");
        assertTrue(sum / 64 < 9_000, "reservoir covers old rows too");
    }

    @Test
    void encoderRoundTripAndStatsSerialization() {
        ColumnStats st = new ColumnStats(GainTestData.SPEC);
        double[][] rows = GainTestData.complete(100, 4);
        for (double[] r : rows) {
            st.observe(r);
        }
        Encoder e = st.snapshot();
        assertEquals(4 + 3, e.dims());
        double[] x = new double[e.dims()];
        double[] m = new double[e.dims()];
        e.encode(rows[0], x, m);
        for (int d = 0; d < e.dims(); d++) {
            assertEquals(1.0, m[d]);
            assertTrue(x[d] >= 0 && x[d] <= 1);
        }
        double[] back = GainTestData.SPEC.emptyRow();
        e.fillMissing(back, x);
        assertArrayEquals(rows[0], back, 1e-9);
        Encoder e2 = ColumnStats.fromBytes(GainTestData.SPEC, st.toBytes()).snapshot();
        double[] x2 = new double[e.dims()];
        e2.encode(rows[0], x2, m);
        assertArrayEquals(x, x2, 0.0);
    }
}
