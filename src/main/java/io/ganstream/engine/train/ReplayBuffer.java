package io.ganstream.engine.train;

import java.util.Arrays;
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
    /** Rows the reservoir has sampled from: every row added since it last restarted. */
    private long reservoirSeen;
    /** The reservoir set aside by {@link #setAsideReservoir()}, null when none is. */
    private double[][] setAside;
    private int setAsideSize;
    private long setAsideSeen;

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
        addToReservoir(row);
        recent[recentNext] = row;
        recentNext = (recentNext + 1) % recent.length;
        if (recentSize < recent.length) {
            recentSize++;
        }
    }

    private void addToReservoir(double[] row) {
        reservoirSeen++;
        if (reservoirSize < reservoir.length) {
            reservoir[reservoirSize++] = row;
        } else {
            long j = (long) (rng.nextDouble() * reservoirSeen);
            if (j < reservoir.length) {
                reservoir[(int) j] = row;
            }
        }
    }

    /**
     * Sets the reservoir aside: an empty one samples the rows added from now on, the recent ring stays. After
     * drift the rows before it may no longer describe the data; {@link #restoreReservoir()} takes them back when
     * the drift proves not to be one, {@link #dropSetAside()} forgets them when it does.
     */
    public synchronized void setAsideReservoir() {
        if (setAside != null) {
            return;
        }
        setAside = reservoir.clone();
        setAsideSize = reservoirSize;
        setAsideSeen = reservoirSeen;
        Arrays.fill(reservoir, null);
        reservoirSize = 0;
        reservoirSeen = 0;
    }

    /**
     * Puts the reservoir set aside back, the rows sampled since offered to it as they would have been (exactly
     * so while they fit the reservoir); nothing when none is set aside.
     */
    public synchronized void restoreReservoir() {
        if (setAside == null) {
            return;
        }
        double[][] since = Arrays.copyOf(reservoir, reservoirSize);
        long sinceSeen = reservoirSeen;
        System.arraycopy(setAside, 0, reservoir, 0, reservoir.length);
        reservoirSize = setAsideSize;
        reservoirSeen = setAsideSeen + sinceSeen - since.length;
        setAside = null;
        for (double[] row : since) {
            addToReservoir(row);
        }
    }

    /** Forgets the reservoir set aside (its rows are no longer sampled); nothing when none is. */
    public synchronized void dropSetAside() {
        setAside = null;
    }

    /** Rows held (reservoir + recent ring, a row may be in both). */
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
     * Up to {@code max} rows of the reservoir (a uniform sample of every row added since it last restarted; every
     * k-th when it holds more), or of the recent ring while that holds more, without drawing from the sampling
     * generator (arrays are shared, do not modify).
     */
    public synchronized double[][] rows(int max) {
        boolean reservoirRows = reservoirSize > 0 && reservoirSize >= Math.min(max, recentSize);
        double[][] from = reservoirRows ? reservoir : recent;
        int total = reservoirRows ? reservoirSize : recentSize;
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
