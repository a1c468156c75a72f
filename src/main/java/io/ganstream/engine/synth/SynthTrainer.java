package io.ganstream.engine.synth;

import io.ganstream.engine.table.TableSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Trains one dataset's synthesizer on a private daemon thread fed with windows (same pattern as the GAIN
 * DatasetTrainer): {@link #offerWindow} copies the rows and never blocks (a full queue drops the window and
 * counts it); the thread runs {@link SynthLearner#trainWindow} per window and publishes the new
 * {@link SynthModel} (version + 1) with {@link SynthStats} to the listener.
 */
public final class SynthTrainer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SynthTrainer.class.getName());
    private static final List<double[]> POISON = new ArrayList<>();

    private final String dataset;
    private final TableSpec spec;
    private final SynthConfig config;
    private final SynthListener listener;
    private final BlockingQueue<List<double[]>> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final Thread thread;
    private final SynthLearner learner;
    private long windowsFailed;
    private volatile long trainedHere;

    private volatile SynthModel latest;
    private volatile SynthStats latestStats = SynthStats.empty();
    private volatile boolean running = true;
    private volatile boolean busy;

    public SynthTrainer(String dataset, TableSpec spec, SynthConfig config, SynthListener listener) {
        this(dataset, spec, config, listener, null);
    }

    private SynthTrainer(String dataset, TableSpec spec, SynthConfig config, SynthListener listener, byte[] state) {
        this.dataset = Objects.requireNonNull(dataset);
        this.spec = Objects.requireNonNull(spec);
        this.config = Objects.requireNonNull(config);
        this.listener = listener == null ? (d, m, s) -> { } : listener;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        if (state == null) {
            this.learner = new SynthLearner(spec, config);
        } else {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
                windowsFailed = in.readLong();
                double lg = in.readDouble();
                double ld = in.readDouble();
                double lp = in.readDouble();
                this.learner = SynthLearner.fromBytes(spec, config, in.readNBytes(in.readInt()));
                this.latest = learner.latestModel();
                this.latestStats = new SynthStats(learner.version(), learner.net().steps(), learner.windows(), 0,
                        windowsFailed, learner.rowsSeen(), lg, ld, lp, 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        this.thread = new Thread(this::loop, "synth-trainer-" + dataset);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Resumes from {@link #checkpoint()} bytes (weights, Adam state, mixtures/ranges/counts, counters). */
    public static SynthTrainer restore(String dataset, TableSpec spec, SynthConfig config, SynthListener listener,
                                       byte[] state) {
        return new SynthTrainer(dataset, spec, config, listener, state);
    }

    /**
     * The model a {@link #checkpoint()} holds, without starting a trainer: how instances that do not train a
     * dataset serve its synthesizer from the published checkpoint. Null when it has no trained version.
     */
    public static SynthModel modelFrom(TableSpec spec, SynthConfig config, byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            in.readLong();
            in.readDouble();
            in.readDouble();
            in.readDouble();
            return SynthLearner.fromBytes(spec, config, in.readNBytes(in.readInt())).latestModel();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String dataset() {
        return dataset;
    }

    public SynthConfig config() {
        return config;
    }

    /** Copies the rows and enqueues them without blocking; false (and a counted drop) when full or closed. */
    public boolean offerWindow(List<double[]> rows) {
        if (!running) {
            dropped.incrementAndGet();
            return false;
        }
        List<double[]> copy = new ArrayList<>(rows.size());
        for (double[] r : rows) {
            if (r.length != spec.cellCount()) {
                throw new IllegalArgumentException("row has " + r.length + " cells, spec " + spec.cellCount());
            }
            copy.add(r.clone());
        }
        if (queue.offer(copy)) {
            accepted.incrementAndGet();
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    public long droppedWindows() {
        return dropped.get();
    }

    public long acceptedWindows() {
        return accepted.get();
    }

    /** The newest model, null before the first window. */
    public SynthModel latestModel() {
        return latest;
    }

    public SynthStats stats() {
        return latestStats.withDropped(dropped.get());
    }

    /** Waits until every accepted window has been processed (tests / batch evaluation). */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < end) {
            if (trainedHere + windowsFailedHere() >= accepted.get() && !busy && queue.isEmpty()) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    private volatile long failedHere;

    private long windowsFailedHere() {
        return failedHere;
    }

    /** Trainer state; call from the listener (trainer thread) or after {@link #close()}. */
    public byte[] checkpoint() {
        return checkpoint(false);
    }

    /**
     * As {@link #checkpoint()}; with {@code servingOnly} only what serves samples and warm-starts a trainer
     * ({@link SynthNet#toBytes(boolean)}).
     */
    public byte[] checkpoint(boolean servingOnly) {
        if (thread.isAlive() && Thread.currentThread() != thread) {
            throw new IllegalStateException("checkpoint() only from onModel or after close()");
        }
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            SynthStats st = latestStats;
            out.writeLong(windowsFailed);
            out.writeDouble(st.lastGeneratorLoss());
            out.writeDouble(st.lastDiscriminatorLoss());
            out.writeDouble(st.lastPenalty());
            byte[] lb = learner.toBytes(servingOnly);
            out.writeInt(lb.length);
            out.write(lb);
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the thread (pending windows are discarded) and joins it. Idempotent. */
    @Override
    public void close() {
        running = false;
        queue.clear();
        queue.offer(POISON);
        thread.interrupt();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (running) {
            List<double[]> window;
            try {
                window = queue.take();
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
                continue;
            }
            if (window == POISON || !running) {
                break;
            }
            busy = true;
            try {
                long t0 = System.nanoTime();
                SynthModel m = learner.trainWindow(window);
                double ms = (System.nanoTime() - t0) / 1e6;
                SynthNet net = learner.net();
                SynthStats st = new SynthStats(learner.version(), net.steps(), learner.windows(), dropped.get(),
                        windowsFailed, learner.rowsSeen(), net.lastGeneratorLoss(), net.lastDiscriminatorLoss(),
                        net.lastPenalty(), ms);
                latest = m;
                latestStats = st;
                trainedHere++;
                listener.onModel(dataset, m, st);
            } catch (RuntimeException | Error e) {
                windowsFailed++;
                failedHere++;
                LOG.log(System.Logger.Level.WARNING, "synth training window failed for " + dataset, e);
            } finally {
                busy = false;
            }
        }
    }
}
