package io.ganstream.engine.train;

import java.util.ArrayList;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Trains one model of one dataset on its own daemon thread, on its own schedule, whatever the producer's pace.
 *
 * <p>{@link #offer} never blocks and loses no row to learning: the row goes to an inbox that the thread empties
 * into the {@link Learner}'s buffers before every chunk of steps (should the thread be held up for long, the
 * inbox itself keeps a uniform sample of what arrived, and counts the rest as sampled out, as the replay
 * reservoir would have). The thread then:
 * <ul>
 *   <li>waits ({@link TrainerState#WAITING}) for {@code minRows} rows, or for fewer once the stream is quiet;</li>
 *   <li>learns ({@link TrainerState#LEARNING}): chunks of steps, each holding one of the {@link TrainingBudget}'s
 *   threads and backing off while the stream lags (a learner off the stream's path, see
 *   {@link Learner#servesStream()}, pauses instead); a held-out measurement and a model version every
 *   {@code evalEverySteps} steps; a version goes to the listener at most every {@code publishEveryMillis};</li>
 *   <li>converges ({@link TrainerState#CONVERGED}) once the measure has not improved by {@code minImprovement}
 *   for {@code patienceSteps} steps (or the step budget is spent), publishes that version and rests;</li>
 *   <li>wakes when new rows reach {@code wakeFraction} of the buffer, or when the newest held-out rows measure
 *   {@code driftRatio} times worse than the worst draw of as many held-out rows did when it converged, and the
 *   held-out rows before them do too (drift: it then favours recent rows until it converges again).</li>
 * </ul>
 *
 * @param <M> the serving model
 */
public final class Trainer<M> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());
    /** What one inbox may hold, in cells (32 MiB of doubles). */
    private static final long INBOX_CELLS = 4L << 20;
    private static final int TREND_EVALS = 5;
    /** How often a model off the stream's path looks again whether the stream still lags. */
    private static final long LAG_POLL_MILLIS = 200;

    /** Receives published model versions, on the trainer's thread (where {@link #checkpoint()} may be called). */
    @FunctionalInterface
    public interface Listener<M> {
        void onModel(M model, TrainerStatus status);
    }

    private final String name;
    private final Learner<M> learner;
    private final TrainerSettings settings;
    private final TrainingBudget budget;
    private final Listener<M> listener;
    private final Thread thread;

    private final Object lock = new Object();
    private ArrayList<double[]> inbox = new ArrayList<>();
    private long arrivalsSinceDrain;
    private int inboxCapacity;
    private final Random inboxRng;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong inboxSampledOut = new AtomicLong();
    private volatile long lastOfferNanos = System.nanoTime();
    private volatile boolean running = true;

    // The trainer thread's own; others read the volatile status and model.
    private TrainerState state;
    private long taken;
    /** {@link Learner#novelRows()} when it last came to rest (new rows beyond it wake it). */
    private long novelAtRest;
    private long takenAtDriftCheck;
    private int bufferAtRest;
    private long stepsThisWake;
    private long stepsSinceEval;
    private long stepsSinceBest;
    private double best = Double.NaN;
    private double lastMeasure = Double.NaN;
    private double convergedMeasure = Double.NaN;
    /** The worst of the learner's draws of held-out rows when it converged ({@link #driftReference()}). */
    private double convergedRecent = Double.NaN;
    private double drift = Double.NaN;
    private final double[] trendWindow = new double[TREND_EVALS];
    private int measured;
    private long wakes;
    private long driftWakes;
    private long failures;
    private double lastChunkMillis;
    private long lastPublishNanos;
    private boolean publishedAny;
    /** The learner re-shaped itself: nothing is published until it converges again. */
    private boolean holdUntilConverged;
    /** The version that served when drift woke it, until the adapted one is judged against it (null otherwise). */
    private M beforeDrift;

    private volatile M latest;
    private volatile TrainerStatus status = TrainerStatus.empty();
    /** True while it rests and the rows it has cannot wake it (what {@link #awaitConverged} waits for). */
    private volatile boolean settled;
    /** {@code taken}, for other threads. */
    private volatile long takenSoFar;

    /**
     * Starts the thread. A learner restored from a checkpoint (version &gt; 0) starts rested with that model:
     * it learns again once {@code minRows} new rows arrived (its buffers start empty).
     */
    public Trainer(String name, Learner<M> learner, TrainerSettings settings, TrainingBudget budget,
                   Listener<M> listener, M restoredModel) {
        this.name = Objects.requireNonNull(name);
        this.learner = Objects.requireNonNull(learner);
        this.settings = Objects.requireNonNull(settings);
        this.budget = budget == null ? TrainingBudget.unlimited() : budget;
        this.listener = listener == null ? (m, s) -> { } : listener;
        this.inboxRng = new Random(name.hashCode() * 31L + 7);
        this.latest = restoredModel;
        this.state = restoredModel != null ? TrainerState.CONVERGED : TrainerState.WAITING;
        this.publishedAny = restoredModel != null;
        this.novelAtRest = learner.novelRows();
        publishStatus();
        this.thread = new Thread(this::loop, "trainer-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public String name() {
        return name;
    }

    /** Hands a row to the trainer (copied); never blocks. False only once the trainer is closed. */
    public boolean offer(double[] row) {
        if (!running) {
            return false;
        }
        double[] copy = row.clone();
        synchronized (lock) {
            offered.incrementAndGet();
            lastOfferNanos = System.nanoTime();
            if (inboxCapacity == 0) {
                inboxCapacity = (int) Math.max(1_000, Math.min(50_000, INBOX_CELLS / Math.max(1, copy.length)));
            }
            arrivalsSinceDrain++;
            if (inbox.size() < inboxCapacity) {
                inbox.add(copy);
                if (inbox.size() == 1) {
                    lock.notifyAll();
                }
            } else {
                long j = (long) (inboxRng.nextDouble() * arrivalsSinceDrain);
                if (j < inboxCapacity) {
                    inbox.set((int) j, copy);
                }
                inboxSampledOut.incrementAndGet();
            }
        }
        return true;
    }

    /** The newest model (published or not), null before the first. */
    public M latestModel() {
        return latest;
    }

    public TrainerState state() {
        return status.state();
    }

    /** Where training stands now (offered and pending rows are live). */
    public TrainerStatus status() {
        TrainerStatus s = status;
        long off = offered.get();
        long pending;
        synchronized (lock) {
            pending = inbox.size();
        }
        long sampledOut = Math.max(0, off - pending - s.rowsInBuffer() - s.heldOutRows());
        return new TrainerStatus(s.state(), s.version(), s.steps(), off, s.rowsLearned(), s.rowsInBuffer(),
                sampledOut, pending, s.heldOutRows(), s.measure(), s.bestMeasure(), s.convergedMeasure(),
                s.trend(), s.drift(), s.wakes(), s.driftWakes(), s.failures(), s.lastChunkMillis(), s.figures(),
                s.losses());
    }

    /**
     * Waits until every row offered so far has reached the learner, it has converged on them and they cannot
     * wake it. For benchmarks, tests and offline fitting.
     */
    public boolean awaitConverged(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < end) {
            if (takenSoFar + inboxSampledOut.get() >= offered.get() && pendingRows() == 0 && settled
                    && status.state() == TrainerState.CONVERGED) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private long pendingRows() {
        synchronized (lock) {
            return inbox.size();
        }
    }

    /** The learner's state; from the listener (the trainer's thread) or after {@link #close()}. */
    public byte[] checkpoint() {
        if (thread.isAlive() && Thread.currentThread() != thread) {
            throw new IllegalStateException("checkpoint() only from the listener or after close()");
        }
        return learner.checkpoint();
    }

    /** Stops the thread (rows still in the inbox are dropped) and waits for it. Idempotent. */
    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (running) {
            try {
                int took = drain();
                switch (state) {
                    case WAITING -> waitForRows();
                    case LEARNING -> learnChunk();
                    case CONVERGED -> rest(took);
                    default -> throw new IllegalStateException(String.valueOf(state));
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException | Error e) {
                failures++;
                LOG.log(System.Logger.Level.WARNING, "training failed for " + name, e);
                publishStatus();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    if (!running) {
                        break;
                    }
                }
            }
        }
    }

    private int drain() {
        ArrayList<double[]> rows;
        synchronized (lock) {
            if (inbox.isEmpty()) {
                return 0;
            }
            rows = inbox;
            inbox = new ArrayList<>(Math.min(rows.size() * 2, inboxCapacity));
            arrivalsSinceDrain = 0;
        }
        for (double[] row : rows) {
            learner.add(row);
        }
        taken += rows.size();
        // new rows may wake it: not settled until rest() has weighed them (written before takenSoFar, which
        // awaitConverged reads first, so it never pairs these rows with an earlier settled)
        settled = false;
        takenSoFar = taken;
        publishStatus();
        return rows.size();
    }

    private boolean quiet() {
        return System.nanoTime() - lastOfferNanos >= TimeUnit.MILLISECONDS.toNanos(settings.quietMillis());
    }

    private void waitForRows() throws InterruptedException {
        if (learner.ready() && (taken >= settings.minRows() || quiet())) {
            startLearning(false);
            return;
        }
        publishStatus();
        awaitOffer(100);
    }

    private void awaitOffer(long millis) throws InterruptedException {
        synchronized (lock) {
            if (inbox.isEmpty() && running) {
                lock.wait(millis);
            }
        }
    }

    private void startLearning(boolean becauseOfDrift) {
        if (state == TrainerState.CONVERGED) {
            wakes++;
        }
        if (becauseOfDrift) {
            driftWakes++;
            learner.favourRecent(true);
            beforeDrift = latest;
        }
        state = TrainerState.LEARNING;
        settled = false;
        restartMeasure();
        publishStatus();
    }

    /** A new stretch of learning (a wake, or a learner that re-shaped itself): progress is judged afresh. */
    private void restartMeasure() {
        best = Double.NaN;
        stepsSinceBest = 0;
        stepsThisWake = 0;
        stepsSinceEval = 0;
    }

    private void learnChunk() throws InterruptedException {
        if (!learner.servesStream() && backingOff()) {
            Thread.sleep(LAG_POLL_MILLIS);
            return;
        }
        int steps = settings.chunkSteps();
        if (learner.adapt()) {
            restartMeasure();
            holdUntilConverged = publishedAny;
        }
        // the measurement holds the thread too: on a synthesizer it can take as long as the steps
        budget.acquire();
        long t0 = System.nanoTime();
        try {
            learner.step(steps);
            lastChunkMillis = (System.nanoTime() - t0) / 1e6;
            stepsThisWake += steps;
            stepsSinceEval += steps;
            if (stepsSinceEval >= settings.evalEverySteps()) {
                evaluate();
            } else {
                publishStatus();
            }
        } finally {
            budget.release();
        }
        long elapsed = System.nanoTime() - t0;
        if (backingOff()) {
            TimeUnit.NANOSECONDS.sleep((long) (elapsed * settings.backoffFactor()));
        }
    }

    /** Serving comes first: the stream lags and the back-off is on. */
    private boolean backingOff() {
        return settings.backoffFactor() > 0 && budget.streamLagging();
    }

    private void evaluate() {
        long stepsMeasured = stepsSinceEval;
        stepsSinceEval = 0;
        M model = learner.snapshot();
        latest = model;
        double q = learner.evaluate(model);
        lastMeasure = q;
        if (!Double.isNaN(q)) {
            trendWindow[measured % TREND_EVALS] = q;
            measured++;
            if (Double.isNaN(best) || q < best * (1 - settings.minImprovement())) {
                best = q;
                stepsSinceBest = 0;
            } else {
                stepsSinceBest += stepsMeasured;
            }
        }
        measureDrift(model);
        boolean converged = Double.isNaN(q)
                ? stepsThisWake >= unmeasuredSteps()
                : stepsSinceBest >= learner.patienceSteps(settings.patienceSteps())
                        && learner.steps() >= learner.minimumSteps();
        boolean done = converged || stepsThisWake >= settings.stepBudget();
        M before = done ? beforeDrift : null;
        if (done) {
            beforeDrift = null;
        }
        if (before != null && !keepsAdaptation(before, model)) {
            // the rows that woke it were no drift: learn from the whole buffer again, the served version serving on
            LOG.log(System.Logger.Level.INFO, "Drift in " + name + " not confirmed by the adapted version: it gained"
                    + " less on the newest held-out rows than it lost on all of them; learning from all rows again");
            learner.favourRecent(false);
            restartMeasure();
            holdUntilConverged = true;
            publishStatus();
        } else if (done) {
            if (before != null) {
                learner.forgetOlderRows();
            }
            M completed = learner.complete(model);
            if (completed != model) {
                LOG.log(System.Logger.Level.INFO, name + " converged, serving " + completed);
                model = completed;
                latest = model;
                double qc = learner.evaluate(model);
                if (!Double.isNaN(qc)) {
                    q = qc;
                    lastMeasure = q;
                }
            }
            state = TrainerState.CONVERGED;
            convergedMeasure = q;
            convergedRecent = worst(learner.evaluateDraws(model));
            drift = Double.isNaN(q) ? Double.NaN : 1.0;
            novelAtRest = learner.novelRows();
            takenAtDriftCheck = taken;
            bufferAtRest = learner.rowsInBuffer();
            learner.favourRecent(false);
            holdUntilConverged = false;
            publish(model, true);
        } else if (!holdUntilConverged) {
            publish(model, false);
        } else {
            publishStatus();
        }
    }

    /**
     * Steps after which a learner that cannot measure itself is taken as converged: CTGAN's 300 epochs of the rows
     * it has, within [40 measurements, {@code unmeasuredSteps}] (a table too small to hold out enough rows needs
     * few steps an epoch).
     */
    private long unmeasuredSteps() {
        long epoch = Math.max(1, (taken + learner.batchSize() - 1) / learner.batchSize());
        return Math.min(settings.unmeasuredSteps(), Math.max(40L * settings.evalEverySteps(), 300 * epoch));
    }

    /**
     * After the first convergence: the newest held-out rows' measure of {@code model}, which sets {@link #drift};
     * NaN (drift unchanged) before it or with too few rows.
     */
    private double measureDrift(M model) {
        double reference = driftReference();
        if (!(reference > 0)) {
            return Double.NaN;
        }
        double recent = learner.evaluateRecent(model);
        if (!Double.isNaN(recent)) {
            drift = recent / reference;
        }
        return recent;
    }

    /**
     * After a drift wake, whether {@code adapted} (trained favouring recent rows) is kept: it must gain more on the
     * newest held-out rows (those that woke it) than it loses on all of them, as ratios to {@code before}, the
     * version that served when drift woke it. A real shift makes the newest rows far better and the older held-out rows a little worse; rows that
     * only looked new (a hundred rows' measure now and then lies beyond any threshold) gain little and cost the
     * rest, and a model that kept favouring them would serve worse than before. A kept adaptation is a confirmed
     * drift: the learner then forgets the rows before it ({@link Learner#forgetOlderRows()}).
     */
    private boolean keepsAdaptation(M before, M adapted) {
        double newestBefore = newest(before);
        double newestAdapted = newest(adapted);
        double allBefore = learner.evaluate(before);
        // measured again after the version before it, so that the learner's figures are the adapted version's
        double allAdapted = learner.evaluate(adapted);
        if (!(newestAdapted > 0 && allBefore > 0) || Double.isNaN(newestBefore) || Double.isNaN(allAdapted)) {
            return true;
        }
        return newestBefore / newestAdapted >= allAdapted / allBefore;
    }

    /** The mean measure of the newest held-out rows and of those before them (the newest alone when too few). */
    private double newest(M model) {
        double recent = learner.evaluateRecent(model);
        double previous = learner.evaluatePrevious(model);
        return Double.isNaN(previous) ? recent : (recent + previous) / 2;
    }

    /**
     * Whether a drift check that measured {@code recent} on the newest held-out rows finds drift: beyond the ratio
     * there, and on the held-out rows before them too (when the learner holds enough of them). A hundred rows of
     * heavy-tailed columns now and then measure beyond any threshold the draws at convergence allow, and a check
     * every {@code driftCheckRows} meets such a set on some pass over the data; two sets of rows apart rarely both
     * do, while a shifted distribution soon fills both.
     */
    private boolean driftConfirmed(M model, double recent) {
        if (Double.isNaN(recent) || !(drift > settings.driftRatio())) {
            return false;
        }
        double previous = learner.evaluatePrevious(model);
        return Double.isNaN(previous) || previous / driftReference() > settings.driftRatio();
    }

    /** The largest of {@code measures} that is not NaN (NaN when all are). */
    private static double worst(double[] measures) {
        double worst = Double.NaN;
        for (double m : measures) {
            if (!Double.isNaN(m) && !(m <= worst)) {
                worst = m;
            }
        }
        return worst;
    }

    /**
     * What the newest held-out rows' measure is compared with: the worst that measure gave on draws of as many
     * held-out rows when the model converged. As many rows, because a quality measured on fewer rows is lower by
     * sampling alone; the worst draw, because the measure on a hundred rows moves between sets of rows of one
     * distribution (an RMSE on heavy-tailed columns most), and a check every 50 rows would otherwise meet such a
     * set on every pass over the data. The measure on all held-out rows when no draw could be measured.
     * NaN before the first convergence.
     */
    private double driftReference() {
        return Double.isNaN(convergedRecent) || convergedRecent <= 0 ? convergedMeasure : convergedRecent;
    }

    private void rest(int took) throws InterruptedException {
        long newRows = learner.novelRows() - novelAtRest;
        double wakeRows = settings.wakeFraction() * Math.max(1, bufferAtRest);
        if (newRows > 0 && newRows >= wakeRows && (newRows >= settings.minRows() || quiet())) {
            startLearning(false);
            return;
        }
        M model = latest;
        if (model != null && taken - takenAtDriftCheck >= settings.driftCheckRows()) {
            takenAtDriftCheck = taken;
            double recent = measureDrift(model);
            if (driftConfirmed(model, recent)) {
                LOG.log(System.Logger.Level.INFO, "Drift in " + name + ": newest held-out rows measure "
                        + String.format("%.4f", recent) + " against " + String.format("%.4f", driftReference())
                        + " when it converged, as did the rows before them; learning again, favouring recent rows");
                startLearning(true);
                return;
            }
        }
        settled = newRows < wakeRows;
        publishStatus();
        if (took == 0) {
            awaitOffer(200);
        }
    }

    private void publish(M model, boolean force) {
        long now = System.nanoTime();
        publishStatus();
        if (force || !publishedAny
                || now - lastPublishNanos >= TimeUnit.MILLISECONDS.toNanos(settings.publishEveryMillis())) {
            lastPublishNanos = now;
            publishedAny = true;
            listener.onModel(model, status());
        }
    }

    private double trend() {
        int n = Math.min(measured, TREND_EVALS);
        if (n < 2) {
            return Double.NaN;
        }
        double newest = trendWindow[(measured - 1) % TREND_EVALS];
        double oldest = trendWindow[(measured - n) % TREND_EVALS];
        return oldest == 0 ? Double.NaN : (newest - oldest) / oldest;
    }

    private void publishStatus() {
        status = new TrainerStatus(state, learner.version(), learner.steps(), offered.get(), learner.rowsSeen(),
                learner.rowsInBuffer(), 0, 0, learner.heldOutRows(), lastMeasure, best, convergedMeasure, trend(),
                drift, wakes, driftWakes, failures, lastChunkMillis, learner.figures().clone(),
                learner.losses().clone());
    }
}
