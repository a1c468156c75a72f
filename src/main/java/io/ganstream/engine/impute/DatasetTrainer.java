package io.ganstream.engine.impute;

import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import io.ganstream.engine.train.ReplayBuffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Trains one dataset's GAIN imputer on a private daemon thread, fed with windows of rows by the stream.
 *
 * <p>{@link #offerWindow} never blocks: it copies the rows and enqueues them, or returns {@code false} and
 * counts a dropped window when the bounded queue is full. For every window the thread: splits off
 * {@code heldOutFraction} of the rows into a bounded held-out buffer (never trained on), updates the
 * streaming ranges, adds the rest to the {@link ReplayBuffer}, trains {@code stepsPerWindow} mini-batches,
 * publishes a new immutable {@link GainModel} (version + 1) with {@link TrainingStats} to the listener.
 *
 * <p>Quality estimate: on every window 20% of the observed numeric cells of the held-out rows (fixed seeded
 * pattern) are masked and imputed by the new model and by column means; both RMSEs are in [0,1] units of the
 * current min-max ranges.
 */
public final class DatasetTrainer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DatasetTrainer.class.getName());
    private static final List<double[]> POISON = new ArrayList<>();

    private final String dataset;
    private final TableSpec spec;
    private final GainConfig config;
    private final TrainerListener listener;
    private final BlockingQueue<List<double[]>> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final Thread thread;

    // owned by the trainer thread
    private final ColumnStats stats;
    private final ReplayBuffer replay;
    private final GainNet net;
    private final Random rng;
    private final double[][] heldOut;
    private int heldOutSize;
    private int heldOutNext;
    private long windowsTrained;
    private long windowsFailed;
    /** Rows seen before the checkpoint this trainer resumed from. */
    private long rowsSeenBefore;
    private long version;

    private volatile GainModel latest;
    private volatile TrainingStats latestStats = TrainingStats.empty();
    private volatile boolean running = true;
    private volatile boolean busy;

    public DatasetTrainer(String dataset, TableSpec spec, GainConfig config, TrainerListener listener) {
        this(dataset, spec, config, listener, null);
    }

    private DatasetTrainer(String dataset, TableSpec spec, GainConfig config, TrainerListener listener,
                           byte[] state) {
        this.dataset = Objects.requireNonNull(dataset);
        this.spec = Objects.requireNonNull(spec);
        this.config = Objects.requireNonNull(config);
        this.listener = listener == null ? (d, m, s) -> { } : listener;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.rng = new Random(config.seed() * 0x9E3779B97F4A7C15L + 1);
        this.replay = new ReplayBuffer(config.replayCapacity(), config.recentFraction(), config.seed() + 17);
        this.heldOut = new double[config.heldOutCapacity()][];
        if (state == null) {
            this.stats = new ColumnStats(spec);
            this.net = new GainNet(stats.snapshot().dims(), config);
        } else {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
                this.version = in.readLong();
                this.windowsTrained = in.readLong();
                byte[] s = in.readNBytes(in.readInt());
                byte[] n = in.readNBytes(in.readInt());
                this.stats = ColumnStats.fromBytes(spec, s);
                this.net = GainNet.fromBytes(n, config);
                if (in.available() > 0) {
                    this.rowsSeenBefore = in.readLong();
                    this.latestStats = new TrainingStats(version, net.steps(), windowsTrained, 0, 0, rowsSeenBefore,
                            in.readDouble(), in.readDouble(), in.readDouble(), 0, 0, 0, in.readDouble(),
                            in.readDouble());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.latest = net.snapshot(stats.snapshot(), version);
        }
        this.thread = new Thread(this::loop, "gain-trainer-" + dataset);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Restores a trainer from {@link #checkpoint()} bytes (encoder ranges, weights, Adam state, version).
     * The replay and held-out buffers start empty.
     */
    public static DatasetTrainer restore(String dataset, TableSpec spec, GainConfig config,
                                         TrainerListener listener, byte[] state) {
        return new DatasetTrainer(dataset, spec, config, listener, state);
    }

    /**
     * The model of a {@link #checkpoint()}, without a trainer: how instances that do not train a dataset
     * serve its latest published version.
     */
    public static GainModel modelFrom(TableSpec spec, GainConfig config, byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            long version = in.readLong();
            in.readLong();
            ColumnStats stats = ColumnStats.fromBytes(spec, in.readNBytes(in.readInt()));
            GainNet net = GainNet.fromBytes(in.readNBytes(in.readInt()), config);
            return net.snapshot(stats.snapshot(), version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String dataset() {
        return dataset;
    }

    public GainConfig config() {
        return config;
    }

    /**
     * Hands a window to the trainer without blocking. Rows are copied (the caller may impute them in place
     * afterwards). Returns {@code false} and counts a dropped window when the queue is full or closed.
     */
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

    /** Windows waiting to be trained. */
    public int queuedWindows() {
        return queue.size();
    }

    public long droppedWindows() {
        return dropped.get();
    }

    public long acceptedWindows() {
        return accepted.get();
    }

    /** The newest model, or null before the first window was trained. */
    public GainModel latestModel() {
        return latest;
    }

    /** Stats of the newest model (windowsDropped is live). */
    public TrainingStats stats() {
        return latestStats.withDropped(dropped.get());
    }

    /** Waits until every accepted window has been trained (for tests / batch evaluation). */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < end) {
            if (latestStats.windowsTrained() + latestStats.windowsFailed() >= accepted.get() && !busy
                    && queue.isEmpty()) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    /** Stops the trainer thread (pending windows are discarded) and waits for it. Idempotent. */
    @Override
    public void close() {
        running = false;
        queue.clear();
        queue.offer(POISON);
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Trainer state as bytes: version, windows trained, encoder statistics, G/D weights and Adam state.
     * Safe to call from the listener callback (trainer thread) or after {@link #close()}.
     */
    public byte[] checkpoint() {
        if (thread.isAlive() && Thread.currentThread() != thread) {
            throw new IllegalStateException("checkpoint() only from onModel or after close()");
        }
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.writeLong(version);
            out.writeLong(windowsTrained);
            byte[] s = stats.toBytes();
            byte[] n = net.toBytes();
            out.writeInt(s.length);
            out.write(s);
            out.writeInt(n.length);
            out.write(n);
            // The latest figures, so that a resumed trainer reports where it stopped until it trains again.
            TrainingStats st = latestStats;
            out.writeLong(st.rowsSeen());
            out.writeDouble(st.lastGeneratorLoss());
            out.writeDouble(st.lastDiscriminatorLoss());
            out.writeDouble(st.lastReconstructionLoss());
            out.writeDouble(st.heldOutRmseModel());
            out.writeDouble(st.heldOutRmseMean());
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
                trainWindow(window);
            } catch (RuntimeException | Error e) {
                windowsFailed++;
                LOG.log(System.Logger.Level.WARNING, "training window failed for " + dataset, e);
                latestStats = new TrainingStats(version, net.steps(), windowsTrained, dropped.get(),
                        windowsFailed, rowsSeenBefore + replay.seen(), net.lastGeneratorLoss(), net.lastDiscriminatorLoss(),
                        net.lastReconstructionLoss(), 0, heldOutSize, 0, Double.NaN, Double.NaN);
            } finally {
                busy = false;
            }
        }
    }

    private void trainWindow(List<double[]> window) {
        long t0 = System.nanoTime();
        for (double[] row : window) {
            boolean hold = heldOut.length > 0 && rng.nextDouble() < config.heldOutFraction();
            if (hold) {
                stats.observeRange(row);
                heldOut[heldOutNext] = row;
                heldOutNext = (heldOutNext + 1) % heldOut.length;
                heldOutSize = Math.min(heldOutSize + 1, heldOut.length);
            } else {
                stats.observe(row);
                replay.add(row);
            }
        }
        Encoder enc = stats.snapshot();
        if (replay.seen() > 0) {
            double[][] batch = new double[config.batchSize()][];
            for (int s = 0; s < config.stepsPerWindow(); s++) {
                replay.sample(batch);
                net.trainStep(batch, enc);
            }
        }
        double trainMs = (System.nanoTime() - t0) / 1e6;
        windowsTrained++;
        version++;
        GainModel model = net.snapshot(enc, version);
        double[] q = heldOutQuality(model, enc);
        TrainingStats st = new TrainingStats(version, net.steps(), windowsTrained, dropped.get(), windowsFailed,
                rowsSeenBefore + replay.seen(), net.lastGeneratorLoss(), net.lastDiscriminatorLoss(),
                net.lastReconstructionLoss(), trainMs, heldOutSize, (int) q[2], q[0], q[1]);
        latest = model;
        latestStats = st;
        listener.onModel(dataset, model, st);
    }

    /** {model RMSE, mean RMSE, cells} on a fixed 20% mask of the held-out rows' observed numeric cells. */
    private double[] heldOutQuality(GainModel model, Encoder enc) {
        if (heldOutSize == 0) {
            return new double[] {Double.NaN, Double.NaN, 0};
        }
        Random mr = new Random(config.seed() ^ 0x5DEECE66DL);
        double[][] rows = new double[heldOutSize][];
        int[][] masked = new int[heldOutSize][];
        int cells = 0;
        for (int i = 0; i < heldOutSize; i++) {
            double[] row = heldOut[i].clone();
            int[] idx = new int[row.length];
            int c = 0;
            for (int cell = 0; cell < row.length; cell++) {
                boolean pick = mr.nextDouble() < 0.2;
                if (pick && enc.cellCategories(cell) == 0 && !Double.isNaN(row[cell])) {
                    row[cell] = Double.NaN;
                    idx[c++] = cell;
                }
            }
            rows[i] = row;
            masked[i] = java.util.Arrays.copyOf(idx, c);
            cells += c;
        }
        if (cells == 0) {
            return new double[] {Double.NaN, Double.NaN, 0};
        }
        model.imputeInPlace(rows);
        double se = 0;
        double seMean = 0;
        for (int i = 0; i < heldOutSize; i++) {
            for (int cell : masked[i]) {
                double truth = enc.scale(cell, heldOut[i][cell]);
                double e = enc.scale(cell, rows[i][cell]) - truth;
                double em = enc.scale(cell, enc.meanValue(cell)) - truth;
                se += e * e;
                seMean += em * em;
            }
        }
        return new double[] {Math.sqrt(se / cells), Math.sqrt(seMean / cells), cells};
    }
}
