package io.ganstream.engine.train;

import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.impute.GainTestData;
import io.ganstream.engine.synth.SynthLearner;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.engine.synth.SynthTestData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one trainer's schedule: every row kept, converge and rest, wake on rows and on drift, within a budget. */
class TrainerTest {
    /** Small numbers so that a schedule plays out in well under a second of steps. */
    private static final TrainerSettings FAST = new TrainerSettings(100, 200, 10, 50, 200, 0.001, 500, 100_000,
            0.25, 1.25, 50, 0, 3.0);
    /**
     * {@link #FAST} for the drift tests, which offer 1,000 rows and then count on the bar for waking by number that
     * a convergence on all of them sets: learning waits for all 1,000 (and no quiet spell starts it sooner), so
     * a test thread paused while offering cannot make it converge on fewer rows, whose lower bar the shifted rows
     * then reach before drift is checked.
     */
    private static final TrainerSettings DRIFT = new TrainerSettings(1000, 30_000, 10, 50, 200, 0.001, 500, 100_000,
            0.25, 1.25, 50, 0, 3.0);

    /**
     * A learner whose measure improves with steps until {@code plateau} steps, then stays; its newest rows measure
     * twice as badly once their first cell moved above 50 (a shifted distribution).
     */
    static class FakeLearner implements Learner<Long> {
        final AtomicLong added = new AtomicLong();
        final AtomicLong stepCount = new AtomicLong();
        final AtomicInteger favourOn = new AtomicInteger();
        final AtomicInteger forgot = new AtomicInteger();
        final List<double[]> buffer = new ArrayList<>();
        /** The newest 100 rows' first values, by arrival (ring). */
        final double[] last = new double[100];
        final long plateau;
        final long stepNanos;
        final CountDownLatch gate;
        final AtomicInteger concurrent;
        final AtomicInteger maxConcurrent;
        long version;
        int held;

        FakeLearner(long plateau, long stepNanos, CountDownLatch gate, AtomicInteger concurrent,
                    AtomicInteger maxConcurrent) {
            this.plateau = plateau;
            this.stepNanos = stepNanos;
            this.gate = gate;
            this.concurrent = concurrent;
            this.maxConcurrent = maxConcurrent;
        }

        FakeLearner(long plateau) {
            this(plateau, 0, null, new AtomicInteger(), new AtomicInteger());
        }

        @Override
        public void add(double[] row) {
            last[(int) (added.getAndIncrement() % last.length)] = row[0];
            if (buffer.size() < 1000) {
                buffer.add(row);
            }
            held = Math.min(held + 1, 100);
        }

        @Override
        public boolean ready() {
            return added.get() > 0;
        }

        @Override
        public void step(int steps) {
            try {
                if (gate != null) {
                    gate.await();
                }
                int now = concurrent.incrementAndGet();
                maxConcurrent.accumulateAndGet(now, Math::max);
                if (stepNanos > 0) {
                    TimeUnit.NANOSECONDS.sleep(stepNanos * steps);
                }
                concurrent.decrementAndGet();
            } catch (InterruptedException e) {
                concurrent.decrementAndGet();
                Thread.currentThread().interrupt();
            }
            stepCount.addAndGet(steps);
        }

        @Override
        public Long snapshot() {
            return ++version;
        }

        @Override
        public double evaluate(Long model) {
            return 1.0 / (1 + Math.min(stepCount.get(), plateau) / 100.0);
        }

        /** The first values of the 50 rows that arrived {@code skip} rows before the newest. */
        double[] window(int skip) {
            double[] w = new double[50];
            long n = added.get();
            for (int i = 0; i < w.length; i++) {
                w[i] = n - 1 - skip - i < 0 ? 0 : last[(int) ((n - 1 - skip - i) % last.length)];
            }
            return w;
        }

        static double mean(double[] values) {
            double mean = 0;
            for (double v : values) {
                mean += v / values.length;
            }
            return mean;
        }

        @Override
        public double evaluateRecent(Long model) {
            return evaluate(model) * (mean(window(0)) > 50 ? 2 : 1);
        }

        @Override
        public void favourRecent(boolean on) {
            if (on) {
                favourOn.incrementAndGet();
            }
        }

        @Override
        public void forgetOlderRows() {
            forgot.incrementAndGet();
        }

        @Override
        public double[] figures() {
            return new double[0];
        }

        @Override
        public double[] losses() {
            return new double[] {0, 0, 0};
        }

        @Override
        public int batchSize() {
            return 1;
        }

        @Override
        public long version() {
            return version;
        }

        @Override
        public long steps() {
            return stepCount.get();
        }

        @Override
        public long rowsSeen() {
            return added.get();
        }

        @Override
        public int rowsInBuffer() {
            return buffer.size();
        }

        @Override
        public int heldOutRows() {
            return held;
        }

        @Override
        public double evaluatePrevious(Long model) {
            return evaluate(model) * (mean(window(50)) > 50 ? 2 : 1);
        }

        @Override
        public byte[] checkpoint() {
            return new byte[0];
        }
    }

    private static double[] row(double v) {
        return new double[] {v, 1};
    }

    @Test
    void shouldKeepEveryRowOfABackfillFedFasterThanItSteps() throws Exception {
        FakeLearner learner = new FakeLearner(400, TimeUnit.MICROSECONDS.toNanos(200), null, new AtomicInteger(),
                new AtomicInteger());
        try (Trainer<Long> trainer = new Trainer<>("t", learner, FAST, null, null, null)) {
            for (int i = 0; i < 20_000; i++) {
                assertTrue(trainer.offer(row(i % 7)));
            }
            assertTrue(trainer.awaitConverged(60_000));
            TrainerStatus s = trainer.status();
            assertEquals(20_000, s.rowsOffered());
            assertEquals(20_000, learner.added.get(), "every row reached the learner");
            assertEquals(0, s.rowsPending());
            assertEquals(TrainerState.CONVERGED, s.state());
        }
    }

    @Test
    void shouldSampleAnOverflowingInboxUniformlyAndCountWhatItLetGo() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        FakeLearner learner = new FakeLearner(100, 0, gate, new AtomicInteger(), new AtomicInteger());
        try (Trainer<Long> trainer = new Trainer<>("t", learner, FAST.withQuiet(0), null, null, null)) {
            trainer.offer(row(0));
            Thread.sleep(300); // the first row is taken, learning starts and blocks on the gate
            int total = 120_000;
            for (int i = 1; i < total; i++) {
                trainer.offer(row(i));
            }
            gate.countDown();
            assertTrue(trainer.awaitConverged(60_000));
            TrainerStatus s = trainer.status();
            assertEquals(total, s.rowsOffered());
            assertTrue(learner.added.get() < total, "a held-up thread finds more rows than its inbox holds");
            assertTrue(learner.added.get() >= 50_000, learner.added.get() + " rows taken");
            assertTrue(s.rowsSampledOut() >= total - learner.added.get(),
                    "rows that never reached the learner are counted as sampled out: " + s);
        }
    }

    @Test
    void shouldConvergeThenRestWithoutStepsUntilNewRowsWakeIt() throws Exception {
        FakeLearner learner = new FakeLearner(300);
        List<TrainerStatus> published = new ArrayList<>();
        try (Trainer<Long> trainer = new Trainer<>("t", learner, FAST, null,
                (m, s) -> published.add(s), null)) {
            assertEquals(TrainerState.WAITING, trainer.state());
            for (int i = 0; i < 400; i++) {
                trainer.offer(row(0));
            }
            assertTrue(trainer.awaitConverged(30_000));
            long wakes = trainer.status().wakes(); // 1 when it converged before taking the last backfill rows
            long steps = learner.steps();
            assertTrue(steps >= 300 + FAST.patienceSteps(), "it learned until the measure stopped improving");
            Thread.sleep(500);
            assertEquals(steps, learner.steps(), "no step after convergence without new rows");
            assertEquals(TrainerState.CONVERGED, published.get(published.size() - 1).state(),
                    "the converged version is published");

            for (int i = 0; i < 150; i++) { // 0.25 x 400 rows wake it
                trainer.offer(row(0));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (trainer.status().wakes() == wakes && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(wakes + 1, trainer.status().wakes());
            assertTrue(trainer.awaitConverged(30_000));
            assertTrue(learner.steps() > steps, "it learned from the new rows");
            assertEquals(0, trainer.status().driftWakes());
        }
    }

    @Test
    void shouldNotConvergeBeforeTheLearnersMinimumStepsHoweverEarlyItsMeasureStops() throws Exception {
        FakeLearner learner = new FakeLearner(0) { // its measure never improves
            @Override
            public long minimumSteps() {
                return 5_000;
            }
        };
        try (Trainer<Long> trainer = new Trainer<>("t", learner, FAST, null, null, null)) {
            for (int i = 0; i < 400; i++) {
                trainer.offer(row(0));
            }
            assertTrue(trainer.awaitConverged(30_000));
            assertTrue(learner.steps() >= 5_000, "stopped after " + learner.steps() + " steps");
            // then at the next measurement; once more after a patience when the last backfill rows woke it
            long bound = 5_000 + 2L * FAST.evalEverySteps() + trainer.status().wakes() * FAST.patienceSteps();
            assertTrue(learner.steps() < bound, learner.steps() + " steps, " + trainer.status().wakes() + " wakes");
        }
        FakeLearner plain = new FakeLearner(0);
        try (Trainer<Long> trainer = new Trainer<>("t", plain, FAST, null, null, null)) {
            for (int i = 0; i < 400; i++) {
                trainer.offer(row(0));
            }
            assertTrue(trainer.awaitConverged(30_000));
            assertTrue(plain.steps() < 5_000, "without a minimum: patience alone, " + plain.steps() + " steps");
        }
    }

    @Test
    void shouldPublishAndMeasureTheModelTheLearnerCompletesWhenItConverges() throws Exception {
        AtomicInteger completions = new AtomicInteger();
        FakeLearner learner = new FakeLearner(300) {
            @Override
            public Long complete(Long model) {
                completions.incrementAndGet();
                return -model; // a completed version: measured at half the plain one's level
            }

            @Override
            public double evaluate(Long model) {
                return model < 0 ? super.evaluate(-model) / 2 : super.evaluate(model);
            }
        };
        List<Long> published = new ArrayList<>();
        try (Trainer<Long> trainer = new Trainer<>("t", learner, FAST, null, (m, s) -> published.add(m), null)) {
            for (int i = 0; i < 400; i++) {
                trainer.offer(row(0));
            }
            assertTrue(trainer.awaitConverged(30_000));
            // once each time it converged: the backfill may wake it once when it converged before the trainer had
            // taken the last of those rows (a loaded machine)
            assertEquals(1 + trainer.status().wakes(), completions.get(), "completed once each time it converged");
            long last = published.get(published.size() - 1);
            assertTrue(last < 0, "the completed model is published: " + last);
            assertEquals(last, trainer.latestModel());
            assertEquals(learner.evaluate(last), trainer.status().convergedMeasure(), 1e-12,
                    "drift is judged against the completed model's level");
        }
    }

    @Test
    void shouldNotWakeWhenRowsItHasSeenAreSentAgain() throws Exception {
        FakeLearner learner = new FakeLearner(300) {
            final java.util.Set<Double> seen = new java.util.HashSet<>();
            long novel;

            @Override
            public void add(double[] row) {
                super.add(row);
                if (seen.add(row[0])) {
                    novel++;
                }
            }

            @Override
            public long novelRows() {
                return novel;
            }
        };
        try (Trainer<Long> trainer = new Trainer<>("t", learner, FAST, null, null, null)) {
            for (int i = 0; i < 400; i++) {
                trainer.offer(row(i / 100.0)); // distinct, and small: no drift
            }
            assertTrue(trainer.awaitConverged(30_000));
            // the first backfill itself may wake it once: when it converged before the trainer had taken the last
            // of those rows (a loaded machine), they arrive as new rows
            long wakes = trainer.status().wakes();
            long steps = learner.steps();
            for (int i = 0; i < 400; i++) { // the same backfill again
                trainer.offer(row(i / 100.0)); // distinct, and small: no drift
            }
            assertTrue(trainer.awaitConverged(30_000));
            Thread.sleep(300);
            assertEquals(wakes, trainer.status().wakes(), "rows it had seen do not wake it");
            assertEquals(steps, learner.steps(), "nor retrain it");
            for (int i = 400; i < 550; i++) { // 150 new rows (25% of 400 wake it)
                trainer.offer(row(i / 100.0)); // distinct, and small: no drift
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (trainer.status().wakes() == wakes && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(wakes + 1, trainer.status().wakes(), "new rows do");
        }
    }

    @Test
    void shouldStartOnASmallTableOnceTheStreamIsQuiet() throws Exception {
        FakeLearner learner = new FakeLearner(100);
        try (Trainer<Long> trainer = new Trainer<>("t", learner, FAST, null, null, null)) {
            for (int i = 0; i < 30; i++) { // fewer than minRows
                trainer.offer(row(0));
            }
            assertTrue(trainer.awaitConverged(30_000));
            assertNotNull(trainer.latestModel());
        }
    }

    @Test
    void shouldWakeOnDriftAndFavourRecentRows() throws Exception {
        FakeLearner learner = new FakeLearner(200);
        double[] maxDrift = {0};
        try (Trainer<Long> trainer = new Trainer<>("t", learner, DRIFT, null,
                (m, s) -> maxDrift[0] = Double.isNaN(s.drift()) ? maxDrift[0] : Math.max(maxDrift[0], s.drift()),
                null)) {
            for (int i = 0; i < 1000; i++) {
                trainer.offer(row(0));
            }
            assertTrue(trainer.awaitConverged(30_000));
            assertEquals(1.0, trainer.status().drift(), 1e-9);
            shiftAndAwaitDriftWake(trainer);
            assertTrue(trainer.awaitConverged(30_000));
            assertTrue(maxDrift[0] > 1.25, "the drift figure rose: " + maxDrift[0]);
            assertEquals(1, learner.favourOn.get(), "after drift it favours recent rows");
            assertEquals(1, learner.forgot.get(), "and, its adaptation kept, forgets the rows before the drift");
        }
    }

    @Test
    void shouldJudgeDriftAgainstWhatTheNewestRowsMeasuredWhenItConverged() throws Exception {
        // the newest rows always measure worse than all held-out rows, as a quality taken on fewer rows does: that
        // alone is not drift
        FakeLearner learner = new FakeLearner(200) {
            @Override
            public double evaluateRecent(Long model) {
                return 1.5 * super.evaluateRecent(model);
            }
        };
        TrainerStatus settled = noDriftOnTheSameRowsThenDriftOnShiftedOnes(learner, 100);
        assertEquals(1.0, settled.drift(), 1e-9, "the drift figure on the same rows");
    }

    @Test
    void shouldNotTakeTheNewestRowsMovingAsMuchAsDrawsOfOneDistributionDoForDrift() throws Exception {
        // the measure on a hundred rows moves by up to 1.5x between draws of the same rows, as an RMSE on
        // heavy-tailed columns does; every check meets another set (1.0, 1.3 and 1.5 times the measure)
        AtomicInteger checks = new AtomicInteger();
        double[] spread = {1.0, 1.3, 1.5, 1.1};
        FakeLearner learner = new FakeLearner(200) {
            @Override
            public double evaluateRecent(Long model) {
                return spread[checks.getAndIncrement() % spread.length] * super.evaluateRecent(model);
            }

            @Override
            public double[] evaluateDraws(Long model) {
                return new double[] {1.0 * evaluate(model), 1.5 * evaluate(model), 1.2 * evaluate(model)};
            }
        };
        noDriftOnTheSameRowsThenDriftOnShiftedOnes(learner, 120);
    }

    @Test
    void shouldLearnFromAllRowsAgainWhenTheAdaptedVersionLosesMoreThanItGainsOnTheNewestRows() throws Exception {
        // versions made while favouring recent rows measure twice as badly on all held-out rows and no better on
        // the newest: what adapting to rows that only looked new does
        java.util.Set<Long> favoured = java.util.concurrent.ConcurrentHashMap.newKeySet();
        boolean[] favouring = {false};
        AtomicInteger favourOff = new AtomicInteger();
        FakeLearner learner = new FakeLearner(200) {
            @Override
            public Long snapshot() {
                Long v = super.snapshot();
                if (favouring[0]) {
                    favoured.add(v);
                }
                return v;
            }

            @Override
            public double evaluate(Long model) {
                return (favoured.contains(model) ? 2 : 1) * super.evaluate(model);
            }

            @Override
            public double evaluateRecent(Long model) {
                return (mean(window(0)) > 50 ? 2 : 1) * super.evaluate(model);
            }

            @Override
            public void favourRecent(boolean on) {
                super.favourRecent(on);
                if (favouring[0] && !on) {
                    favourOff.incrementAndGet();
                }
                favouring[0] = on;
            }
        };
        try (Trainer<Long> trainer = new Trainer<>("t", learner, DRIFT, null, null, null)) {
            for (int i = 0; i < 1000; i++) {
                trainer.offer(row(0));
            }
            assertTrue(trainer.awaitConverged(30_000));
            shiftAndAwaitDriftWake(trainer);
            assertTrue(trainer.awaitConverged(30_000));
            assertEquals(1, favourOff.get(), "it stopped favouring recent rows once");
            Long served = trainer.latestModel();
            assertFalse(favoured.contains(served), "the version it converged on learned from all rows: " + served);
            assertEquals(1.0 / 3, learner.evaluate(served), 1e-9);
            assertEquals(1, trainer.status().driftWakes(), "and it did not wake again");
            assertEquals(0, learner.forgot.get(), "no drift: it forgets nothing");
        }
    }

    @Test
    void shouldTakeDriftOnlyWhenRowsTheCheckDidNotMeasureAreBeyondTheRatioToo() throws Exception {
        // one row among the newest makes a hundred rows' measure jump, as one extreme cell does to an RMSE: every
        // check whose rows include it is beyond the ratio, the next rows are not
        FakeLearner learner = new FakeLearner(200) {
            @Override
            public double evaluateRecent(Long model) {
                return extreme(window(0)) ? 3 * evaluate(model) : evaluate(model);
            }

            @Override
            public double evaluatePrevious(Long model) {
                return extreme(window(50)) ? 3 * evaluate(model) : evaluate(model);
            }

            private boolean extreme(double[] rows) {
                return Arrays.stream(rows).anyMatch(v -> v == 100);
            }
        };
        try (Trainer<Long> trainer = new Trainer<>("t", learner, DRIFT, null, null, null)) {
            for (int i = 0; i < 1000; i++) {
                trainer.offer(row(0));
            }
            assertTrue(trainer.awaitConverged(30_000));
            trainer.offer(row(100));
            for (int i = 0; i < 49; i++) {
                trainer.offer(row(0));
            }
            awaitTaken(trainer, 1050);
            assertEquals(3.0, trainer.status().drift(), 1e-9, "a check measured the extreme row");
            for (int i = 0; i < 100; i++) {
                trainer.offer(row(0));
            }
            awaitTaken(trainer, 1150);
            assertEquals(1.0, trainer.status().drift(), 1e-9, "the rows after it measure as at convergence");
            assertEquals(0, trainer.status().driftWakes(), "one set of rows beyond the ratio is not drift");
            assertEquals(TrainerState.CONVERGED, trainer.status().state());
        }
    }

    /**
     * Offers 126 shifted rows and asserts that they woke it for drift once. 126: fewer than wake it by number after
     * 1,000 rows and up to 120 more (250), and enough that, wherever the checks (at least 50 rows apart, as the
     * trainer drains its inbox) fall, one comes after the 75th shifted row, where the newest 50 rows and the 50
     * before them both see the shift (with 120, a check at the 71st-75th and none after left it unwoken).
     */
    private static void shiftAndAwaitDriftWake(Trainer<Long> trainer) throws InterruptedException {
        for (int i = 0; i < 126; i++) {
            trainer.offer(row(100));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (trainer.status().driftWakes() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, trainer.status().driftWakes(), "a shifted distribution wakes it");
    }

    private static void awaitTaken(Trainer<Long> trainer, long rows) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (trainer.status().rowsOffered() < rows && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(300);
    }

    /**
     * Converges {@code learner} on 1,000 rows, offers {@code same} more of them (a drift check every 50) and asserts
     * no drift wake; then 126 shifted rows (which double the recent measure: two checks on different rows see it;
     * with {@code same}, fewer new rows than wake it by number) and asserts one. Returns the status before the shifted rows.
     */
    private static TrainerStatus noDriftOnTheSameRowsThenDriftOnShiftedOnes(FakeLearner learner, int same)
            throws Exception {
        try (Trainer<Long> trainer = new Trainer<>("t", learner, DRIFT, null, null, null)) {
            for (int i = 0; i < 1000; i++) {
                trainer.offer(row(0));
            }
            assertTrue(trainer.awaitConverged(30_000));
            for (int i = 0; i < same; i++) {
                trainer.offer(row(0));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (trainer.status().rowsOffered() < 1000 + same && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(300);
            assertEquals(0, trainer.status().driftWakes(), "no drift on rows like those it converged on");
            TrainerStatus settled = trainer.status();
            shiftAndAwaitDriftWake(trainer);
            return settled;
        }
    }

    @Test
    void shouldKeepAllTrainersWithinTheThreadBudget() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        TrainingBudget one = new TrainingBudget(1, () -> false);
        List<Trainer<Long>> trainers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            FakeLearner learner = new FakeLearner(300, TimeUnit.MICROSECONDS.toNanos(100), null, concurrent, max);
            trainers.add(new Trainer<>("t" + t, learner, FAST, one, null, null));
        }
        for (Trainer<Long> t : trainers) {
            for (int i = 0; i < 200; i++) {
                t.offer(row(0));
            }
        }
        for (Trainer<Long> t : trainers) {
            assertTrue(t.awaitConverged(60_000));
            t.close();
        }
        assertEquals(1, max.get(), "never two trainers stepping at once on a budget of one thread");
    }

    @Test
    void shouldBackOffWhileTheStreamLags() throws Exception {
        long[] chunks = new long[2];
        for (int lagging = 0; lagging < 2; lagging++) {
            boolean lag = lagging == 1;
            FakeLearner learner = new FakeLearner(Long.MAX_VALUE, TimeUnit.MILLISECONDS.toNanos(1), null,
                    new AtomicInteger(), new AtomicInteger());
            try (Trainer<Long> trainer = new Trainer<>("t", learner, FAST.withPatience(1_000_000, 0.001),
                    new TrainingBudget(1, () -> lag), null, null)) {
                for (int i = 0; i < 200; i++) {
                    trainer.offer(row(0));
                }
                Thread.sleep(1_500);
                chunks[lagging] = learner.steps();
            }
        }
        assertTrue(chunks[1] < 0.6 * chunks[0], "steps while lagging " + chunks[1] + " vs " + chunks[0]);
    }

    @Test
    void shouldPauseALearnerOffTheStreamsPathWhileTheStreamLagsKeepingItsRowsAndLearnOnceTheLagClears()
            throws Exception {
        AtomicBoolean lag = new AtomicBoolean(true);
        FakeLearner learner = new FakeLearner(Long.MAX_VALUE, TimeUnit.MILLISECONDS.toNanos(1), null,
                new AtomicInteger(), new AtomicInteger()) {
            @Override
            public boolean servesStream() {
                return false;
            }
        };
        try (Trainer<Long> trainer = new Trainer<>("synth", learner, FAST.withPatience(1_000_000, 0.001),
                new TrainingBudget(1, lag::get), null, null)) {
            for (int i = 0; i < 300; i++) {
                trainer.offer(row(0));
            }
            Thread.sleep(800);
            assertEquals(0, learner.steps(), "no step while the stream lags");
            assertEquals(300, learner.added.get(), "every row reached the learner meanwhile");
            lag.set(false);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (learner.steps() == 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertTrue(learner.steps() > 0, "steps once the lag cleared");
        }
    }

    @Test
    void shouldTrainTheImputerThroughTheOneTrainerUntilItBeatsTheMean() throws Exception {
        GainConfig cfg = GainConfig.defaults().withSeed(3).withSteps(64, 20);
        GainLearner learner = new GainLearner(GainTestData.SPEC, cfg);
        TrainerSettings settings = TrainerSettings.defaults(256, 20).withPatience(300, 0.01);
        try (Trainer<GainModel> trainer = new Trainer<>("gain", learner, settings, null, null, null)) {
            for (double[] r : GainTestData.mask(GainTestData.complete(3000, 11), 0.2, 0, 12)) {
                trainer.offer(r);
            }
            assertTrue(trainer.awaitConverged(180_000));
            TrainerStatus s = trainer.status();
            assertEquals(3000, s.rowsLearned());
            assertTrue(s.figure(0) < s.figure(1), "held-out RMSE " + s.figure(0) + " vs the mean's " + s.figure(1));
            assertNotNull(trainer.latestModel());
        }
    }

    @Test
    void shouldTrainTheSynthesizerOfAHundredFiftyRowTableThroughTheOneTrainer() throws Exception {
        SynthLearner learner = new SynthLearner(SynthTestData.SPEC,
                SynthTestData.testConfig().withSteps(50, 10, 5));
        TrainerSettings settings = new TrainerSettings(256, 200, 10, 10, 100, 0.005, 200, 100_000, 0.25, 1.5, 50,
                0, 3.0);
        List<SynthModel> published = new ArrayList<>();
        try (Trainer<SynthModel> trainer = new Trainer<>("synth", learner, settings, null,
                (m, s) -> published.add(m), null)) {
            for (double[] r : SynthTestData.rows(150, 4, 0.05)) {
                trainer.offer(r);
            }
            assertTrue(trainer.awaitConverged(120_000), "a table smaller than minRows still converges");
            assertFalse(published.isEmpty());
            assertEquals(150, trainer.status().rowsLearned(), "held-out rows count as learned from");
            assertEquals(trainer.latestModel(), published.get(published.size() - 1));
        }
    }
}
