package io.ganstream.engine.train;

import java.util.Random;

/**
 * Bounded replay memory: a uniform reservoir sample over every row ever added plus a ring of the most recent
 * rows. Mini-batches are drawn (with replacement) from the recent ring with probability
 * {@code recentFraction}, else from the reservoir. Seeded; synchronized, but meant for one trainer thread.
 * Stores the row arrays it is given (callers pass private copies).
 */
public final class ReplayBuffer {
    private final double[][] reservoir;
    private final double[][] recent;
    private volatile double recentFraction;
    private final double defaultRecentFraction;
    private final Random rng;
    private int reservoirSize;
    private int recentSize;
    private int recentNext;
    private long seen;

    public ReplayBuffer(int capacity, double recentFraction, long seed) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity < 2");
        }
        int recentCap = Math.max(1, (int) Math.round(capacity * Math.min(0.5, recentFraction)));
        this.reservoir = new double[capacity - recentCap][];
        this.recent = new double[recentCap][];
        this.recentFraction = recentFraction;
        this.defaultRecentFraction = recentFraction;
        this.rng = new Random(seed);
    }

    public synchronized void add(double[] row) {
        seen++;
        if (reservoirSize < reservoir.length) {
            reservoir[reservoirSize++] = row;
        } else {
            long j = (long) (rng.nextDouble() * seen);
            if (j < reservoir.length) {
                reservoir[(int) j] = row;
            }
        }
        recent[recentNext] = row;
        recentNext = (recentNext + 1) % recent.length;
        if (recentSize < recent.length) {
            recentSize++;
        }
    }

    /** Distinct rows held (reservoir + recent ring, a row may be in both). */
    public synchronized int size() {
        return reservoirSize + recentSize;
    }

    /** Rows ever added. */
    public synchronized long seen() {
        return seen;
    }

    public int capacity() {
        return reservoir.length + recent.length;
    }

    /** Fills {@code out} with {@code out.length} rows drawn with replacement (arrays are shared, do not modify). */
    public synchronized void sample(double[][] out) {
        if (seen == 0) {
            throw new IllegalStateException("empty replay buffer");
        }
        for (int i = 0; i < out.length; i++) {
            boolean fromRecent = reservoirSize == 0 || rng.nextDouble() < recentFraction;
            out[i] = fromRecent ? recent[rng.nextInt(recentSize)] : reservoir[rng.nextInt(reservoirSize)];
        }
    }

    /**
     * Up to {@code max} rows of the reservoir (a uniform sample of every row added; every k-th when it holds
     * more), without drawing from the sampling generator (arrays are shared, do not modify).
     */
    public synchronized double[][] rows(int max) {
        double[][] from = reservoirSize > 0 ? reservoir : recent;
        int total = reservoirSize > 0 ? reservoirSize : recentSize;
        int n = Math.min(max, total);
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = from[(int) ((long) i * total / n)];
        }
        return out;
    }

    public double[][] sample(int n) {
        double[][] out = new double[n][];
        sample(out);
        return out;
    }

    /**
     * After drift: draw {@code share} of each mini-batch from the recent ring (at least the configured share);
     * {@code Double.NaN} restores the configured share.
     */
    public void favourRecent(double share) {
        this.recentFraction = Double.isNaN(share) ? defaultRecentFraction : Math.max(defaultRecentFraction, share);
    }
}
