package io.ganstream.engine.synth;

import io.ganstream.engine.table.TableSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per category that has a map of its own in a {@link CorrelationCalibration}, each mapped column's own quantile
 * map: from the scores of the generator's rows for that category (after the category's Gaussian map) to the
 * observed values of that category's rows. The Gaussian map matches a class's means and correlations of normal
 * scores, but takes the scores back through the pooled quantiles, so a class's own shape (a narrow range, a skew,
 * the threshold a classifier reads) comes out as a Gaussian approximation of it; this map gives each class
 * exactly its observed distribution of every column while keeping the ranks, hence the correlations, the Gaussian
 * map gave it. Immutable.
 */
final class ClassMarginals {
    /** Knots toward each end between the evenly spaced ones. */
    static final int LADDER = 8;
    /** Knots every 1/64: the even part of {@link #KNOTS}, and all of those of checkpoints before the tail knots. */
    static final int EVEN_KNOTS = 65;
    /**
     * Quantile knots per class and column: every 1/64 and, toward each end, {@value #LADDER} more
     * ({@link MarginalCalibration#tailLevels}), down to about one row in 16,000: classes have fewer rows than the table.
     */
    static final int KNOTS = EVEN_KNOTS + 2 * LADDER;
    /** The levels of the knots. */
    private static final double[] LEVELS = MarginalCalibration.tailLevels(EVEN_KNOTS, LADDER);
    /** Most knot values of all classes together (each class's map adds 2 × columns × {@value #KNOTS}). */
    static final int MAX_VALUES = 400_000;
    /** Least observed values of a column within a class for it to get its own map. */
    static final int MIN_VALUES = 20;

    /** [column][category][mapped column]: knots of the generator's mapped scores, null where not mapped. */
    private final double[][][][] from;
    /** The same, of the observed values. */
    private final double[][][][] to;
    /** Knots per class and column: {@value #KNOTS}, or {@value #EVEN_KNOTS} as read from an older checkpoint. */
    private final int knots;

    private ClassMarginals(double[][][][] from, double[][][][] to, int knots) {
        this.from = from;
        this.to = to;
        this.knots = knots;
    }

    /**
     * Fits a map for each category with a Gaussian map of its own in {@code mapped}.
     *
     * @param columns      the table columns the correlation calibration maps
     * @param mappedScores per mapped column, every generated row's score after its own Gaussian map
     * @param driving      per generated row, the column and category that drove it
     * @param mapped       per column and category, its Gaussian map of its own (null: none)
     */
    static ClassMarginals fit(TableSpec spec, int[] columns, double[][] real, int realCount,
                              double[][] mappedScores, int[][] driving, GaussianMap[][] mapped) {
        int cols = spec.columnCount();
        int k = columns.length;
        int generated = driving[0].length;
        int classesLeft = MAX_VALUES / (2 * k * KNOTS);
        double[][][][] from = new double[cols][][][];
        double[][][][] to = new double[cols][][][];
        double[] buf = new double[Math.max(realCount, generated)];
        for (int c = 0; c < cols && classesLeft > 0; c++) {
            if (mapped[c] == null) {
                continue;
            }
            int cell = spec.offset(c);
            from[c] = new double[mapped[c].length][][];
            to[c] = new double[mapped[c].length][][];
            for (int cat = 0; cat < mapped[c].length && classesLeft > 0; cat++) {
                if (mapped[c][cat] == null) {
                    continue;
                }
                classesLeft--;
                from[c][cat] = new double[k][];
                to[c][cat] = new double[k][];
                for (int p = 0; p < k; p++) {
                    int valueCell = spec.offset(columns[p]);
                    int n = 0;
                    for (int i = 0; i < realCount; i++) {
                        if (real[i][cell] == cat && !Double.isNaN(real[i][valueCell])) {
                            buf[n++] = real[i][valueCell];
                        }
                    }
                    if (n < MIN_VALUES) {
                        continue;
                    }
                    Arrays.sort(buf, 0, n);
                    to[c][cat][p] = MarginalCalibration.quantiles(buf, n, LEVELS);
                    int m = 0;
                    for (int i = 0; i < generated; i++) {
                        if (driving[0][i] == c && driving[1][i] == cat) {
                            buf[m++] = mappedScores[p][i];
                        }
                    }
                    Arrays.sort(buf, 0, m);
                    from[c][cat][p] = MarginalCalibration.quantiles(buf, m, LEVELS);
                }
            }
        }
        return new ClassMarginals(from, to, KNOTS);
    }

    /**
     * The value of mapped column {@code p} for a row driven by {@code category} of {@code column} whose mapped score
     * is {@code score}; NaN where that class has no map of its own for the column.
     *
     * @param discrete the column takes few distinct values: the nearest knot's value, not an interpolation
     */
    double value(int column, int category, int p, double score, boolean discrete) {
        if (column < 0 || from[column] == null || from[column][category] == null
                || from[column][category][p] == null) {
            return Double.NaN;
        }
        return MarginalCalibration.at(to[column][category][p],
                MarginalCalibration.position(from[column][category][p], score), discrete);
    }

    void write(DataOutputStream out, int mappedColumns) throws IOException {
        int classes = 0;
        for (double[][][] perColumn : from) {
            for (int cat = 0; perColumn != null && cat < perColumn.length; cat++) {
                classes += perColumn[cat] == null ? 0 : 1;
            }
        }
        // a negative count of knots first: checkpoints of the even knots start with the (non-negative) class count
        out.writeInt(-knots);
        out.writeInt(classes);
        for (int c = 0; c < from.length; c++) {
            for (int cat = 0; from[c] != null && cat < from[c].length; cat++) {
                if (from[c][cat] == null) {
                    continue;
                }
                out.writeInt(c);
                out.writeInt(from[c].length);
                out.writeInt(cat);
                for (int p = 0; p < mappedColumns; p++) {
                    out.writeBoolean(from[c][cat][p] != null);
                    if (from[c][cat][p] != null) {
                        for (int j = 0; j < from[c][cat][p].length; j++) {
                            out.writeDouble(from[c][cat][p][j]);
                            out.writeDouble(to[c][cat][p][j]);
                        }
                    }
                }
            }
        }
    }

    static ClassMarginals read(DataInputStream in, int tableColumns, int mappedColumns) throws IOException {
        double[][][][] from = new double[tableColumns][][][];
        double[][][][] to = new double[tableColumns][][][];
        int first = in.readInt();
        int knots = first < 0 ? -first : EVEN_KNOTS;
        if (knots != KNOTS && knots != EVEN_KNOTS) {
            throw new IOException("class marginals of " + knots + " knots");
        }
        int classes = first < 0 ? in.readInt() : first;
        if (classes < 0 || (long) classes * 2 * mappedColumns * knots > MAX_VALUES) {
            throw new IOException("class marginals of " + classes + " classes");
        }
        for (int m = 0; m < classes; m++) {
            int c = in.readInt();
            int categories = in.readInt();
            int cat = in.readInt();
            if (c < 0 || c >= tableColumns || categories < 1 || cat < 0 || cat >= categories) {
                throw new IOException("class marginals of category " + cat + " of column " + c);
            }
            if (from[c] == null) {
                from[c] = new double[categories][][];
                to[c] = new double[categories][][];
            } else if (from[c].length != categories) {
                throw new IOException("class marginals: column " + c + " has two category counts");
            }
            from[c][cat] = new double[mappedColumns][];
            to[c][cat] = new double[mappedColumns][];
            for (int p = 0; p < mappedColumns; p++) {
                if (in.readBoolean()) {
                    from[c][cat][p] = new double[knots];
                    to[c][cat][p] = new double[knots];
                    for (int j = 0; j < knots; j++) {
                        from[c][cat][p][j] = in.readDouble();
                        to[c][cat][p][j] = in.readDouble();
                    }
                }
            }
        }
        return new ClassMarginals(from, to, knots);
    }
}
