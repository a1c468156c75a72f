package io.ganstream.engine.table;

import java.util.List;

/**
 * The modeled columns of a dataset and their layout in a row of cells.
 *
 * <p>A row is a {@code double[]} of {@link #cellCount()} cells: each column occupies
 * {@link Column#width()} consecutive cells starting at {@link #offset(int)}. A categorical cell holds the
 * category index; {@code NaN} marks a missing cell. This flat layout keeps the engine free of JSON and lets
 * batches be plain {@code double[][]}.
 */
public final class TableSpec {
    private final List<Column> columns;
    private final int[] offsets;
    private final int cellCount;

    public TableSpec(List<Column> columns) {
        this.columns = List.copyOf(columns);
        this.offsets = new int[this.columns.size()];
        int next = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = next;
            next += this.columns.get(i).width();
        }
        this.cellCount = next;
    }

    public List<Column> columns() {
        return columns;
    }

    public int columnCount() {
        return columns.size();
    }

    public Column column(int index) {
        return columns.get(index);
    }

    /** Index of the first cell of column {@code index}. */
    public int offset(int index) {
        return offsets[index];
    }

    public int cellCount() {
        return cellCount;
    }

    /** The column that owns cell {@code cell}. */
    public int columnOfCell(int cell) {
        int lo = 0;
        int hi = offsets.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (offsets[mid] <= cell) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Refuses a row whose length is not {@link #cellCount()} (what every learner takes a row through). */
    public void requireRow(double[] row) {
        if (row.length != cellCount) {
            throw new IllegalArgumentException("row has " + row.length + " cells, spec " + cellCount);
        }
    }

    /** True when no cell of {@code row} is missing ({@code NaN}). */
    public static boolean isComplete(double[] row) {
        for (double v : row) {
            if (Double.isNaN(v)) {
                return false;
            }
        }
        return true;
    }

    /** A new row with every cell missing. */
    public double[] emptyRow() {
        double[] row = new double[cellCount];
        java.util.Arrays.fill(row, Double.NaN);
        return row;
    }

    /** A dataset with more cells than this is wide (an image column): its nets and buffers are sized by bytes. */
    public static final int WIDE_CELLS = 128;
    /** What one replay buffer of a wide dataset may hold. */
    private static final long REPLAY_BYTES = 64L << 20;

    public boolean isWide() {
        return cellCount() > WIDE_CELLS;
    }

    /** At most {@code requested} rows, fewer for a wide table when they would not fit 64 MiB (never below 1,000). */
    public int replayRows(int requested) {
        if (!isWide()) {
            return requested;
        }
        long fit = REPLAY_BYTES / (8L * cellCount());
        return (int) Math.min(requested, Math.max(1000, fit));
    }
}
