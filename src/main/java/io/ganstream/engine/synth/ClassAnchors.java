package io.ganstream.engine.synth;

import io.ganstream.engine.table.TableSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per rare category too small for its own marginals ({@link ClassMarginals}) that has a map of its own in a
 * {@link CorrelationCalibration}: points among its observed rows (anchors: each row's midpoint with its nearest
 * other row) and how far a generated row of the class may lie from its anchor (half the distance between the two
 * rows, so the ball reaches both), each column measured in the class's own range of it. Each generated row of the
 * class gets one anchor, every anchor an equal share of the rows, and is pulled onto the anchor's ball in the
 * direction it lies in when it lies outside; a column the class never varies takes its value.
 * <p>Why: the category's Gaussian map gives a class of a handful of rows its observed means, correlations and
 * spreads, one ellipsoid over all of them; a class of a few rows in tight clusters (three clusters of 2-3 rows
 * among 16,000 in shuttle's {@code Fpv.Close}) then comes out between its clusters, where a classifier trained on
 * the synthetic rows learns the class and real rows of it never fall. In values, not normal scores: a class that
 * lives in the table's tails sits where the pooled quantiles jump (a step in scores there crossed shuttle's atom
 * at 0 from a cluster at 28). Midpoints, not rows: the model carries no training row, and the privacy filter
 * still judges every generated row. docs/models.md, "Classes of a few rows". Immutable.
 */
final class ClassAnchors {
    /** The share of an anchor's distance to its nearest other anchor that its rows may lie from it. */
    static final double REACH = 0.5;
    /**
     * Most share of the observed rows a class with anchors has: a class the generator sees in a few of its batches'
     * rows, which it blurs over the others'. A class of a small table (5 of 20 rows) is learned as any other, and
     * pulling its rows toward its few observed ones would bring them near training rows, which the privacy filter
     * then refuses.
     */
    static final double RARE = 0.01;

    /** [column][category]: anchors' values (anchor by mapped column), null where the class has none. */
    private final double[][][][] anchors;
    /** [column][category][mapped column]: the class's range of the column's values (0: one value). */
    private final double[][][] range;
    /** [column][category][anchor]: the radius of the anchor's ball, in ranges. */
    private final double[][][] radius;

    private ClassAnchors(double[][][][] anchors, double[][][] range, double[][][] radius) {
        this.anchors = anchors;
        this.range = range;
        this.radius = radius;
    }

    /**
     * Anchors for each category with a map of its own in {@code maps}, fewer than {@link ClassMarginals#MIN_VALUES}
     * observed rows and at most {@link #RARE} of them: from its rows with every mapped cell observed
     * ({@link #midpoints}); null when no category gets any.
     */
    static ClassAnchors fit(TableSpec spec, int[] columns, double[][] real, int realCount, GaussianMap[][] maps) {
        int cols = spec.columnCount();
        int k = columns.length;
        double[][][][] anchors = new double[cols][][][];
        double[][][] range = new double[cols][][];
        double[][][] radius = new double[cols][][];
        boolean any = false;
        for (int c = 0; c < cols; c++) {
            if (maps[c] == null) {
                continue;
            }
            int cell = spec.offset(c);
            for (int cat = 0; cat < maps[c].length; cat++) {
                if (maps[c][cat] == null) {
                    continue;
                }
                int classRows = 0;
                int complete = 0;
                int[] rows = new int[ClassMarginals.MIN_VALUES];
                for (int i = 0; i < realCount && classRows < ClassMarginals.MIN_VALUES; i++) {
                    if (real[i][cell] != cat) {
                        continue;
                    }
                    classRows++;
                    if (observed(spec, columns, real[i])) {
                        rows[complete++] = i;
                    }
                }
                if (classRows >= ClassMarginals.MIN_VALUES || complete < 2 || classRows > RARE * realCount) {
                    continue;
                }
                double[][] a = new double[complete][k];
                for (int j = 0; j < complete; j++) {
                    for (int p = 0; p < k; p++) {
                        a[j][p] = real[rows[j]][spec.offset(columns[p])];
                    }
                }
                double[] span = ranges(a, k);
                double[][] mid = midpoints(a, span, k);
                if (mid == null) {
                    continue;
                }
                a = new double[mid.length][];
                double[] r = new double[mid.length];
                for (int j = 0; j < mid.length; j++) {
                    a[j] = Arrays.copyOf(mid[j], k);
                    r[j] = mid[j][k];
                }
                if (anchors[c] == null) {
                    anchors[c] = new double[maps[c].length][][];
                    range[c] = new double[maps[c].length][];
                    radius[c] = new double[maps[c].length][];
                }
                anchors[c][cat] = a;
                range[c][cat] = span;
                radius[c][cat] = r;
                any = true;
            }
        }
        return any ? new ClassAnchors(anchors, range, radius) : null;
    }

    private static boolean observed(TableSpec spec, int[] columns, double[] row) {
        for (int column : columns) {
            if (Double.isNaN(row[spec.offset(column)])) {
                return false;
            }
        }
        return true;
    }

    private static double[] ranges(double[][] a, int k) {
        double[] span = new double[k];
        for (int p = 0; p < k; p++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] anchor : a) {
                lo = Math.min(lo, anchor[p]);
                hi = Math.max(hi, anchor[p]);
            }
            span[p] = hi - lo;
        }
        return span;
    }

    /**
     * The anchors of a class's observed rows, each followed by its radius: per row, the midpoint between it and its
     * nearest other row at a positive distance {@code d} (two rows that are each other's nearest give one), with
     * radius {@value #REACH}{@code  d}, so that its ball reaches both rows; a row farther than twice the median of
     * those distances from every other is one whose spread the data does not tell and gets none (half way to the
     * next row, it would put the class between clusters: a lone row of shuttle's third {@code Fpv.Close} cluster).
     * Midpoints, not the rows: the model carries no training row. Null: no anchor (all rows equal).
     */
    private static double[][] midpoints(double[][] rows, double[] span, int k) {
        int n = rows.length;
        int[] nearest = new int[n];
        double[] distance = new double[n];
        for (int i = 0; i < n; i++) {
            nearest[i] = -1;
            distance[i] = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double d = distance(rows[i], rows[j], span, k);
                if (d > 0 && d < distance[i]) {
                    distance[i] = d;
                    nearest[i] = j;
                }
            }
            if (nearest[i] < 0) {
                return null;
            }
        }
        double[] sorted = distance.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        java.util.List<double[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int j = nearest[i];
            if (distance[i] > 2 * median || nearest[j] == i && j < i) {
                continue;
            }
            double[] anchor = new double[k + 1];
            for (int p = 0; p < k; p++) {
                anchor[p] = (rows[i][p] + rows[j][p]) / 2;
            }
            anchor[k] = REACH * distance[i];
            out.add(anchor);
        }
        return out.isEmpty() ? null : out.toArray(new double[0][]);
    }

    /** Distance in the class's ranges over the columns it varies in. */
    private static double distance(double[] anchor, double[] values, double[] span, int k) {
        double s = 0;
        for (int p = 0; p < k; p++) {
            if (span[p] > 0) {
                double d = (values[p] - anchor[p]) / span[p];
                s += d * d;
            }
        }
        return Math.sqrt(s);
    }

    /** The anchors of {@code category} of {@code column} (copies; empty: none). */
    double[][] of(int column, int category) {
        if (!anchors(column, category)) {
            return new double[0][];
        }
        double[][] a = anchors[column][category];
        double[][] out = new double[a.length][];
        for (int j = 0; j < a.length; j++) {
            out[j] = a[j].clone();
        }
        return out;
    }

    /** Whether rows of {@code category} of {@code column} are pulled toward anchors. */
    boolean anchors(int column, int category) {
        return column >= 0 && anchors[column] != null && category >= 0 && category < anchors[column].length
                && anchors[column][category] != null;
    }

    /**
     * Pulls the values {@code row[0 .. k)} of the mapped columns of a row of {@code category} of {@code column} onto
     * the ball of its anchor, where they lie outside it; leaves them where the class has no anchors. A hash of the
     * row's mapped scores {@code row[k .. 2k)} picks its anchor: every anchor gets an equal share of the rows, as
     * every observed row is one of the class's, and the same row always the same anchor (the anchor nearest to the
     * row gave the anchors near the class's mean most rows and a cluster away from it none).
     */
    void pull(int column, int category, double[] row, int k) {
        if (!anchors(column, category)) {
            return;
        }
        double[][] a = anchors[column][category];
        double[] span = range[column][category];
        int j = pick(row, k, a.length);
        double[] anchor = a[j];
        double d = distance(anchor, row, span, k);
        double r = radius[column][category][j];
        double scale = d <= r ? 1 : r / d;
        for (int p = 0; p < k; p++) {
            row[p] = span[p] > 0 ? anchor[p] + (row[p] - anchor[p]) * scale : anchor[p];
        }
    }

    /** One of {@code n} by a hash of the bits of {@code z[k .. 2k)}. */
    private static int pick(double[] z, int k, int n) {
        long h = 0x9E3779B97F4A7C15L;
        for (int p = 0; p < k; p++) {
            h = (h ^ Double.doubleToLongBits(z[k + p])) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return (int) Math.floorMod(h, (long) n);
    }

    void write(DataOutputStream out, int mappedColumns) throws IOException {
        int classes = 0;
        for (double[][][] perColumn : anchors) {
            for (int cat = 0; perColumn != null && cat < perColumn.length; cat++) {
                classes += perColumn[cat] == null ? 0 : 1;
            }
        }
        out.writeInt(classes);
        for (int c = 0; c < anchors.length; c++) {
            for (int cat = 0; anchors[c] != null && cat < anchors[c].length; cat++) {
                double[][] a = anchors[c][cat];
                if (a == null) {
                    continue;
                }
                out.writeInt(c);
                out.writeInt(anchors[c].length);
                out.writeInt(cat);
                out.writeInt(a.length);
                for (int p = 0; p < mappedColumns; p++) {
                    out.writeDouble(range[c][cat][p]);
                }
                for (int j = 0; j < a.length; j++) {
                    out.writeDouble(radius[c][cat][j]);
                    for (int p = 0; p < mappedColumns; p++) {
                        out.writeDouble(a[j][p]);
                    }
                }
            }
        }
    }

    static ClassAnchors read(DataInputStream in, int tableColumns, int mappedColumns) throws IOException {
        double[][][][] anchors = new double[tableColumns][][][];
        double[][][] range = new double[tableColumns][][];
        double[][][] radius = new double[tableColumns][][];
        int classes = in.readInt();
        if (classes < 0 || classes > CorrelationCalibration.CATEGORY_MAP_ENTRIES) {
            throw new IOException("anchors of " + classes + " classes");
        }
        for (int m = 0; m < classes; m++) {
            int c = in.readInt();
            int categories = in.readInt();
            int cat = in.readInt();
            int n = in.readInt();
            if (c < 0 || c >= tableColumns || categories < 1 || cat < 0 || cat >= categories
                    || n < 1 || n >= ClassMarginals.MIN_VALUES) {
                throw new IOException("anchors of category " + cat + " of column " + c + ": " + n + " rows");
            }
            if (anchors[c] == null) {
                anchors[c] = new double[categories][][];
                range[c] = new double[categories][];
                radius[c] = new double[categories][];
            } else if (anchors[c].length != categories) {
                throw new IOException("anchors: column " + c + " has two category counts");
            }
            range[c][cat] = new double[mappedColumns];
            for (int p = 0; p < mappedColumns; p++) {
                range[c][cat][p] = in.readDouble();
                if (!(range[c][cat][p] >= 0) || Double.isInfinite(range[c][cat][p])) {
                    throw new IOException("anchors of category " + cat + " of column " + c + ": range "
                            + range[c][cat][p]);
                }
            }
            anchors[c][cat] = new double[n][mappedColumns];
            radius[c][cat] = new double[n];
            for (int j = 0; j < n; j++) {
                radius[c][cat][j] = in.readDouble();
                if (!(radius[c][cat][j] > 0) || Double.isInfinite(radius[c][cat][j])) {
                    throw new IOException("anchors of category " + cat + " of column " + c + ": radius "
                            + radius[c][cat][j]);
                }
                for (int p = 0; p < mappedColumns; p++) {
                    anchors[c][cat][j][p] = in.readDouble();
                }
            }
        }
        return new ClassAnchors(anchors, range, radius);
    }
}
