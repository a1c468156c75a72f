package io.ganstream.engine.quality;

import io.ganstream.engine.table.ColumnKind;
import io.ganstream.engine.table.RowSample;
import io.ganstream.engine.table.TableSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Refuses synthetic rows that give a training row away, built from the learner's training rows at snapshot time
 * (immutable, thread-safe). A row is refused when
 * <ul>
 *   <li>it is a <b>copy</b>: equal, on every cell (rounded to 1e-9), to a training row; on a table of discrete
 *       columns whose training rows fill their row space ({@link #filledRowSpace}) only to one that occurs once
 *       among them (there a row two or more training records share identifies no one of them: k-anonymity with
 *       k = 2; without this a table of a few categorical columns, where every possible row is some training row,
 *       could publish nothing). Checked
 *       against 64-bit hashes of every complete row of the replay buffer and of the rows the learner held out;</li>
 *   <li>or it lies <b>too close</b>: some row of a reference sample of training rows (up to
 *       {@value #REFERENCE_ROWS} rows, fewer for wide tables) lies at a Gower distance ({@link Privacy.Distance})
 *       above 0 and below a quantile of the real rows' own distances to their nearest <em>different</em> row of the
 *       reference (measured on up to {@value #QUANTILE_ROWS} of its rows): a synthetic row nearer to a real one
 *       than (say) 99% of real rows are to theirs reveals that row. Distance 0 is the copy rule's (exact twins are
 *       common in discrete data: counting them would make the quantile 0 and the rule inert).</li>
 * </ul>
 *
 * <p>Cost: building is O(buffer × cells) hashing plus {@value #QUANTILE_ROWS} × reference distances (about 10 ms
 * for 20,000 rows of 10 columns); a checked row is one hash lookup plus at most reference distances (1,000 rows
 * of 10 columns: about 10 µs, with an early exit per row).
 *
 * <p>What a checkpoint carries ({@link #write}): the sorted nearest-neighbour distances and the hashes, never the
 * reference rows (a model file must not hand out training records). A filter read back from a checkpoint
 * ({@link #hasReference()} false) refuses copies only, until the learner's next snapshot builds a full one.
 */
public final class PrivacyFilter {
    /** Most reference rows (the nearest-neighbour test's cost per checked row). */
    public static final int REFERENCE_ROWS = 1000;
    /** Most reference cells (wide tables take fewer rows). */
    static final int REFERENCE_CELLS = 256 * 1024;
    /** Reference rows whose nearest-neighbour distance makes the quantiles. */
    public static final int QUANTILE_ROWS = 400;
    private static final int FORMAT = 1;
    /** Rows made of random training rows' cells that test whether the training rows fill their row space. */
    static final int SPACE_DRAWS = 1000;
    /** Share of those rows found among the training rows from which the row space counts as filled. */
    static final double FILLED_SPACE = 0.01;

    private final Privacy.Distance distance;
    private final double[][] reference;
    /** Leave-one-out nearest-neighbour distances of real rows, ascending. */
    private final double[] realNearest;
    /** Hashes of the training rows that occur once, ascending. */
    private final long[] unique;

    private PrivacyFilter(Privacy.Distance distance, double[][] reference, double[] realNearest, long[] unique) {
        this.distance = distance;
        this.reference = reference;
        this.realNearest = realNearest;
        this.unique = unique;
    }

    /** The filter of the training rows {@code rows[0..n)} (kept by reference, not copied: do not change them). */
    public static PrivacyFilter build(TableSpec spec, double[][] rows, int n, long seed) {
        return build(spec, rows, n, new long[0], 0, seed);
    }

    /**
     * As above, also refusing copies of the rows whose {@link #hash}es are {@code others[0..otherCount)} (one per
     * complete row, a row received twice listed twice): the rows a learner received and held out. Why: a held-out
     * row is a record the service received as much as a trained-on one, and on a table of discrete columns a
     * generator lands on one by chance (shuttle published one such copy in a suite run). Whether shared rows are
     * exempt is decided on the training rows alone, as before.
     */
    public static PrivacyFilter build(TableSpec spec, double[][] rows, int n, long[] others, int otherCount,
                                      long seed) {
        if (otherCount < 0 || otherCount > others.length) {
            throw new IllegalArgumentException("otherCount " + otherCount + " of " + others.length + " hashes");
        }
        // hashes of complete rows; keep those that occur once, or every one where shared rows are not exempt
        long[] h = new long[n + otherCount];
        int[] whole = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (TableSpec.isComplete(rows[i])) {
                whole[m] = i;
                h[m++] = hash(rows[i]);
            }
        }
        Arrays.sort(h, 0, m);
        boolean exemptShared = discrete(spec) && filledRowSpace(rows, whole, h, m, seed);
        System.arraycopy(others, 0, h, m, otherCount);
        m += otherCount;
        Arrays.sort(h, 0, m);
        long[] once = new long[m];
        int u = 0;
        for (int i = 0; i < m; ) {
            int j = i + 1;
            while (j < m && h[j] == h[i]) {
                j++;
            }
            if (j - i == 1 || !exemptShared) {
                once[u++] = h[i];
            }
            i = j;
        }
        // a reference sample (partial Fisher-Yates over the indexes)
        int cap = Math.max(50, Math.min(REFERENCE_ROWS, REFERENCE_CELLS / Math.max(1, spec.cellCount())));
        int k = Math.min(n, cap);
        double[][] ref = RowSample.of(rows, n, k, seed);
        Privacy.Distance d = Privacy.Distance.fit(spec, ref);
        int q = Math.min(k, measuredRows(spec, QUANTILE_ROWS));
        double[] nn = new double[q];
        int finite = 0;
        for (int i = 0; i < q; i++) {
            // itself, and its exact twins, are at distance 0: not its nearest different row
            double v = d.nearestDifferent(ref[i], ref, k);
            if (v < Double.POSITIVE_INFINITY) {
                nn[finite++] = v;
            }
        }
        nn = Arrays.copyOf(nn, finite);
        Arrays.sort(nn);
        return new PrivacyFilter(d, ref, nn, Arrays.copyOf(once, u));
    }

    /**
     * Whether a row several training records share is exempt from the copy rule: only on a table of
     * {@link #discrete} columns whose training rows fill their row space, which the data tells: a row made of each
     * cell's value in a different random training row ({@value #SPACE_DRAWS} such rows, seeded) is itself a
     * training row at least {@value #FILLED_SPACE} of the time. There a faithful generator lands on training rows
     * by construction, every possible row is some training row's, and refusing them could publish nothing.
     * Elsewhere a copy is rare by chance, and a row two records share (a record logged twice, or a file streamed
     * in passes, which puts every row in the buffer several times) still tells that it was trained on. The column
     * kinds alone cannot tell: a table of wide-ranging integer columns has as large a row space as a continuous one.
     *
     * @param whole        the indexes in {@code rows} of its complete rows, {@code complete} of them
     * @param sortedHashes the {@link #hash}es of those rows, ascending
     */
    static boolean filledRowSpace(double[][] rows, int[] whole, long[] sortedHashes, int complete, long seed) {
        if (complete == 0) {
            return false;
        }
        SplittableRandom rng = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        double[] made = new double[rows[whole[0]].length];
        int hits = 0;
        for (int d = 0; d < SPACE_DRAWS; d++) {
            for (int c = 0; c < made.length; c++) {
                made[c] = rows[whole[rng.nextInt(complete)]][c];
            }
            if (Arrays.binarySearch(sortedHashes, 0, complete, hash(made)) >= 0) {
                hits++;
            }
        }
        return hits >= FILLED_SPACE * SPACE_DRAWS;
    }

    /**
     * Whether every column takes its values from a finite set (no continuous or vector column): a generator's
     * continuous values are new numbers, which land on a training row's by chance almost never.
     */
    static boolean discrete(TableSpec spec) {
        for (int c = 0; c < spec.columnCount(); c++) {
            ColumnKind kind = spec.column(c).kind();
            if (kind == ColumnKind.CONTINUOUS || kind == ColumnKind.VECTOR) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many of {@code rows} rows a brute-force measure takes on a table of this width: all of them up to 64
     * cells, then proportionally fewer, never below 100 (an image of 784 pixels: 100 rows).
     */
    public static int measuredRows(TableSpec spec, int rows) {
        return Math.max(Math.min(rows, 100), (int) ((long) rows * 64 / Math.max(64, spec.cellCount())));
    }

    /** Whether it holds training rows to measure distances to (false when read from a checkpoint). */
    public boolean hasReference() {
        return reference != null && reference.length > 0;
    }

    /** Distinct training rows guarded against copies. */
    public int guardedRows() {
        return unique.length;
    }

    /**
     * The distance under which a row is refused: the {@code quantile} of the real rows' distances to their nearest
     * different row (lower quantile; 0, refusing copies only, when there are none).
     */
    public double threshold(double quantile) {
        if (realNearest.length == 0) {
            return 0;
        }
        int i = (int) Math.floor(Math.max(0, Math.min(1, quantile)) * (realNearest.length - 1));
        return realNearest[i];
    }

    /** Whether {@code row} is a copy of a training row that occurs once. */
    public boolean isCopy(double[] row) {
        return TableSpec.isComplete(row) && Arrays.binarySearch(unique, hash(row)) >= 0;
    }

    /**
     * Whether {@code row} must not be published: a copy, or at a distance in (0, {@code threshold}) from a reference
     * row.
     */
    public boolean refuses(double[] row, double threshold) {
        if (isCopy(row)) {
            return true;
        }
        return hasReference() && threshold > 0
                && distance.nearestDifferent(row, reference, reference.length) < threshold;
    }

    /**
     * This filter also guarding {@code older}'s rows against copies (a restored learner's buffer starts empty:
     * the rows its weights learned before stay guarded), up to {@code maxGuarded} hashes in all (this filter's
     * first).
     */
    public PrivacyFilter alsoGuarding(PrivacyFilter older, int maxGuarded) {
        if (older == null || older.unique.length == 0 || unique.length >= maxGuarded) {
            return this;
        }
        int extra = Math.min(older.unique.length, maxGuarded - unique.length);
        long[] all = Arrays.copyOf(unique, unique.length + extra);
        System.arraycopy(older.unique, 0, all, unique.length, extra);
        Arrays.sort(all);
        int n = 0;
        for (int i = 0; i < all.length; i++) {
            if (n == 0 || all[i] != all[n - 1]) {
                all[n++] = all[i];
            }
        }
        return new PrivacyFilter(distance, reference, realNearest, Arrays.copyOf(all, n));
    }

    /** Checkpoint form: the nearest-neighbour distances and the hashes (no training rows). */
    public void write(DataOutputStream out) throws IOException {
        out.writeInt(FORMAT);
        out.writeInt(realNearest.length);
        for (double v : realNearest) {
            out.writeDouble(v);
        }
        out.writeInt(unique.length);
        for (long v : unique) {
            out.writeLong(v);
        }
    }

    /** A filter read back from {@link #write}: it refuses copies only ({@link #hasReference()} is false). */
    public static PrivacyFilter read(DataInputStream in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("unknown privacy filter format " + format);
        }
        double[] nn = new double[in.readInt()];
        for (int i = 0; i < nn.length; i++) {
            nn[i] = in.readDouble();
        }
        long[] u = new long[in.readInt()];
        for (int i = 0; i < u.length; i++) {
            u[i] = in.readLong();
        }
        return new PrivacyFilter(null, null, nn, u);
    }

    /** A 64-bit hash of the row's cells rounded to 1e-9: what the copy rule compares. */
    public static long hash(double[] row) {
        long h = 0x243F6A8885A308D3L;
        for (double v : row) {
            long bits = Double.doubleToLongBits(Math.rint(v * 1e9) + 0.0);
            h = mix(h ^ bits) + 0x9E3779B97F4A7C15L;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
