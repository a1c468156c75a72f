package io.ganstream.engine.synth;

import io.ganstream.engine.quality.Normal;
import io.ganstream.engine.table.TableSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Per category of every categorical column, a shift of the mapped normal scores (after a row's Gaussian map in a
 * {@link CorrelationCalibration}), so that the rows of each category of each categorical column have that
 * category's observed mean score of every mapped column. A row's shift is the sum of its categories' shifts, fitted
 * as proportional fitting fits marginals: column after column, each category's shift corrected by what its rows
 * still lack, until all agree. Why: a map keyed on one column gives that column's classes their own means, but the
 * other categorical columns' classes keep the generator's, and where the generator missed how a rarely driven
 * column (a target of two classes among many columns) moves the numbers, a classifier trained on the synthetic rows
 * finds no difference between its classes. A category's observed mean is shrunk toward the generator's by
 * {@value #PRIOR_ROWS} rows, as a mean of few rows is noisy; categories of fewer than {@value #MIN_ROWS} rows keep
 * the generator's. The means are those of the rows' ranks, as the quantile maps read them. Immutable.
 */
final class MeanRaking {
    /** Rows by which a category's observed mean is shrunk toward the generator's. */
    static final int PRIOR_ROWS = CorrelationCalibration.MIN_CATEGORY_ROWS;
    /**
     * Least rows, observed and generated, for a category to be shifted (as for a map of its own): the means of
     * fewer rows, fitted against each other across columns, moved an overfitted generator's rows off the training
     * rows it had memorized.
     */
    static final int MIN_ROWS = CorrelationCalibration.MIN_CATEGORY_ROWS;
    /** Rounds over the columns per ranking. */
    private static final int ROUNDS = 10;
    /** A round whose largest correction is below this (in normal scores) ends the rounds, a ranking without one all. */
    private static final double SETTLED = 1e-4;
    /** Rankings: each round's shifts move the classes' ranks by less than themselves, so they are repeated. */
    private static final int OUTER_ROUNDS = 8;

    /** [column][category][mapped column]; null where a column or category has none. */
    private final double[][][] shift;

    private MeanRaking(double[][][] shift) {
        this.shift = shift;
    }

    /**
     * Fits the shifts and adds them to {@code mappedScores}.
     *
     * @param columns      the table columns mapped
     * @param realZ        the observed rows' normal scores (0 where missing)
     * @param generated    the generated rows (their categories are read)
     * @param pooled       how many of the first generated rows are unconditioned (the means are theirs)
     * @param mappedScores per mapped column, every generated row's score after its Gaussian map; shifted in place
     * @return null when the table has fewer than two categorical columns (each row's map gives its class its means)
     */
    static MeanRaking fitAndShift(TableSpec spec, int[] columns, double[][] real, int realCount, double[][] realZ,
                                  double[][] generated, int pooled, double[][] mappedScores) {
        int cols = spec.columnCount();
        int k = columns.length;
        int categorical = 0;
        for (int c = 0; c < cols; c++) {
            categorical += spec.column(c).isCategorical() ? 1 : 0;
        }
        if (categorical < 2 || pooled == 0) {
            return null;
        }
        // the means are matched on the rows' ranks (normal scores of their places among the unconditioned rows,
        // as the quantile maps will read them), not on the shifted scores: shifted classes widen the column,
        // whose quantile map then narrows it again, so a shift moves a class by less than itself on the ranks
        double[][] ranked = new double[k][pooled];
        double[] halfRanks = halfRankScores(pooled);
        for (int p = 0; p < k; p++) {
            rankScores(mappedScores[p], pooled, ranked[p], halfRanks);
        }
        // targets are deviations from the column's overall mean: each categorical column's shrunk class means imply
        // an overall mean of their own, and matched as levels they pulled it back and forth between the columns
        // without end (the shifts drifting apart round after round, unbalanced on rows of unshifted categories)
        double[] realAll = new double[k];
        double[] genAll = new double[k];
        for (int p = 0; p < k; p++) {
            int n = 0;
            for (int i = 0; i < realCount; i++) {
                if (!Double.isNaN(real[i][spec.offset(columns[p])])) {
                    realAll[p] += realZ[i][p];
                    n++;
                }
            }
            realAll[p] = n == 0 ? 0 : realAll[p] / n;
            genAll[p] = mean(ranked[p], pooled);
        }
        int rows = generated.length;
        double[][][] target = new double[cols][][];
        double[][][] shift = new double[cols][][];
        int[][] classCount = new int[cols][];
        int[][] cats = new int[cols][];
        for (int c = 0; c < cols; c++) {
            if (!spec.column(c).isCategorical()) {
                continue;
            }
            int categories = spec.column(c).categories().size();
            int[] rowCats = categoriesOf(generated, rows, spec.offset(c), categories);
            classCount[c] = new int[categories];
            for (int i = 0; i < pooled; i++) {
                if (rowCats[i] >= 0) {
                    classCount[c][rowCats[i]]++;
                }
            }
            target[c] = targets(spec, columns, real, realCount, realZ, c, realAll,
                    classMeans(ranked, rowCats, pooled, categories, k), genAll, classCount[c]);
            shift[c] = new double[categories][];
            for (int cat = 0; cat < categories; cat++) {
                if (target[c][cat] != null) {
                    shift[c][cat] = new double[k];
                }
            }
            for (int i = 0; i < rows; i++) {
                if (rowCats[i] >= 0 && target[c][rowCats[i]] == null) {
                    rowCats[i] = -1;
                }
            }
            cats[c] = rowCats;
        }
        // a ranking's overall means (the first ranking's are the generator's): the rounds keep them (each
        // correction's mean is taken out)
        double[] all = genAll.clone();
        // Within a ranking, a column's correction moves every other column's class means by how many rows each
        // pair of their categories shares: the rounds update the class sums through those counts and the scores
        // only once per ranking (what is read between rankings), instead of passing over every row per column
        // and round. The same sums, in another order of additions. A category with a target has rows among the
        // pooled ones (classCount), and only such categories are left in cats.
        int[][][] shared = new int[cols][cols][];
        for (int c = 0; c < cols; c++) {
            for (int d = 0; d < cols; d++) {
                if (target[c] != null && target[d] != null) {
                    shared[c][d] = sharedRows(cats[c], target[c].length, cats[d], target[d].length, pooled);
                }
            }
        }
        double[][][] sums = new double[cols][][];
        double[][][] applied = new double[cols][][];
        for (int outer = 0; outer < OUTER_ROUNDS; outer++) {
            for (int p = 0; outer > 0 && p < k; p++) {
                rankScores(mappedScores[p], pooled, ranked[p], halfRanks);
                all[p] = mean(ranked[p], pooled);
            }
            for (int c = 0; c < cols; c++) {
                if (target[c] != null) {
                    sums[c] = classSums(ranked, cats[c], pooled, target[c].length, k);
                    applied[c] = new double[target[c].length][k];
                }
            }
            double largest = 0;
            for (int round = 0; round < ROUNDS; round++) {
                double largestThisRound = 0;
                for (int c = 0; c < cols; c++) {
                    if (target[c] == null) {
                        continue;
                    }
                    double[][] step = new double[target[c].length][];
                    for (int cat = 0; cat < step.length; cat++) {
                        if (target[c][cat] != null) {
                            step[cat] = new double[k];
                            for (int p = 0; p < k; p++) {
                                step[cat][p] = sums[c][cat][p] / classCount[c][cat];
                            }
                        }
                    }
                    for (int p = 0; p < k; p++) {
                        // each class's deviation from the overall mean made its target's; the corrections' mean
                        // over the shifted rows taken out, so the overall mean stays where it is
                        double sum = 0;
                        int n = 0;
                        for (int cat = 0; cat < step.length; cat++) {
                            if (step[cat] != null) {
                                step[cat][p] = target[c][cat][p] - (step[cat][p] - all[p]);
                                sum += classCount[c][cat] * step[cat][p];
                                n += classCount[c][cat];
                            }
                        }
                        for (int cat = 0; cat < step.length; cat++) {
                            if (step[cat] != null) {
                                step[cat][p] -= sum / n;
                                shift[c][cat][p] += step[cat][p];
                                applied[c][cat][p] += step[cat][p];
                                largestThisRound = Math.max(largestThisRound, Math.abs(step[cat][p]));
                            }
                        }
                    }
                    for (int d = 0; d < cols; d++) {
                        int[] pairs = shared[c][d];
                        if (pairs == null) {
                            continue;
                        }
                        for (int t = 0; t < pairs.length; t += 3) {
                            double[] s = step[pairs[t]];
                            double[] into = sums[d][pairs[t + 1]];
                            int rowsShared = pairs[t + 2];
                            for (int p = 0; p < k; p++) {
                                into[p] += rowsShared * s[p];
                            }
                        }
                    }
                }
                largest = Math.max(largest, largestThisRound);
                if (largestThisRound < SETTLED) {
                    break;
                }
            }
            for (int c = 0; c < cols; c++) {
                if (target[c] == null) {
                    continue;
                }
                int[] rowCats = cats[c];
                for (int p = 0; p < k; p++) {
                    double[] m = mappedScores[p];
                    for (int i = 0; i < rows; i++) {
                        int cat = rowCats[i];
                        if (cat >= 0) {
                            m[i] += applied[c][cat][p];
                        }
                    }
                }
            }
            if (largest < SETTLED) {
                break;
            }
        }
        return new MeanRaking(shift);
    }

    /**
     * The categories of two columns that share rows among the first {@code n}: (category of a, category of b,
     * rows) triples, flattened.
     */
    private static int[] sharedRows(int[] a, int categoriesA, int[] b, int categoriesB, int n) {
        long cells = (long) categoriesA * categoriesB;
        int[] triples;
        int t = 0;
        if (cells <= 4L * n) {
            int[] shared = new int[(int) cells];
            for (int i = 0; i < n; i++) {
                if (a[i] >= 0 && b[i] >= 0) {
                    shared[a[i] * categoriesB + b[i]]++;
                }
            }
            int nonzero = 0;
            for (int x : shared) {
                nonzero += x > 0 ? 1 : 0;
            }
            triples = new int[3 * nonzero];
            for (int cell = 0; cell < shared.length; cell++) {
                if (shared[cell] > 0) {
                    triples[t++] = cell / categoriesB;
                    triples[t++] = cell % categoriesB;
                    triples[t++] = shared[cell];
                }
            }
            return triples;
        }
        long[] keys = new long[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (a[i] >= 0 && b[i] >= 0) {
                keys[m++] = (long) a[i] * categoriesB + b[i];
            }
        }
        java.util.Arrays.sort(keys, 0, m);
        triples = new int[3 * m];
        for (int i = 0; i < m; ) {
            int j = i;
            while (j < m && keys[j] == keys[i]) {
                j++;
            }
            triples[t++] = (int) (keys[i] / categoriesB);
            triples[t++] = (int) (keys[i] % categoriesB);
            triples[t++] = j - i;
            i = j;
        }
        return java.util.Arrays.copyOf(triples, t);
    }

    /** Per category (zeros where it has no row), the sum of {@code scores} over its rows among the first {@code n}. */
    private static double[][] classSums(double[][] scores, int[] cats, int n, int categories, int k) {
        double[][] sum = new double[categories][k];
        // column by column (each array read in order); each sum still adds its rows in row order
        for (int p = 0; p < k; p++) {
            double[] column = scores[p];
            for (int i = 0; i < n; i++) {
                int cat = cats[i];
                if (cat >= 0) {
                    sum[cat][p] += column[i];
                }
            }
        }
        return sum;
    }

    /** Per row, its category in the cell (-1 where missing or out of range). */
    private static int[] categoriesOf(double[][] rows, int n, int cell, int categories) {
        int[] cats = new int[n];
        for (int i = 0; i < n; i++) {
            cats[i] = category(rows[i][cell], categories);
        }
        return cats;
    }

    /**
     * Per category of column {@code c} (null where it has fewer than {@link #MIN_ROWS} observed or generated rows),
     * the deviation from the column's mean that its rows' mean scores are to have: the observed one, shrunk toward
     * the generator's ({@code genMeans}, of ranks) by {@link #PRIOR_ROWS} rows.
     */
    private static double[][] targets(TableSpec spec, int[] columns, double[][] real, int realCount,
                                      double[][] realZ, int c, double[] realAll, double[][] genMeans,
                                      double[] genAll, int[] genN) {
        int k = columns.length;
        int cell = spec.offset(c);
        int categories = genN.length;
        double[][] realSum = new double[categories][k];
        int[][] realN = new int[categories][k];
        int[] classRows = new int[categories];
        for (int i = 0; i < realCount; i++) {
            int cat = category(real[i][cell], categories);
            if (cat < 0) {
                continue;
            }
            classRows[cat]++;
            for (int p = 0; p < k; p++) {
                if (!Double.isNaN(real[i][spec.offset(columns[p])])) {
                    realSum[cat][p] += realZ[i][p];
                    realN[cat][p]++;
                }
            }
        }
        double[][] target = new double[categories][];
        for (int cat = 0; cat < categories; cat++) {
            if (classRows[cat] < MIN_ROWS || genN[cat] < MIN_ROWS) {
                continue;
            }
            target[cat] = new double[k];
            for (int p = 0; p < k; p++) {
                double gm = genMeans[cat][p];
                int n = realN[cat][p];
                double w = n / (double) (n + PRIOR_ROWS);
                target[cat][p] = n == 0 ? gm - genAll[p]
                        : w * (realSum[cat][p] / n - realAll[p]) + (1 - w) * (gm - genAll[p]);
            }
        }
        return target;
    }

    private static double mean(double[] values, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return sum / n;
    }

    /** Per category (null where it has no row), the mean of {@code scores} over its rows among the first {@code n}. */
    private static double[][] classMeans(double[][] scores, int[] cats, int n, int categories, int k) {
        double[][] mean = classSums(scores, cats, n, categories, k);
        int[] count = new int[categories];
        for (int i = 0; i < n; i++) {
            if (cats[i] >= 0) {
                count[cats[i]]++;
            }
        }
        for (int cat = 0; cat < categories; cat++) {
            if (count[cat] == 0) {
                mean[cat] = null;
                continue;
            }
            for (int p = 0; p < k; p++) {
                mean[cat][p] /= count[cat];
            }
        }
        return mean;
    }

    /** The normal score of every mid-rank among {@code n} values, indexed by twice the mid-rank (first + last place). */
    static double[] halfRankScores(int n) {
        double[] table = new double[2 * n - 1];
        for (int t = 0; t < table.length; t++) {
            table[t] = Normal.inverseCdf((t / 2.0 + 0.5) / n);
        }
        return table;
    }

    /**
     * Normal scores of the first {@code n} values' mid-ranks among themselves (ties share one), into {@code out};
     * {@code halfRanks}: {@link #halfRankScores}{@code (n)}.
     */
    static void rankScores(double[] values, int n, double[] out, double[] halfRanks) {
        // the values' order by a radix sort of their bits, which keeps each value's place (no search for it)
        long[] keys = new long[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("a NaN score to rank");
            }
            long bits = Double.doubleToRawLongBits(v);
            keys[i] = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
            order[i] = i;
        }
        radixSort(keys, order, n);
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double s = halfRanks[i + j];
            for (int t = i; t <= j; t++) {
                out[order[t]] = s;
            }
            i = j + 1;
        }
    }

    /** Sorts {@code keys[0..n)} as unsigned numbers, stably, and {@code order} along with them: byte by byte. */
    private static void radixSort(long[] keys, int[] order, int n) {
        long[] keysTo = new long[n];
        int[] orderTo = new int[n];
        int[] start = new int[257];
        for (int shift = 0; shift < 64; shift += 8) {
            java.util.Arrays.fill(start, 0);
            for (int i = 0; i < n; i++) {
                start[(int) (keys[i] >>> shift & 0xFF) + 1]++;
            }
            if (n == 0 || start[(int) (keys[0] >>> shift & 0xFF) + 1] == n) {
                continue; // every key has this byte
            }
            for (int b = 0; b < 256; b++) {
                start[b + 1] += start[b];
            }
            for (int i = 0; i < n; i++) {
                int to = start[(int) (keys[i] >>> shift & 0xFF)]++;
                keysTo[to] = keys[i];
                orderTo[to] = order[i];
            }
            System.arraycopy(keysTo, 0, keys, 0, n);
            System.arraycopy(orderTo, 0, order, 0, n);
        }
    }

    private static int category(double v, int categories) {
        return Double.isNaN(v) || v < 0 || v >= categories ? -1 : (int) v;
    }

    /** Adds to {@code mapped[from..]} (one row's mapped scores) the shifts of the row's categories. */
    void shift(TableSpec spec, double[] row, double[] mapped, int from) {
        for (int c = 0; c < shift.length; c++) {
            if (shift[c] == null) {
                continue;
            }
            int cat = category(row[spec.offset(c)], shift[c].length);
            if (cat >= 0 && shift[c][cat] != null) {
                double[] s = shift[c][cat];
                for (int p = 0; p < s.length; p++) {
                    mapped[from + p] += s[p];
                }
            }
        }
    }

    /** Categories with a shift. */
    int categories() {
        int n = 0;
        for (double[][] perColumn : shift) {
            if (perColumn != null) {
                for (double[] s : perColumn) {
                    n += s == null ? 0 : 1;
                }
            }
        }
        return n;
    }

    void write(DataOutputStream out, int k) throws IOException {
        out.writeInt(categories());
        for (int c = 0; c < shift.length; c++) {
            if (shift[c] == null) {
                continue;
            }
            for (int cat = 0; cat < shift[c].length; cat++) {
                if (shift[c][cat] != null) {
                    out.writeInt(c);
                    out.writeInt(shift[c].length);
                    out.writeInt(cat);
                    for (int p = 0; p < k; p++) {
                        out.writeDouble(shift[c][cat][p]);
                    }
                }
            }
        }
    }

    static MeanRaking read(DataInputStream in, TableSpec spec, int k) throws IOException {
        int n = in.readInt();
        int cols = spec.columnCount();
        if (n < 0 || n > 1_000_000) {
            throw new IOException("mean raking of " + n + " categories");
        }
        double[][][] shift = new double[cols][][];
        for (int m = 0; m < n; m++) {
            int c = in.readInt();
            int categories = in.readInt();
            int cat = in.readInt();
            if (c < 0 || c >= cols || !spec.column(c).isCategorical()
                    || categories != spec.column(c).categories().size() || cat < 0 || cat >= categories) {
                throw new IOException("mean raking of category " + cat + " of column " + c);
            }
            if (shift[c] == null) {
                shift[c] = new double[categories][];
            }
            shift[c][cat] = new double[k];
            for (int p = 0; p < k; p++) {
                shift[c][cat][p] = in.readDouble();
            }
        }
        return new MeanRaking(shift);
    }
}
