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
    /** Quantile knots per class and column (every 1/64): classes have fewer rows than the table. */
    static final int KNOTS = 65;
    /** Most knot values of all classes together (each class's map adds 2 × columns × {@value #KNOTS}). */
    static final int MAX_VALUES = 400_000;
    /** Least observed values of a column within a class for it to get its own map. */
    private static final int MIN_VALUES = 20;

    /** [column][category][mapped column]: knots of the generator's mapped scores, null where not mapped. */
    private final double[][][][] from;
    /** The same, of the observed values. */
    private final double[][][][] to;

    private ClassMarginals(double[][][][] from, double[][][][] to) {
        this.from = from;
        this.to = to;
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
                    to[c][cat][p] = MarginalCalibration.quantiles(buf, n, KNOTS);
                    int m = 0;
                    for (int i = 0; i < generated; i++) {
                        if (driving[0][i] == c && driving[1][i] == cat) {
                            buf[m++] = mappedScores[p][i];
                        }
                    }
                    Arrays.sort(buf, 0, m);
                    from[c][cat][p] = MarginalCalibration.quantiles(buf, m, KNOTS);
                }
            }
        }
        return new ClassMarginals(from, to);
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
                        for (int j = 0; j < KNOTS; j++) {
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
        int classes = in.readInt();
        if (classes < 0 || (long) classes * 2 * mappedColumns * KNOTS > MAX_VALUES) {
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
                    from[c][cat][p] = new double[KNOTS];
                    to[c][cat][p] = new double[KNOTS];
                    for (int j = 0; j < KNOTS; j++) {
                        from[c][cat][p][j] = in.readDouble();
                        to[c][cat][p][j] = in.readDouble();
                    }
                }
            }
        }
        return new ClassMarginals(from, to);
    }
}
