package io.ganstream.engine.table;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Streaming per-cell statistics learned from observed data only: min/max/sum/count for numeric cells,
 * category counts for categorical cells. Mutable and NOT thread-safe (owned by one trainer thread);
 * {@link #snapshot()} freezes it into an immutable {@link Encoder}.
 */
public final class ColumnStats {
    private final TableSpec spec;
    private final double[] min;
    private final double[] max;
    private final double[] sum;
    private final long[] count;
    private final long[][] catCounts;

    public ColumnStats(TableSpec spec) {
        this.spec = spec;
        int n = spec.cellCount();
        min = new double[n];
        max = new double[n];
        sum = new double[n];
        count = new long[n];
        catCounts = new long[n][];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int c = 0; c < spec.columnCount(); c++) {
            Column col = spec.column(c);
            if (col.isCategorical()) {
                catCounts[spec.offset(c)] = new long[col.categories().size()];
            }
        }
    }

    public TableSpec spec() {
        return spec;
    }

    /** Updates ranges from the observed cells of {@code row} (NaN cells are ignored). */
    public void observe(double[] row) {
        for (int cell = 0; cell < row.length; cell++) {
            double v = row[cell];
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            long[] cats = catCounts[cell];
            if (cats != null) {
                int k = (int) v;
                if (k == v && k >= 0 && k < cats.length) {
                    cats[k]++;
                }
            } else {
                if (v < min[cell]) {
                    min[cell] = v;
                }
                if (v > max[cell]) {
                    max[cell] = v;
                }
                sum[cell] += v;
                count[cell]++;
            }
        }
    }

    /** Only updates min/max (no means): used for held-out rows. */
    public void observeRange(double[] row) {
        for (int cell = 0; cell < row.length; cell++) {
            double v = row[cell];
            if (Double.isNaN(v) || Double.isInfinite(v) || catCounts[cell] != null) {
                continue;
            }
            if (v < min[cell]) {
                min[cell] = v;
            }
            if (v > max[cell]) {
                max[cell] = v;
            }
        }
    }

    /** An immutable encoder with the current ranges and means. */
    public Encoder snapshot() {
        int n = spec.cellCount();
        double[] lo = new double[n];
        double[] span = new double[n];
        double[] mean = new double[n];
        double[][] freq = new double[n][];
        for (int cell = 0; cell < n; cell++) {
            Column col = spec.column(spec.columnOfCell(cell));
            if (catCounts[cell] != null) {
                long[] cc = catCounts[cell];
                long tot = 0;
                for (long x : cc) {
                    tot += x;
                }
                freq[cell] = new double[cc.length];
                for (int k = 0; k < cc.length; k++) {
                    freq[cell][k] = tot == 0 ? 1.0 / cc.length : (double) cc[k] / tot;
                }
                continue;
            }
            double a = min[cell];
            double b = max[cell];
            if (count[cell] == 0 && a > b) { // nothing observed: fall back to declared bounds
                a = col.hasMin() ? col.min() : (col.hasMax() ? col.max() - 1 : 0);
                b = col.hasMax() ? col.max() : a + 1;
            }
            lo[cell] = a;
            span[cell] = b > a ? b - a : 1.0;
            double mu = count[cell] > 0 ? sum[cell] / count[cell] : a + 0.5 * (b - a);
            mean[cell] = Math.min(1, Math.max(0, (mu - lo[cell]) / span[cell]));
        }
        return new Encoder(spec, lo, span, mean, freq);
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.writeInt(min.length);
            for (int i = 0; i < min.length; i++) {
                out.writeDouble(min[i]);
                out.writeDouble(max[i]);
                out.writeDouble(sum[i]);
                out.writeLong(count[i]);
                long[] cc = catCounts[i];
                out.writeInt(cc == null ? -1 : cc.length);
                if (cc != null) {
                    for (long x : cc) {
                        out.writeLong(x);
                    }
                }
            }
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ColumnStats fromBytes(TableSpec spec, byte[] bytes) {
        ColumnStats s = new ColumnStats(spec);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            if (n != spec.cellCount()) {
                throw new IllegalArgumentException("cell count mismatch: " + n + " vs " + spec.cellCount());
            }
            for (int i = 0; i < n; i++) {
                s.min[i] = in.readDouble();
                s.max[i] = in.readDouble();
                s.sum[i] = in.readDouble();
                s.count[i] = in.readLong();
                int k = in.readInt();
                if ((k >= 0) != (s.catCounts[i] != null) || (k >= 0 && k != s.catCounts[i].length)) {
                    throw new IllegalArgumentException("categorical layout mismatch at cell " + i);
                }
                for (int j = 0; j < k; j++) {
                    s.catCounts[i][j] = in.readLong();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }
}
