package io.ganstream.engine.impute;

import io.ganstream.engine.table.Encoder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Repeated measurements as a third opinion on the served numeric imputations: a record's <em>twins</em> are the
 * reference rows (rows the learner received) that agree with it exactly on uncommon values (a value at most
 * {@link #UNCOMMON} of its column's observed cells hold) carrying at least {@code ln n} nats of agreement, n the
 * reference rows: under independent columns fewer than one of the n rows would agree that much by chance. A
 * missing numeric cell of the record is blended with the mean of its twins' values there,
 * {@code (1 - share) * served + share * twins}; a cell no twin observes keeps the served value. Each cell's share is
 * chosen on held-out rows by {@code GainLearner} (a design's ingredients are its twins' values, its age and
 * strength are not), and a table where no share improves them keeps no twins.
 *
 * <p>Why: tables of repeated designs (a mix tested at several ages, a product measured in several stores) hold a
 * missing value exactly in another row; fully grown trees (MissForest) find it, a generator and depth-limited trees
 * do not (docs/models.md, "Twins"). Holds raw rows: a model that keeps twins carries up to {@link #CELL_BUDGET}
 * cells of received records (docs/models.md says so). Immutable; the lookup index is rebuilt from the rows when
 * the bytes are read. Thread-safe: each thread has its own scratch.
 */
public final class TwinRefiner {
    /** Blend shares tried on the held-out rows. */
    static final double[] SHARES = {0, 0.25, 0.5, 0.75, 1};
    /** Largest share of a column's observed cells a value may hold and still tell rows apart. */
    static final double UNCOMMON = 0.2;
    /**
     * Standard errors by which a cell's mean absolute held-out error must fall with a share for the share to be
     * kept: a table has tens of cells and four shares each, judged on a hundred held-out rows or so (concrete,
     * vehicle), where the best of them wins by chance alone. Absolute errors, as squared ones are heavy-tailed
     * (a twin fixes most of one row's error and none of another's) and would hide a real gain in their spread.
     */
    static final double EVIDENCE = 3;
    /** Most reference cells (rows × cells) kept: the rows are part of the model file. */
    static final int CELL_BUDGET = 1 << 18;
    /** Most index entries a random reference row's values reach on average (the lookup's cost per record). */
    static final double LOOKUP_BUDGET = 5_000;

    private final int cells;
    private final double[][] rows;
    /** Per cell: the twins' share in the blend. */
    private final double[] shares;
    private final boolean any;
    /** The rows' uncommon values, built once by {@link #of} and shared by the copies of other shares. */
    private final Index index;
    /** Agreement a twin needs: ln n. */
    private final double threshold;
    private final ThreadLocal<Scratch> scratch;

    private TwinRefiner(int cells, double[][] rows, double[] shares, Index index) {
        this.cells = cells;
        this.rows = rows;
        this.shares = shares;
        boolean some = false;
        for (double v : shares) {
            some |= v > 0;
        }
        this.any = some;
        this.index = index;
        this.threshold = Math.log(Math.max(2, rows.length));
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(rows.length));
    }

    /**
     * Per cell: each uncommon value's rows and its agreement's nats, and an open-addressing table from a value's
     * bits to its index there (-1: an empty slot), so that a record's values are looked up once each in O(1).
     */
    private record Index(int[][][] postings, double[][] nats, long[][] slotBits, int[][] slotKey) {
        static Index of(double[][] keys, int[][][] postings, double[][] nats) {
            int cells = keys.length;
            long[][] slotBits = new long[cells][];
            int[][] slotKey = new int[cells][];
            for (int c = 0; c < cells; c++) {
                int size = Math.max(2, Integer.highestOneBit(Math.max(1, keys[c].length) * 2 - 1) * 2);
                slotBits[c] = new long[size];
                slotKey[c] = new int[size];
                Arrays.fill(slotKey[c], -1);
                for (int k = 0; k < keys[c].length; k++) {
                    long bits = Double.doubleToLongBits(keys[c][k]);
                    int at = slot(bits, size);
                    while (slotKey[c][at] >= 0) {
                        at = (at + 1) & (size - 1);
                    }
                    slotBits[c][at] = bits;
                    slotKey[c][at] = k;
                }
            }
            return new Index(postings, nats, slotBits, slotKey);
        }

        /** The index of {@code x} among cell {@code c}'s uncommon values, -1 when it is not one. */
        int keyOf(int c, double x) {
            long bits = Double.doubleToLongBits(x);
            long[] b = slotBits[c];
            int[] k = slotKey[c];
            int mask = b.length - 1;
            for (int at = slot(bits, b.length); ; at = (at + 1) & mask) {
                int key = k[at];
                if (key < 0 || b[at] == bits) {
                    return key;
                }
            }
        }
    }

    /**
     * Indexes {@code rows} (raw rows of {@code cells} cells, missing = NaN; kept, not copied: do not modify);
     * every share is 0 until {@link #withShare} or {@link #withShares}.
     */
    public static TwinRefiner of(double[][] rows, int cells) {
        double[][] keys = new double[cells][];
        int[][][] postings = new int[cells][][];
        double[][] nats = new double[cells][];
        int n = rows.length;
        for (int c = 0; c < cells; c++) {
            double[] values = new double[n];
            int m = 0;
            for (double[] row : rows) {
                if (row.length != cells) {
                    throw new IllegalArgumentException("a row of " + row.length + " cells, expected " + cells);
                }
                if (!Double.isNaN(row[c])) {
                    values[m++] = row[c];
                }
            }
            Arrays.sort(values, 0, m);
            int limit = (int) Math.floor(UNCOMMON * m);
            double[] k = new double[m];
            int[] count = new int[m];
            int distinct = 0;
            for (int i = 0; i < m; ) {
                int j = i;
                while (j < m && Double.compare(values[j], values[i]) == 0) {
                    j++;
                }
                if (j - i <= limit) {
                    k[distinct] = values[i];
                    count[distinct++] = j - i;
                }
                i = j;
            }
            keys[c] = Arrays.copyOf(k, distinct);
            nats[c] = new double[distinct];
            postings[c] = new int[distinct][];
            int[] fill = new int[distinct];
            for (int v = 0; v < distinct; v++) {
                nats[c][v] = -Math.log((double) count[v] / m);
                postings[c][v] = new int[count[v]];
            }
            for (int r = 0; r < n; r++) {
                double x = rows[r][c];
                int v = Double.isNaN(x) ? -1 : Arrays.binarySearch(keys[c], x);
                if (v >= 0) {
                    postings[c][v][fill[v]++] = r;
                }
            }
        }
        return new TwinRefiner(cells, rows, new double[cells], Index.of(keys, postings, nats));
    }

    /**
     * Per cell, the mean fall of the squared error from {@code base} to {@code other} (signed errors on the same
     * masked cells in the same order, {@code cellOf} their cells), and into {@code z} the mean fall of the absolute
     * error in standard errors (0 where fewer than 2 cells or no spread).
     */
    static double[] pairedGain(double[] base, double[] other, int[] cellOf, int cells, double[] z) {
        double[] squared = new double[cells];
        double[] absolute = new double[cells];
        int[] n = new int[cells];
        for (int i = 0; i < base.length; i++) {
            int c = cellOf[i];
            squared[c] += base[i] * base[i] - other[i] * other[i];
            absolute[c] += Math.abs(base[i]) - Math.abs(other[i]);
            n[c]++;
        }
        for (int c = 0; c < cells; c++) {
            squared[c] = n[c] == 0 ? 0 : squared[c] / n[c];
            absolute[c] = n[c] == 0 ? 0 : absolute[c] / n[c];
        }
        double[] dev = new double[cells];
        for (int i = 0; i < base.length; i++) {
            double d = Math.abs(base[i]) - Math.abs(other[i]) - absolute[cellOf[i]];
            dev[cellOf[i]] += d * d;
        }
        for (int c = 0; c < cells; c++) {
            double var = n[c] < 2 ? 0 : dev[c] / (n[c] - 1);
            z[c] = var > 0 ? absolute[c] / Math.sqrt(var / n[c]) : 0;
        }
        return squared;
    }

    /** Reference rows a table of {@code cells} cells may keep ({@link #CELL_BUDGET}), at most {@code max}. */
    static int rowsWithin(int cells, int max) {
        return Math.min(max, CELL_BUDGET / Math.max(1, cells));
    }

    /**
     * Index entries a reference row's own values reach on average: what a lookup costs per record. Columns of a few
     * values each under {@link #UNCOMMON} (pixels, small integers) reach many rows and little information.
     */
    public double lookupCost() {
        double total = 0;
        for (int c = 0; c < cells; c++) {
            for (int[] p : index.postings()[c]) {
                total += (double) p.length * p.length;
            }
        }
        return total / Math.max(1, rows.length);
    }

    /** Whether the twins have a share in some cell's blend. */
    public boolean active() {
        return any;
    }

    /** The twins' share in each cell's blend (0: the served value is kept). */
    public double[] shares() {
        return shares.clone();
    }

    /** The reference rows held. */
    public int rows() {
        return rows.length;
    }

    /** The same reference rows with one blend share for every cell. */
    public TwinRefiner withShare(double s) {
        double[] all = new double[cells];
        Arrays.fill(all, s);
        return withShares(all);
    }

    /** The same reference rows with a blend share per cell. */
    public TwinRefiner withShares(double[] s) {
        if (s.length != cells) {
            throw new IllegalArgumentException(s.length + " shares for " + cells + " cells");
        }
        for (double v : s) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("share must be in [0, 1]: " + v);
            }
        }
        return new TwinRefiner(cells, rows, s.clone(), index);
    }

    /**
     * Blends the twins into {@code out} (the served output, encoded layout, scaled by {@code enc}) for the numeric
     * cells missing in {@code row}.
     */
    void refine(double[] row, double[] out, Encoder enc) {
        if (!any || !missesSharedCell(row, enc)) {
            return;
        }
        Scratch s = scratch.get();
        int touched = 0;
        for (int c = 0; c < cells; c++) {
            double x = row[c];
            if (Double.isNaN(x)) {
                continue;
            }
            int v = index.keyOf(c, x);
            if (v < 0) {
                continue;
            }
            double nat = index.nats()[c][v];
            for (int r : index.postings()[c][v]) {
                // a row's first agreement lists it: written always, kept by the count (no branch to mispredict)
                s.touched[touched] = r;
                touched += s.agreement[r] == 0 ? 1 : 0;
                s.agreement[r] += nat;
            }
        }
        int twins = 0;
        for (int t = 0; t < touched; t++) {
            int r = s.touched[t];
            if (s.agreement[r] >= threshold) {
                s.touched[twins++] = r;
            }
            s.agreement[r] = 0;
        }
        if (twins == 0) {
            return;
        }
        for (int c = 0; c < cells; c++) {
            if (!takesTwins(row, c, enc)) {
                continue;
            }
            double share = shares[c];
            double sum = 0;
            int m = 0;
            for (int t = 0; t < twins; t++) {
                double y = rows[s.touched[t]][c];
                if (!Double.isNaN(y)) {
                    sum += enc.scale(c, y);
                    m++;
                }
            }
            if (m > 0) {
                int d = enc.cellDim(c);
                double v = (1 - share) * out[d] + share * (sum / m);
                out[d] = v < 0 ? 0 : (v > 1 ? 1 : v);
            }
        }
    }

    /**
     * Whether {@code row} misses a numeric cell the twins have a share in: the lookup is the refiner's whole cost,
     * and a table keeps twins on a few of its cells (concrete: not its age or strength), so most rows need none.
     */
    private boolean missesSharedCell(double[] row, Encoder enc) {
        for (int c = 0; c < cells; c++) {
            if (takesTwins(row, c, enc)) {
                return true;
            }
        }
        return false;
    }

    /** Whether cell {@code c} of {@code row} is a missing numeric cell the twins have a share in. */
    private boolean takesTwins(double[] row, int c, Encoder enc) {
        return shares[c] > 0 && Double.isNaN(row[c]) && enc.cellCategories(c) == 0;
    }

    private static int slot(long bits, int size) {
        return (int) ((bits * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(size)));
    }

    /** Whether it was built for rows of this many cells. */
    boolean fits(int cellCount) {
        return cells == cellCount;
    }

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.writeInt(cells);
            out.writeInt(rows.length);
            for (double v : shares) {
                out.writeDouble(v);
            }
            for (double[] row : rows) {
                for (double v : row) {
                    out.writeDouble(v);
                }
            }
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TwinRefiner fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int cells = in.readInt();
            int n = in.readInt();
            if (cells < 1 || n < 0 || (long) n * cells > CELL_BUDGET) {
                throw new IOException("a twins section of " + n + " rows of " + cells + " cells");
            }
            double[] shares = new double[cells];
            for (int c = 0; c < cells; c++) {
                shares[c] = in.readDouble();
            }
            double[][] rows = new double[n][cells];
            for (double[] row : rows) {
                for (int c = 0; c < cells; c++) {
                    row[c] = in.readDouble();
                }
            }
            return of(rows, cells).withShares(shares);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "TwinRefiner{rows=" + rows.length + ", shares=" + Arrays.toString(shares) + "}";
    }

    /** Per-thread agreement sums (kept at 0 between records) and the rows a record touched. */
    private static final class Scratch {
        final double[] agreement;
        final int[] touched;

        Scratch(int n) {
            agreement = new double[n];
            touched = new int[n + 1];
        }
    }
}
