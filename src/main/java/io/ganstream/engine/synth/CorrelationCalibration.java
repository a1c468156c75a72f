package io.ganstream.engine.synth;

import io.ganstream.engine.quality.Normal;
import io.ganstream.engine.table.TableSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A linear map of the numeric columns' normal scores that gives the generator's rows the observed rank
 * correlations: a generated row's mapped columns go to their quantiles among the generator's own outputs
 * ({@link MarginalCalibration}), to normal scores {@code z}, to {@code A z}, and back through the observed
 * quantiles. {@code A} is the smallest move that turns the generator's correlation of normal scores {@code G}
 * into the observed one {@code R} (the Gaussian optimal-transport map
 * {@code G^-1/2 (G^1/2 R G^1/2)^1/2 G^-1/2}): where the generator already has the right correlations it is the
 * identity, so its non-linear structure stays; where it under-fits them (many correlated numeric columns, few
 * rows) the rows are moved as little as the correction needs.
 * <p>Each row was generated for one category of one categorical column (the conditional vector). A category with
 * enough rows gets its own map, from the generator's rows for it to the observed rows of that category (means and
 * correlations of the scores), so the correlations are corrected within each class rather than pooled over them
 * (the pooled ones mix the classes' differences in means into the correlations); its correlations are shrunk
 * toward the pooled ones in proportion to how few rows it has, and a category of fewer than
 * {@value #MIN_CATEGORY_ROWS} rows also gets its observed spread of each score. Categories the generator's
 * unconditioned rows reach too rarely are fitted on rows generated for them ({@link CalibrationSample}). A category
 * of fewer than {@value #MIN_CLASS_ROWS} rows, of a column whose other categories have maps, keeps the generator's
 * scores; rows of columns without any, the pooled map.
 * <p>A mapped score is taken back to a quantile by the empirical distribution of the mapped scores over the rows
 * the maps were fitted on (not by the normal CDF), so each column keeps exactly the observed shape; with
 * {@link ClassFit#MARGINALS}, a category with a map of its own takes it back through its own rows' distributions
 * ({@link ClassMarginals}), so each class keeps its observed shape of every column, or, where the class has too
 * few values of a column for that, through the normal CDF and the observed quantiles; a rare class of a few rows
 * then has its rows pulled toward anchors among its observed rows ({@link ClassAnchors}).
 * <p>Why: the marginal calibration fixes each column's shape but not how columns move together, and a GAN trained
 * on a few hundred rows of 20-60 correlated columns learns those pairs last. Immutable.
 */
public final class CorrelationCalibration {
    /** Least rows, observed and generated, for a category to get its own map. */
    static final int MIN_CATEGORY_ROWS = 30;
    /**
     * Least rows, observed and generated, for a rarer category to get a map of its own: its correlations shrunk
     * toward the pooled ones as any category's, and each score's spread made the observed one (a generator blurs a
     * class it has seen a few rows of over the larger classes' values, and a classifier trained on its rows then
     * misses the class).
     */
    static final int MIN_CLASS_ROWS = 3;
    /**
     * Most numeric columns mapped: the fit costs a few eigendecompositions of this size per map (cubic), and each
     * map adds its square to the checkpoint. Wider tables keep the per-column calibration alone.
     */
    static final int MAX_COLUMNS = 128;
    /** Most matrix entries of all per-category maps together (with the pooled one, well under 2 MB of checkpoint). */
    static final int CATEGORY_MAP_ENTRIES = 200_000;

    private final int[] columns;
    private final GaussianMap pooled;
    /** Per categorical column and category, its own map; null where the pooled one serves. */
    private final GaussianMap[][] byCategory;
    /** Per mapped column, quantile knots of its mapped score over the fitting rows. */
    private final double[][] knots;
    /** Each mapped category's own quantile maps ({@link ClassFit#MARGINALS}); null: the pooled knots serve all. */
    private final ClassMarginals classMarginals;
    /**
     * The categorical column whose category picks each row's map (every row keyed by its own category in it), or
     * -1: the column and category that drove the row's conditional vector.
     */
    private final int keyColumn;
    /** Per category of every categorical column, a shift of the mapped scores; null: none. */
    private final MeanRaking raking;
    /** Anchors of rare classes too small for their own marginals ({@link ClassAnchors}); null: none. */
    private final ClassAnchors anchors;

    /** How the map of a category with enough rows fits its class. */
    public enum ClassFit {
        /** Means and correlations of the class's normal scores. */
        CORRELATIONS,
        /**
         * Means, correlations and each score's spread (not a candidate of the learner's: the marginals sharpen the
         * classes as much without its cost to quality on tables of mostly categorical columns; kept for
         * {@code bench synth}'s comparison).
         */
        SPREADS,
        /** Means and correlations, then each column's own observed distribution in the class. */
        MARGINALS
    }

    private CorrelationCalibration(int[] columns, GaussianMap pooled, GaussianMap[][] byCategory, double[][] knots,
                                   ClassMarginals classMarginals, int keyColumn, MeanRaking raking,
                                   ClassAnchors anchors) {
        this.anchors = anchors;
        this.keyColumn = keyColumn;
        this.raking = raking;
        this.columns = columns;
        this.pooled = pooled;
        this.byCategory = byCategory;
        this.knots = knots;
        this.classMarginals = classMarginals;
    }

    /**
     * Fits the maps with each category's own marginals ({@link ClassFit#MARGINALS}) keyed by each row's driving
     * column, the same maps with the correlations only ({@link ClassFit#CORRELATIONS}), and, on a table of two or
     * more categorical columns, the class-marginals maps with every row keyed by its own category in one
     * categorical column (one fit per column, column order), and keeps the one {@code best} picks of them, offered
     * in that order (not asked when there is only one). Why a choice: the class marginals sharpen the classes of
     * most tables at no cost in quality, and the rows catch a table where they would cost it; keyed by the driving
     * column a class's map reaches only the rows its column drove (a third of the rows of a table of three
     * categorical columns), keyed by one column it reaches every row, and the rows tell which column's classes
     * shape the numbers most (docs/benchmarks.md).
     */
    static CorrelationCalibration fitChoosing(TableSpec spec, MarginalCalibration marginal, double[][] real,
            int realCount, double[][] generated, int[][] driving,
            ToIntFunction<List<CorrelationCalibration>> best) {
        return fitChoosing(spec, marginal, real, realCount, CalibrationSample.of(generated, driving), best);
    }

    /** As above, on generated rows that may carry top-ups for rare categories ({@link CalibrationSample}). */
    static CorrelationCalibration fitChoosing(TableSpec spec, MarginalCalibration marginal, double[][] real,
            int realCount, CalibrationSample generated, ToIntFunction<List<CorrelationCalibration>> best) {
        return fitChoosing(spec, marginal, real, realCount, generated, -1, best);
    }

    /**
     * As above; with a {@code target} column (a categorical column downstream models predict, -1: none), every row
     * keyed by its category in it, offered with its class marginals and without them. Why: the key the rows pick
     * is the one whose maps reproduce the training rows best over all columns, which on a table of many
     * categorical columns need not be the target's, while a model trained on the synthetic rows lives on its
     * classes' own joint distributions (docs/benchmarks.md).
     */
    static CorrelationCalibration fitChoosing(TableSpec spec, MarginalCalibration marginal, double[][] real,
            int realCount, CalibrationSample generated, int target,
            ToIntFunction<List<CorrelationCalibration>> best) {
        if (target >= 0 && categoricalColumns(spec) > 1) {
            CorrelationCalibration keyed = fit(spec, marginal, real, realCount, generated, ClassFit.MARGINALS,
                    target);
            if (keyed != null && keyed.categoryMaps() > 0) {
                List<CorrelationCalibration> fits = List.of(keyed, new CorrelationCalibration(keyed.columns,
                        keyed.pooled, keyed.byCategory, keyed.knots, null, target, keyed.raking, null));
                return fits.get(best.applyAsInt(fits));
            }
        }
        CorrelationCalibration own = fit(spec, marginal, real, realCount, generated, ClassFit.MARGINALS, -1);
        if (own == null) {
            return null;
        }
        List<CorrelationCalibration> fits = new ArrayList<>(List.of(own));
        if (own.categoryMaps() > 0) {
            // the correlations-only fit is the same maps without the class marginals: not fitted twice
            fits.add(new CorrelationCalibration(own.columns, own.pooled, own.byCategory, own.knots, null, -1,
                    own.raking, null));
        }
        for (int c : own.keyCandidates(spec, marginal, real, realCount)) {
            CorrelationCalibration keyed = fit(spec, marginal, real, realCount, generated, ClassFit.MARGINALS, c);
            if (keyed.categoryMaps() > 0) {
                fits.add(keyed);
            }
        }
        return fits.size() == 1 ? own : fits.get(best.applyAsInt(fits));
    }

    /**
     * The categorical columns a fit on the first {@code realCount} rows of {@code real} offers as keys beside the
     * driving column ({@link KeyColumns#candidates}), in column order; none when the table has one categorical
     * column.
     */
    int[] keyCandidates(TableSpec spec, MarginalCalibration marginal, double[][] real, int realCount) {
        return categoricalColumns(spec) > 1 ? KeyColumns.candidates(spec, columns, marginal, real, realCount)
                : new int[0];
    }

    private static int categoricalColumns(TableSpec spec) {
        int n = 0;
        for (int c = 0; c < spec.columnCount(); c++) {
            n += spec.column(c).isCategorical() ? 1 : 0;
        }
        return n;
    }

    /**
     * Fits the maps over the columns {@code marginal} maps; null when fewer than two are mapped.
     *
     * @param real      observed rows (NaN = missing); only the first {@code realCount} are read
     * @param generated rows of the uncalibrated generator (as {@link SynthModel#sampleDecoded} decodes them)
     * @param driving   per generated row, the column ({@code driving[0]}) and category ({@code driving[1]}) that
     *                  drove it (-1: none)
     * @param classFit    how each per-category map fits its class
     */
    static CorrelationCalibration fit(TableSpec spec, MarginalCalibration marginal, double[][] real, int realCount,
                                      double[][] generated, int[][] driving, ClassFit classFit) {
        return fit(spec, marginal, real, realCount, generated, driving, classFit, -1);
    }

    /**
     * As above, each row's map picked by its own category in {@code keyColumn} (-1: by the column and category
     * that drove it).
     */
    static CorrelationCalibration fit(TableSpec spec, MarginalCalibration marginal, double[][] real, int realCount,
                                      double[][] generated, int[][] driving, ClassFit classFit, int keyColumn) {
        return fit(spec, marginal, real, realCount, CalibrationSample.of(generated, driving), classFit, keyColumn);
    }

    /**
     * As above, on generated rows that may carry top-ups: the pooled map and quantiles are fitted on the
     * unconditioned rows, each category's map on all its rows.
     */
    static CorrelationCalibration fit(TableSpec spec, MarginalCalibration marginal, double[][] real, int realCount,
                                      CalibrationSample sample, ClassFit classFit, int keyColumn) {
        return fit(spec, marginal, real, realCount, sample, classFit, keyColumn, true);
    }

    /**
     * As above; with {@code rake}, on a table of two or more categorical columns, the mapped scores are then
     * shifted by each row's categories so that every category of every categorical column has its observed mean
     * scores ({@link MeanRaking}); without, only the key's (or driving column's) categories have theirs.
     */
    static CorrelationCalibration fit(TableSpec spec, MarginalCalibration marginal, double[][] real, int realCount,
                                      CalibrationSample sample, ClassFit classFit, int keyColumn, boolean rake) {
        double[][] generated = sample.rows();
        int[][] driving = keyColumn >= 0 ? sample.keyedBy(spec, keyColumn) : sample.driving();
        int pooledRows = sample.pooled();
        int cols = spec.columnCount();
        int k = 0;
        int[] mapped = new int[cols];
        for (int c = 0; c < cols; c++) {
            if (marginal.maps(c)) {
                mapped[k++] = c;
            }
        }
        if (k < 2 || k > MAX_COLUMNS) {
            return null;
        }
        int[] columns = Arrays.copyOf(mapped, k);
        int mapsLeft = CATEGORY_MAP_ENTRIES / (k * k);
        double[][] realZ = NormalScores.scores(spec, columns, real, realCount, marginal, true);
        double[][] genZ = NormalScores.scores(spec, columns, generated, generated.length, marginal, false);
        int[] allReal = NormalScores.range(realCount);
        int[] allGen = NormalScores.range(pooledRows);
        double[] realMean = NormalScores.mean(realZ, allReal, allReal.length);
        double[] genMean = NormalScores.mean(genZ, allGen, allGen.length);
        double[][] r = NormalScores.correlation(realZ, allReal, allReal.length, realMean, null, 0);
        double[][] g = NormalScores.correlation(genZ, allGen, allGen.length, genMean, null, 0);
        GaussianMap pooled = new GaussianMap(genMean, realMean, NormalScores.transport(g, r));
        GaussianMap[][] byCategory = new GaussianMap[cols][];
        for (int c = 0; c < cols; c++) {
            if (!spec.column(c).isCategorical()) {
                continue;
            }
            int cell = spec.offset(c);
            int categories = spec.column(c).categories().size();
            for (int cat = 0; cat < categories; cat++) {
                int[] realRows = new int[realCount];
                int nr = 0;
                for (int i = 0; i < realCount; i++) {
                    if (real[i][cell] == cat) {
                        realRows[nr++] = i;
                    }
                }
                int[] genRows = new int[generated.length];
                int ng = 0;
                for (int i = 0; i < generated.length; i++) {
                    if (driving[0][i] == c && driving[1][i] == cat) {
                        genRows[ng++] = i;
                    }
                }
                if (nr < MIN_CLASS_ROWS || ng < MIN_CLASS_ROWS || mapsLeft == 0) {
                    continue;
                }
                mapsLeft--;
                if (byCategory[c] == null) {
                    byCategory[c] = new GaussianMap[categories];
                }
                double[] gm = NormalScores.mean(genZ, genRows, ng);
                double[] rm = NormalScores.mean(realZ, realRows, nr);
                double[][] a = NormalScores.transport(NormalScores.correlation(genZ, genRows, ng, gm, g, k),
                        NormalScores.correlation(realZ, realRows, nr, rm, r, k));
                if (classFit == ClassFit.SPREADS || nr < MIN_CATEGORY_ROWS || ng < MIN_CATEGORY_ROWS) {
                    GaussianMap.scale(a, GaussianMap.spread(genZ, genRows, ng, gm),
                            GaussianMap.spread(realZ, realRows, nr, rm));
                }
                byCategory[c][cat] = new GaussianMap(gm, rm, a);
            }
        }
        // the distribution of each mapped score over the fitting rows, each row mapped by its own map (the
        // quantiles over the unconditioned rows only; a class's own marginals over all of its rows)
        double[][] mappedScores = new double[k][generated.length];
        for (int i = 0; i < generated.length; i++) {
            GaussianMap a = select(pooled, byCategory, driving[0][i], driving[1][i]);
            for (int p = 0; p < k; p++) {
                mappedScores[p][i] = a == null ? genZ[i][p] : a.apply(p, genZ[i]);
            }
        }
        MeanRaking raking = rake ? MeanRaking.fitAndShift(spec, columns, real, realCount, realZ, generated,
                pooledRows, mappedScores) : null;
        ClassMarginals own = classFit == ClassFit.MARGINALS
                ? ClassMarginals.fit(spec, columns, real, realCount, mappedScores, driving, byCategory) : null;
        ClassAnchors few = classFit == ClassFit.MARGINALS
                ? ClassAnchors.fit(spec, columns, real, realCount, byCategory) : null;
        double[][] knots = new double[k][];
        for (int p = 0; p < k; p++) {
            double[] unconditioned = Arrays.copyOf(mappedScores[p], pooledRows);
            Arrays.sort(unconditioned);
            knots[p] = MarginalCalibration.quantiles(unconditioned, pooledRows);
        }
        return new CorrelationCalibration(columns, pooled, byCategory, knots, own, keyColumn, raking, few);
    }

    /** The column whose category picks each row's map; -1: the row's driving column. */
    int keyColumn() {
        return keyColumn;
    }

    /** This calibration with each row's map picked by its category in {@code column} (as read from a checkpoint). */
    CorrelationCalibration keyedOn(int column, TableSpec spec) throws IOException {
        if (column < 0 || column >= spec.columnCount() || !spec.column(column).isCategorical()) {
            throw new IOException("correlation calibration keyed on column " + column + ", not a categorical one");
        }
        return new CorrelationCalibration(columns, pooled, byCategory, knots, classMarginals, column, raking,
                anchors);
    }

    /**
     * The map of a row driven by {@code category} of {@code column}: its own; none (null) when other categories of
     * that column have maps but this one has too few rows (the pooled correlations, made mostly of the larger
     * categories and of the differences between them, would distort a rare class); the pooled map otherwise.
     */
    private static GaussianMap select(GaussianMap pooled, GaussianMap[][] byCategory, int column, int category) {
        if (column < 0 || byCategory[column] == null) {
            return pooled;
        }
        return byCategory[column][category];
    }

    /**
     * Writes the calibrated values of the mapped columns of one generated row into {@code row}.
     *
     * @param decoded  the generator's decoded values, indexed by column
     * @param z        scratch of {@link #scratchSize()} doubles
     * @param column   the categorical column whose category drove the row (-1: none)
     * @param category that category
     */
    void apply(TableSpec spec, MarginalCalibration marginal, double[] decoded, double[] row, double[] z, int column,
               int category) {
        int k = columns.length;
        for (int j = 0; j < k; j++) {
            z[j] = marginal.score(columns[j], marginal.generatedQuantile(columns[j], decoded[columns[j]]));
        }
        if (keyColumn >= 0) {
            double v = row[spec.offset(keyColumn)];
            column = Double.isNaN(v) ? -1 : keyColumn;
            category = Double.isNaN(v) ? -1 : (int) v;
        }
        GaussianMap a = select(pooled, byCategory, column, category);
        // a class with a map but too few rows for its own marginals (ClassFit.MARGINALS): its map gave it the
        // class's observed scores, which the observed quantiles turn back into the class's values exactly, where
        // the pooled quantiles of the mapped scores (shaped by the larger classes) would shift them
        boolean ownScores = classMarginals != null && a != null && a != pooled;
        for (int p = 0; p < k; p++) {
            z[k + p] = a == null ? z[p] : a.apply(p, z);
        }
        if (raking != null) {
            raking.shift(spec, row, z, k);
        }
        // the row's own category picks the anchors: rows labelled with a class get its numbers whatever drove them
        int rowCategory = anchors == null || column < 0 || Double.isNaN(row[spec.offset(column)]) ? -1
                : (int) row[spec.offset(column)];
        boolean anchored = rowCategory >= 0 && anchors.anchors(column, rowCategory);
        for (int p = 0; p < k; p++) {
            double mapped = z[k + p];
            double own = classMarginals == null || anchored ? Double.NaN
                    : classMarginals.value(column, category, p, mapped, marginal.discrete(columns[p]));
            if (!Double.isNaN(own)) {
                row[spec.offset(columns[p])] = own;
            } else if (ownScores || anchored) {
                row[spec.offset(columns[p])] = marginal.valueAt(columns[p],
                        marginal.clampToEdge(columns[p], Normal.cdf(mapped)));
            } else {
                row[spec.offset(columns[p])] = marginal.valueAt(columns[p],
                        MarginalCalibration.position(knots[p], mapped) / (MarginalCalibration.EVEN_KNOTS - 1));
            }
        }
        if (anchored) {
            // the raw scores are spent: their half of the scratch takes the values, the mapped scores pick the anchor
            for (int p = 0; p < k; p++) {
                z[p] = row[spec.offset(columns[p])];
            }
            anchors.pull(column, rowCategory, z, k);
            for (int p = 0; p < k; p++) {
                row[spec.offset(columns[p])] = z[p];
            }
        }
    }

    /** Columns it maps. */
    int size() {
        return columns.length;
    }

    /** Doubles of scratch {@link #apply} takes. */
    int scratchSize() {
        return 2 * columns.length;
    }

    /** Categories with a map of their own. */
    int categoryMaps() {
        int n = 0;
        for (GaussianMap[] perColumn : byCategory) {
            if (perColumn != null) {
                for (GaussianMap a : perColumn) {
                    n += a == null ? 0 : 1;
                }
            }
        }
        return n;
    }

    /** Whether column {@code c} is one it maps. */
    boolean maps(int c) {
        for (int m : columns) {
            if (m == c) {
                return true;
            }
        }
        return false;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(columns.length);
        for (int c : columns) {
            out.writeInt(c);
        }
        pooled.write(out);
        for (double[] column : knots) {
            for (double v : column) {
                out.writeDouble(v);
            }
        }
        out.writeInt(categoryMaps());
        for (int c = 0; c < byCategory.length; c++) {
            if (byCategory[c] == null) {
                continue;
            }
            for (int cat = 0; cat < byCategory[c].length; cat++) {
                if (byCategory[c][cat] != null) {
                    out.writeInt(c);
                    out.writeInt(byCategory[c].length);
                    out.writeInt(cat);
                    byCategory[c][cat].write(out);
                }
            }
        }
    }

    static CorrelationCalibration read(DataInputStream in, int tableColumns) throws IOException {
        int k = in.readInt();
        if (k < 2 || k > tableColumns) {
            throw new IOException("correlation calibration over " + k + " columns of " + tableColumns);
        }
        int[] columns = new int[k];
        for (int j = 0; j < k; j++) {
            columns[j] = in.readInt();
            if (columns[j] < 0 || columns[j] >= tableColumns) {
                throw new IOException("correlation calibration column " + columns[j] + " out of range");
            }
        }
        GaussianMap pooled = GaussianMap.read(in, k);
        double[][] knots = new double[k][MarginalCalibration.EVEN_KNOTS];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < MarginalCalibration.EVEN_KNOTS; q++) {
                knots[p][q] = in.readDouble();
            }
        }
        GaussianMap[][] byCategory = new GaussianMap[tableColumns][];
        int maps = in.readInt();
        for (int m = 0; m < maps; m++) {
            int c = in.readInt();
            int categories = in.readInt();
            int cat = in.readInt();
            if (c < 0 || c >= tableColumns || cat < 0 || cat >= categories) {
                throw new IOException("correlation calibration of category " + cat + " of column " + c);
            }
            if (byCategory[c] == null) {
                byCategory[c] = new GaussianMap[categories];
            } else if (byCategory[c].length != categories) {
                throw new IOException("correlation calibration: column " + c + " has two category counts");
            }
            byCategory[c][cat] = GaussianMap.read(in, k);
        }
        return new CorrelationCalibration(columns, pooled, byCategory, knots, null, -1, null, null);
    }

    /** Whether it carries per-class marginals (written apart, {@link #writeClassMarginals}, for older readers). */
    boolean hasClassMarginals() {
        return classMarginals != null;
    }

    /** Whether its rows' scores are shifted by their categories (written apart, {@link #writeRaking}). */
    boolean hasRaking() {
        return raking != null;
    }

    void writeRaking(DataOutputStream out) throws IOException {
        raking.write(out, columns.length);
    }

    /** This calibration with the shifts {@link #writeRaking} wrote. */
    CorrelationCalibration withRaking(DataInputStream in, TableSpec spec) throws IOException {
        return new CorrelationCalibration(columns, pooled, byCategory, knots, classMarginals, keyColumn,
                MeanRaking.read(in, spec, columns.length), anchors);
    }

    void writeClassMarginals(DataOutputStream out) throws IOException {
        classMarginals.write(out, columns.length);
    }

    /** This calibration with the per-class marginals {@link #writeClassMarginals} wrote. */
    CorrelationCalibration withClassMarginals(DataInputStream in, int tableColumns) throws IOException {
        return new CorrelationCalibration(columns, pooled, byCategory, knots,
                ClassMarginals.read(in, tableColumns, columns.length), keyColumn, raking, anchors);
    }

    /** Whether it pulls the rows of rare small classes toward anchors (written apart, {@link #writeAnchors}). */
    boolean hasAnchors() {
        return anchors != null;
    }

    /** The anchors of {@code category} of {@code column}, by mapped column (empty: none). */
    double[][] anchorsOf(int column, int category) {
        return anchors == null ? new double[0][] : anchors.of(column, category);
    }

    /** The same maps without the anchors (for comparison: what the Gaussian maps alone make of a small class). */
    CorrelationCalibration withoutAnchors() {
        return new CorrelationCalibration(columns, pooled, byCategory, knots, classMarginals, keyColumn, raking, null);
    }

    void writeAnchors(DataOutputStream out) throws IOException {
        anchors.write(out, columns.length);
    }

    /** This calibration with the anchors {@link #writeAnchors} wrote. */
    CorrelationCalibration withAnchors(DataInputStream in, int tableColumns) throws IOException {
        return new CorrelationCalibration(columns, pooled, byCategory, knots, classMarginals, keyColumn, raking,
                ClassAnchors.read(in, tableColumns, columns.length));
    }
}
