package io.ganstream.engine.train;

/**
 * Rows told apart by their content: a seeded 64-bit hash of a row's cells, and the number of distinct rows seen,
 * counted exactly up to a bound (a primitive open-addressing set of hashes; beyond the bound it stops growing).
 *
 * <p>Why: producers replay data (a backfill sent twice, a file streamed in passes). A learner that sized itself
 * by rows received would grow a net for 200 distinct rows seen five times, and a held-out split drawn per
 * arriving row would hold out copies of rows it trains on, so its measure would reward memorizing. Deciding by
 * the hash sends every copy of a row to the same side, and the count says how much data there really is.
 */
public final class DistinctRows {
    private final long seed;
    private final int bound;
    private final long[] table;
    private int count;

    /** @param bound distinct rows counted exactly; more are reported as {@code bound} */
    public DistinctRows(long seed, int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        this.seed = seed;
        this.bound = bound;
        this.table = new long[Integer.highestOneBit(bound) << 2];
    }

    /** The row's hash under this seed (never 0); copies of a row hash alike, NaNs included. */
    public long hash(double[] row) {
        long h = mix(seed * 0x9E3779B97F4A7C15L + row.length);
        for (double v : row) {
            h = mix(h ^ Double.doubleToLongBits(v));
        }
        return h == 0 ? 1 : h;
    }

    /** A number in [0, 1) fixed by the row's content: the same for every copy of it. */
    public static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /**
     * Records a row by its {@link #hash}; true when it had not been seen before, and for every row once the bound
     * is reached (it can no longer tell, and takes it as new).
     */
    public boolean add(long hash) {
        if (count >= bound) {
            return true;
        }
        int i = slot(hash);
        if (hash != 0 && table[i] == hash) {
            return false;
        }
        table[i] = hash;
        count++;
        return true;
    }

    /** Whether a row of this {@link #hash} was recorded (false once the bound is reached and it was not). */
    public boolean contains(long hash) {
        return hash != 0 && table[slot(hash)] == hash;
    }

    /** The slot holding {@code hash}, else the empty slot where it would go (the table is never full). */
    private int slot(long hash) {
        int mask = table.length - 1;
        int i = (int) (hash ^ (hash >>> 32)) & mask;
        while (table[i] != 0 && table[i] != hash) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Distinct rows recorded, at most the bound. */
    public long count() {
        return count;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
