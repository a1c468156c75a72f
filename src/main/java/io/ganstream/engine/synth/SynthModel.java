package io.ganstream.engine.synth;

import io.ganstream.engine.quality.PrivacyFilter;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Immutable snapshot of a trained synthesizer: the data layout (mode mixtures, ranges, category frequencies)
 * and the generator weights as floats. Generation is a plain-Java forward pass (no DL4J); thread-safe.
 */
public final class SynthModel {
    private final SynthLayout layout;
    private final long version;
    private final int noiseDim;
    private final int[] sizes;
    private final float[][] w;
    private final float[][] b;
    private final MarginalCalibration calibration;
    /** Null when the numeric columns keep the generator's own correlations. */
    private final CorrelationCalibration correlation;
    /** Null when categories are drawn from the generator's own softmax. */
    private final CategoryCalibration categories;
    /** Per column: whether {@link #correlation} maps it. */
    private final boolean[] correlated;
    /** Null when the model carries no privacy filter. */
    private final PrivacyFilter privacy;
    /** Null when its training rows missed no cell (or it was trained before missing cells were modeled). */
    private final MissingCells missing;
    /**
     * Bound on each generator noise value of a model with a vector column (redrawn until under it; 0: none).
     * Why: the truncation trick trades a vector's rarest variations for outputs that look like their class (an
     * image that reads as its label); tables are left untruncated because their numeric columns' spread is
     * what their marginal and correlation calibrations restore, and vector columns have neither.
     */
    private final double truncation;
    /** The noise bound of models with a vector column (see {@link #truncation}; docs/models.md has the choice). */
    static final double VECTOR_TRUNCATION = 1.5;
    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

    SynthModel(SynthLayout layout, long version, int noiseDim, int[] sizes, float[][][] layers) {
        this(layout, version, noiseDim, sizes, layers, MarginalCalibration.identity(layout.columns), null, null, null,
                null, truncation(layout));
    }

    private SynthModel(SynthLayout layout, long version, int noiseDim, int[] sizes, float[][][] layers,
                       MarginalCalibration calibration, CorrelationCalibration correlation,
                       CategoryCalibration categories, PrivacyFilter privacy, MissingCells missing,
                       double truncation) {
        this.layout = layout;
        this.missing = missing;
        this.calibration = calibration;
        this.correlation = correlation;
        this.categories = categories;
        this.correlated = new boolean[layout.columns];
        for (int c = 0; c < layout.columns; c++) {
            correlated[c] = correlation != null && correlation.maps(c);
        }
        this.privacy = privacy;
        this.version = version;
        this.noiseDim = noiseDim;
        this.truncation = truncation;
        this.sizes = sizes.clone();
        this.w = new float[layers.length][];
        this.b = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            w[l] = layers[l][0];
            b[l] = layers[l][1];
        }
    }

    /**
     * This model with its numeric columns' outputs mapped by {@code calibration}, their normal scores by
     * {@code correlation} (null: each column mapped on its own), and its categorical logits shifted by
     * {@code categories} (null: none).
     */
    SynthModel withCalibration(MarginalCalibration calibration, CorrelationCalibration correlation,
                               CategoryCalibration categories) {
        return new SynthModel(layout, version, noiseDim, sizes, layers(), calibration, correlation, categories,
                privacy, missing, truncation);
    }

    /** This model carrying {@code filter} (null: none) for {@link #sampleFiltered}. */
    public SynthModel withPrivacy(PrivacyFilter filter) {
        return new SynthModel(layout, version, noiseDim, sizes, layers(), calibration, correlation, categories,
                filter, missing, truncation);
    }

    /** This model carrying {@code cells} (null: none) for {@link #leaveMissing}. */
    public SynthModel withMissingCells(MissingCells cells) {
        return new SynthModel(layout, version, noiseDim, sizes, layers(), calibration, correlation, categories,
                privacy, cells, truncation);
    }

    /** This model with each noise value bounded by {@code bound} (0: untruncated), its calibrations kept. */
    SynthModel withTruncation(double bound) {
        return new SynthModel(layout, version, noiseDim, sizes, layers(), calibration, correlation, categories,
                privacy, missing, bound);
    }

    /** Which cells its training rows missed, null when none. */
    public MissingCells missingCells() {
        return missing;
    }

    /**
     * Leaves cells of {@code rows} missing (in place) as the training rows missed them ({@link MissingCells}), none
     * of a column in {@code conditions}; unchanged when the training rows missed none.
     */
    public void leaveMissing(double[][] rows, Map<Integer, Integer> conditions, long seed) {
        if (missing != null) {
            missing.apply(rows, conditions, seed);
        }
    }

    /** The noise bound for a model of {@code layout}: {@link #VECTOR_TRUNCATION} with a vector column, else none. */
    static double truncation(SynthLayout layout) {
        for (boolean v : layout.vector) {
            if (v) {
                return VECTOR_TRUNCATION;
            }
        }
        return 0;
    }

    /** Each noise value's bound (0: untruncated standard normal noise). */
    double truncation() {
        return truncation;
    }

    private float[][][] layers() {
        float[][][] layers = new float[w.length][][];
        for (int l = 0; l < w.length; l++) {
            layers[l] = new float[][]{w[l], b[l]};
        }
        return layers;
    }

    /** The privacy filter built from the training rows of this version, null when it has none. */
    public PrivacyFilter privacy() {
        return privacy;
    }

    /** Rounds of sampling (the first included) {@link #sampleFiltered} makes up refused rows in before it gives up. */
    public static final int FILTER_ROUNDS = 4;

    /**
     * What {@link #sampleFiltered} returns.
     *
     * @param rows    the rows that passed the filter: {@code n} of them, fewer ({@code missing}) when too many were
     *                refused
     * @param refused rows generated and refused
     * @param missing rows short of {@code n} after {@value #FILTER_ROUNDS} rounds
     */
    public record Filtered(double[][] rows, long refused, int missing) {
    }

    /**
     * Up to {@code n} rows, none of which the privacy filter refuses at {@code quantile}: {@link #sample(int, Map,
     * long)}'s rows (the same ones, in the same places, when none is refused), each refused row replaced in its place
     * by a row driven by the same category of the same column (so the filter does not move the categories' shares:
     * the rows a filter refuses are the rare categories' more often than the others', since a category of a few
     * training rows is where a faithful row lies close to one of them). Replacements are drawn for up to
     * {@value #FILTER_ROUNDS} - 1 rounds (twice the shortfall of each category plus 4 rows, other seeds); what is
     * still missing then is made up by one last round without that condition, and fewer rows are returned when even
     * that falls short. Without a filter, {@code sample}'s rows.
     */
    public Filtered sampleFiltered(int n, Map<Integer, Integer> conditions, long seed, double quantile) {
        if (privacy == null) {
            return new Filtered(sample(n, conditions, seed), 0, 0);
        }
        double threshold = privacy.threshold(quantile);
        int[][] driving = new int[2][n];
        double[][] rows = generate(n, conditions, seed, false, driving);
        long refused = 0;
        // the places still open, by the column and category that drove their refused row (ordered: seeded rounds)
        TreeMap<Long, ArrayList<Integer>> open = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            if (privacy.refuses(rows[i], threshold)) {
                refused++;
                rows[i] = null;
                long key = ((long) driving[0][i] << 32) | (driving[1][i] & 0xFFFFFFFFL);
                open.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        for (int round = 1; round < FILTER_ROUNDS && !open.isEmpty(); round++) {
            boolean last = round == FILTER_ROUNDS - 1;
            Iterator<Map.Entry<Long, ArrayList<Integer>>> groups = open.entrySet().iterator();
            ArrayList<Integer> rest = new ArrayList<>();
            while (groups.hasNext()) {
                Map.Entry<Long, ArrayList<Integer>> g = groups.next();
                if (last) {
                    rest.addAll(g.getValue());
                    continue;
                }
                int column = (int) (g.getKey() >> 32);
                Map<Integer, Integer> drive = conditions;
                if (column >= 0 && !conditions.containsKey(column)) {
                    drive = new HashMap<>(conditions);
                    drive.put(column, (int) (long) g.getKey());
                }
                refused += fill(rows, g.getValue(), drive, seed + round * 0x9E3779B97F4A7C15L
                        + g.getKey() * 0xBF58476D1CE4E5B9L, threshold);
                if (g.getValue().isEmpty()) {
                    groups.remove();
                }
            }
            if (last) {
                Collections.sort(rest);
                refused += fill(rows, rest, conditions, seed + round * 0x9E3779B97F4A7C15L, threshold);
                open.clear();
                if (!rest.isEmpty()) {
                    open.put(0L, rest);
                }
            }
        }
        int missing = 0;
        for (ArrayList<Integer> places : open.values()) {
            missing += places.size();
        }
        if (missing == 0) {
            return new Filtered(rows, refused, 0);
        }
        double[][] kept = new double[n - missing][];
        int have = 0;
        for (double[] r : rows) {
            if (r != null) {
                kept[have++] = r;
            }
        }
        return new Filtered(kept, refused, missing);
    }

    /**
     * Draws twice as many rows as {@code places} plus 4 under {@code conditions} and puts those the filter passes
     * into the places, in order; the places filled are removed from the list. Returns the rows refused.
     */
    private long fill(double[][] rows, List<Integer> places, Map<Integer, Integer> conditions, long seed,
                      double threshold) {
        double[][] drawn = generate(2 * places.size() + 4, conditions, seed, false);
        long refused = 0;
        int filled = 0;
        for (int i = 0; i < drawn.length && filled < places.size(); i++) {
            if (privacy.refuses(drawn[i], threshold)) {
                refused++;
            } else {
                rows[places.get(filled++)] = drawn[i];
            }
        }
        places.subList(0, filled).clear();
        return refused;
    }

    /** The same generator without marginal calibration (for measuring what the calibration adds). */
    public SynthModel uncalibrated() {
        return withCalibration(MarginalCalibration.identity(layout.columns), null, null);
    }

    /**
     * The same generator with each numeric column calibrated on its own and categories drawn from its own softmax
     * (what the generator has learned, for deciding when it stops and for measuring what the joint calibrations add).
     */
    public SynthModel marginalsOnly() {
        return correlation == null && categories == null ? this : withCalibration(calibration, null, null);
    }

    /**
     * The same generator with its correlation calibration refitted on {@code real}, each class fitted as
     * {@code classFit} says: for measuring, on one generator, what the learner's choice between them changes
     * ({@code bench synth} prints each).
     */
    public SynthModel refitCorrelation(double[][] real, CorrelationCalibration.ClassFit classFit, long seed) {
        return refitCorrelation(real, classFit, seed, -1);
    }

    /** As above, each row's map picked by its own category in {@code keyColumn} (-1: by its driving column). */
    public SynthModel refitCorrelation(double[][] real, CorrelationCalibration.ClassFit classFit, long seed,
                                       int keyColumn) {
        return refitCorrelation(real, classFit, seed, keyColumn, true);
    }

    /** As above; without {@code rake}, only the key's categories get their mean scores ({@link MeanRaking}). */
    public SynthModel refitCorrelation(double[][] real, CorrelationCalibration.ClassFit classFit, long seed,
                                       int keyColumn, boolean rake) {
        return refitCorrelation(real, classFit, seed, keyColumn, rake, SynthLearner.calibrationRows(real.length));
    }

    /** As above, on {@code calibrationRows} unconditioned generated rows (a converged model's: as many as its rows). */
    public SynthModel refitCorrelation(double[][] real, CorrelationCalibration.ClassFit classFit, long seed,
                                       int keyColumn, boolean rake, int calibrationRows) {
        CalibrationSample generated = CalibrationSample.draw(categoriesOnly(), layout.spec, real, real.length,
                calibrationRows, seed);
        return withCalibration(calibration, CorrelationCalibration.fit(layout.spec, calibration, real, real.length,
                generated, classFit, keyColumn, rake), categories);
    }

    /**
     * The categorical columns a refit on {@code real} offers as keys ({@link #refitCorrelation} picks the best of
     * the driving column's fit and theirs), in column order; null where this model has no correlation
     * calibration to take its mapped columns from.
     */
    public int[] keyCandidates(double[][] real) {
        return correlation == null ? null : correlation.keyCandidates(layout.spec, calibration, real, real.length);
    }

    /** Its rows' map picked by: "driving" (the row's driving column), a column's name (keyed), "none" (no maps). */
    public String calibrationKey() {
        if (correlation == null || correlation.categoryMaps() == 0) {
            return "none";
        }
        int key = correlation.keyColumn();
        return key < 0 ? "driving" : layout.spec.column(key).name();
    }

    /** Whether its correlation calibration shifts rows by their categories ({@link MeanRaking}). */
    boolean raked() {
        return correlation != null && correlation.hasRaking();
    }

    /** Whether its correlation calibration gives each class its own marginals (within its class maps). */
    boolean hasClassMarginals() {
        return correlation != null && correlation.hasClassMarginals();
    }

    /** {@link #calibrationKey()}, then "/marginals" (classes keep their own marginals) or "/correlations"; or "none". */
    public String calibrationFit() {
        if (correlation == null) {
            return "none";
        }
        return calibrationKey() + (hasClassMarginals() ? "/marginals" : "/correlations");
    }

    /** How its correlation calibration fits a class: its own marginals or its correlations (none: correlations). */
    public CorrelationCalibration.ClassFit calibrationClassFit() {
        return hasClassMarginals() ? CorrelationCalibration.ClassFit.MARGINALS
                : CorrelationCalibration.ClassFit.CORRELATIONS;
    }

    /** The same generator drawing categories from its own softmax (for measuring what the category map adds). */
    public SynthModel withoutCategoryCalibration() {
        return categories == null ? this : withCalibration(calibration, correlation, null);
    }

    /**
     * The same generator with its category calibration only: the rows its calibrations are fitted on decode as its
     * served rows do before their numbers are mapped (drawn from the generator's own softmax, a class's rows were
     * not those a served row of that class comes from).
     */
    SynthModel categoriesOnly() {
        return withCategoriesOnly(categories);
    }

    /** The same generator calibrated by {@code categories} (null: none) alone, as {@link #categoriesOnly()}. */
    SynthModel withCategoriesOnly(CategoryCalibration categories) {
        return withCalibration(MarginalCalibration.identity(layout.columns), null, categories);
    }

    /**
     * The same generator with its categories at the pooled frequencies only, none per class of the key column (for
     * measuring what the class offsets add); itself when it has none.
     */
    public SynthModel withPooledCategories() {
        return categories == null || !categories.hasClasses() ? this
                : withCalibration(calibration, correlation, categories.pooled());
    }

    public long versionNumber() {
        return version;
    }

    public String version() {
        return "ctgan-" + version;
    }

    public TableSpec spec() {
        return layout.spec;
    }

    public SynthLayout layout() {
        return layout;
    }

    /** Generates {@code n} rows without conditions. */
    public double[][] sample(int n, long seed) {
        return sample(n, Map.of(), seed);
    }

    /**
     * Generates exactly {@code n} rows. Every categorical condition (column index -> category index) is honored
     * in every row: the rarest requested category drives the generator's conditional vector and every
     * conditioned cell is set to its requested value (no rejection sampling). Vector elements are the sigmoid
     * outputs scaled back to the column's range. Numeric cells are decoded from the mode mixtures, clamped to the observed range and {@link Column#conform}ed. Same seed => same rows.
     */
    public double[][] sample(int n, Map<Integer, Integer> conditions, long seed) {
        return generate(n, conditions, seed, false);
    }

    /**
     * Unconditioned rows with numeric cells as the generator decodes them: not calibrated, clamped or rounded;
     * {@code driving[0][r]} and {@code driving[1][r]} receive the column and category that drove row r (-1: none).
     */
    double[][] sampleDecoded(int n, long seed, int[][] driving) {
        return generate(n, Map.of(), seed, true, driving);
    }

    /** As above, every row conditioned as {@code conditions} says (as {@link #sample(int, Map, long)}). */
    double[][] sampleDecoded(int n, Map<Integer, Integer> conditions, long seed) {
        return generate(n, conditions, seed, true, null);
    }

    /**
     * The rows {@link #sampleDecoded} decoded, calibrated as this model calibrates its own: what {@code sample}
     * would have made of the same generator outputs. For comparing calibrations of one generator on one set of
     * its rows (the forward pass, most of a row's cost, made once).
     *
     * @param driving the rows' driving columns and categories, as {@code sampleDecoded} wrote them
     */
    double[][] calibrate(double[][] decodedRows, int[][] driving) {
        double[] decoded = correlation == null ? null : new double[layout.columns];
        double[] scores = decoded == null ? null : new double[correlation.scratchSize()];
        double[][] rows = new double[decodedRows.length][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = decodedRows[r].clone();
            calibrateRow(rows[r], decoded, scores, driving[0][r], driving[1][r]);
        }
        return rows;
    }

    /**
     * Calibrates, in place, the numeric cells of one decoded row driven by {@code category} of {@code column}: each
     * column by its marginal map, the correlated ones together by the correlation calibration, then clamped and
     * rounded. {@code decoded} and {@code scores}: scratch (null without a correlation calibration).
     */
    private void calibrateRow(double[] row, double[] decoded, double[] scores, int column, int category) {
        TableSpec spec = layout.spec;
        for (int c = 0; c < layout.columns; c++) {
            if (layout.vector[c] || layout.categorical[c]) {
                continue;
            }
            double v = row[spec.offset(c)];
            if (correlated[c]) {
                decoded[c] = v; // mapped with the other correlated columns once the row is decoded
            } else {
                row[spec.offset(c)] = finish(c, calibration.apply(c, v));
            }
        }
        if (decoded != null) {
            correlation.apply(spec, calibration, decoded, row, scores, column, category);
            for (int c = 0; c < layout.columns; c++) {
                if (correlated[c]) {
                    row[spec.offset(c)] = finish(c, row[spec.offset(c)]);
                }
            }
        }
    }

    private double[][] generate(int n, Map<Integer, Integer> conditions, long seed, boolean decodedOnly) {
        return generate(n, conditions, seed, decodedOnly, null);
    }

    /** As above; {@code driving}, when given, receives each row's driving column and category ({@code [2][n]}). */
    private double[][] generate(int n, Map<Integer, Integer> conditions, long seed, boolean decodedOnly,
                                int[][] driving) {
        if (n < 0) {
            throw new IllegalArgumentException("n < 0");
        }
        int cols = layout.columns;
        int[] fixed = new int[cols];
        java.util.Arrays.fill(fixed, -1);
        int condCol = -1;
        for (Map.Entry<Integer, Integer> e : conditions.entrySet()) {
            int c = e.getKey();
            if (c < 0 || c >= cols || !layout.categorical[c]) {
                throw new IllegalArgumentException("condition on a non-categorical column " + c);
            }
            int k = e.getValue();
            if (k < 0 || k >= layout.outWidth[c]) {
                throw new IllegalArgumentException("category " + k + " out of range for column " + c);
            }
            fixed[c] = k;
            if (condCol < 0 || layout.freq[c][k] < layout.freq[condCol][fixed[condCol]]) {
                condCol = c;
            }
        }
        TableSpec spec = layout.spec;
        SplittableRandom rng = new SplittableRandom(seed);
        int h1 = sizes[1];
        int h2 = sizes[2];
        int out = sizes[3];
        float[] a1 = new float[h1];
        float[] a2 = new float[h2];
        float[] o = new float[out];
        int maxW = 1;
        for (int c = 0; c < cols; c++) {
            maxW = Math.max(maxW, layout.outWidth[c]);
        }
        double[] p = new double[maxW];
        double[] decoded = correlation == null || decodedOnly ? null : new double[cols];
        double[] scores = decoded == null ? null : new double[correlation.scratchSize()];
        double[][] rows = new double[n][];
        int nc = layout.catCols.length;
        for (int r = 0; r < n; r++) {
            // conditional vector: one category of one column
            int cc = condCol;
            int cat = cc >= 0 ? fixed[cc] : -1;
            if (cc < 0 && nc > 0) {
                cc = layout.catCols[rng.nextInt(nc)];
                cat = draw(layout.freq[cc], rng);
            }
            forward(rng, cc, cat, a1, a2, o);
            if (driving != null) {
                driving[0][r] = cc;
                driving[1][r] = cat;
            }
            int keyColumn = -1;
            int keyCategory = -1;
            if (categories != null) {
                categories.shift(o);
                keyColumn = categories.keyColumn();
                if (keyColumn >= 0) {
                    // the key's category first: the other columns' offsets depend on it
                    if (fixed[keyColumn] >= 0 || keyColumn == cc) {
                        keyCategory = fixed[keyColumn] >= 0 ? fixed[keyColumn] : cat;
                    } else {
                        categories.shiftKey(o, layout.outStart[keyColumn], cc, cat);
                        keyCategory = softmaxDraw(o, layout.outStart[keyColumn], layout.outWidth[keyColumn],
                                layout.dimActive, rng, p);
                    }
                    categories.shiftForClass(o, keyCategory);
                }
            }
            double[] row = new double[spec.cellCount()];
            for (int c = 0; c < cols; c++) {
                int s = layout.outStart[c];
                int wd = layout.outWidth[c];
                Column col = spec.column(c);
                double v;
                if (layout.vector[c]) {
                    int cell = spec.offset(c);
                    int dec = layout.decimals[c];
                    for (int k = 0; k < wd; k++) {
                        double e = VectorScale.decode(o[s + k], layout.min[c], layout.max[c]);
                        if (dec >= 0 && dec < 7) {
                            e = Math.rint(e * POW10[dec]) / POW10[dec];
                        }
                        row[cell + k] = col.conform(e);
                    }
                    continue;
                }
                if (layout.categorical[c]) {
                    // The column that drove the conditional vector takes its category: the other cells were
                    // generated for it (a softmax draw disagreeing with the condition would mislabel the row).
                    v = fixed[c] >= 0 ? fixed[c] : c == cc ? cat : c == keyColumn ? keyCategory
                            : softmaxDraw(o, s, wd, layout.dimActive, rng, p);
                } else {
                    double alpha = Math.tanh(o[s]);
                    int mode = softmaxDraw(o, s + 1, wd - 1, layout.dimActive, rng, p);
                    v = layout.mix[c].decode(mode, alpha);
                }
                row[spec.offset(c)] = v;
            }
            if (!decodedOnly) {
                calibrateRow(row, decoded, scores, cc, cat);
            }
            rows[r] = row;
        }
        return rows;
    }

    /** The generator's raw outputs for one row: noise drawn from {@code rng}, category {@code cat} of column {@code cc} (-1: none). */
    private void forward(SplittableRandom rng, int cc, int cat, float[] a1, float[] a2, float[] o) {
        int h1 = sizes[1];
        int h2 = sizes[2];
        int out = sizes[3];
        System.arraycopy(b[0], 0, a1, 0, h1);
        float[] w0 = w[0];
        for (int j = 0; j < noiseDim; j++) {
            float z = (float) noise(rng);
            int base = j * h1;
            for (int k = 0; k < h1; k++) {
                a1[k] += z * w0[base + k];
            }
        }
        if (cc >= 0) {
            int base = (noiseDim + layout.condStart[cc] + cat) * h1;
            for (int k = 0; k < h1; k++) {
                a1[k] += w0[base + k];
            }
        }
        dense(a1, h1, w[1], b[1], a2, h2);
        dense(a2, h2, w[2], b[2], o, out);
    }

    /** One noise value: a standard normal draw, redrawn while its magnitude reaches {@link #truncation}. */
    private double noise(SplittableRandom rng) {
        double z = rng.nextGaussian();
        while (truncation > 0 && Math.abs(z) >= truncation) {
            z = rng.nextGaussian();
        }
        return z;
    }

    /**
     * Raw categorical logits of {@code n} unconditioned rows (what {@link #sample(int, long)} draws from before any
     * category calibration); {@code driving[0][r]} and {@code driving[1][r]} receive the column and category that
     * drove row r (-1: none).
     */
    float[][] rawOutputs(int n, long seed, int[][] driving) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a1 = new float[sizes[1]];
        float[] a2 = new float[sizes[2]];
        float[][] outs = new float[n][];
        int nc = layout.catCols.length;
        for (int r = 0; r < n; r++) {
            int cc = -1;
            int cat = -1;
            if (nc > 0) {
                cc = layout.catCols[rng.nextInt(nc)];
                cat = draw(layout.freq[cc], rng);
            }
            outs[r] = new float[sizes[3]];
            forward(rng, cc, cat, a1, a2, outs[r]);
            driving[0][r] = cc;
            driving[1][r] = cat;
        }
        return outs;
    }

    /** A calibrated numeric value clamped to the observed range, rounded to the observed decimals, conformed. */
    private double finish(int c, double value) {
        double v = value;
        if (v < layout.min[c]) {
            v = layout.min[c];
        } else if (v > layout.max[c]) {
            v = layout.max[c];
        }
        int dec = layout.decimals[c];
        if (dec >= 0 && dec < 7) {
            double sc = POW10[dec];
            v = Math.rint(v * sc) / sc;
        }
        return layout.spec.column(c).conform(v);
    }

    private static int draw(double[] probs, SplittableRandom rng) {
        double u = rng.nextDouble();
        for (int k = 0; k < probs.length; k++) {
            u -= probs[k];
            if (u <= 0) {
                return k;
            }
        }
        for (int k = probs.length - 1; k >= 0; k--) {
            if (probs[k] > 0) {
                return k;
            }
        }
        return 0;
    }

    /** Samples an index in [0, wd) from softmax(o[s..s+wd)) over active dims (Gumbel-max equivalent). */
    private static int softmaxDraw(float[] o, int s, int wd, boolean[] active, SplittableRandom rng, double[] p) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < wd; j++) {
            if (active[s + j]) {
                mx = Math.max(mx, o[s + j]);
            }
        }
        double tot = 0;
        for (int j = 0; j < wd; j++) {
            double e = active[s + j] ? Math.exp(o[s + j] - mx) : 0;
            p[j] = e;
            tot += e;
        }
        double u = rng.nextDouble() * tot;
        int last = 0;
        for (int j = 0; j < wd; j++) {
            if (p[j] > 0) {
                last = j;
                u -= p[j];
                if (u <= 0) {
                    return j;
                }
            }
        }
        return last;
    }

    /**
     * {@code y = b + relu(x) W} for a row-major {@code W[nIn][nOut]}, skipping the inputs ReLU zeroes (the
     * layers after the first take the previous layer's pre-activations).
     */
    private static void dense(float[] x, int nIn, float[] w, float[] b, float[] y, int nOut) {
        System.arraycopy(b, 0, y, 0, nOut);
        for (int j = 0; j < nIn; j++) {
            float z = x[j];
            if (z <= 0) {
                continue;
            }
            int base = j * nOut;
            for (int k = 0; k < nOut; k++) {
                y[k] += z * w[base + k];
            }
        }
    }
}
