package io.ganstream.engine.quality;

import io.ganstream.engine.table.ColumnKind;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SDMetrics-style quality of synthetic rows vs real rows (same TableSpec layout, NaN = missing, ignored):
 * column shapes = mean over columns of KS complement (numeric/integer/datetime) or TV complement
 * (categorical); column pair trends = mean over pairs of correlation similarity {@code 1 - |r_real - r_syn| / 2}
 * (Pearson, numeric pairs) or contingency similarity {@code 1 - TV(joint)} (numeric binned into 10 quantile
 * bins of the real column); overall = mean of the two. A vector column (an image) is measured through the
 * elements that vary most in the real rows ({@link #measuredCells}): its shape is their mean; its pairs with
 * another column are one term (the mean over its elements), and so are the pairs of its own elements.
 */
public record QualityReport(double overall, double columnShapes, double columnPairTrends, double[] shapePerColumn) {

    public static final int BINS = 10;
    /** Most elements of one vector column that are measured. */
    static final int VECTOR_CELLS = 32;

    public static QualityReport evaluate(TableSpec spec, double[][] real, double[][] syn) {
        return against(spec, real).evaluate(syn);
    }

    /**
     * What {@link #evaluate} reads of the real rows (the measured cells, each numeric cell's bin edges and sorted
     * values, each pair's real correlation or joint distribution), taken once for any number of synthetic
     * samples: a synthesizer scores a dozen calibrations of one sample against the same rows.
     */
    public static Reference against(TableSpec spec, double[][] real) {
        return new Reference(spec, real);
    }

    /** The real side of {@link #evaluate}; {@link #evaluate(double[][])} gives what it gives, to the last bit. */
    public static final class Reference {
        private final TableSpec spec;
        private final List<int[]> measured;
        private final boolean[] categorical;
        /** Per measured cell: the real values sorted (numeric), or their category frequencies (categorical). */
        private final double[][] realSorted;
        private final double[][] realFrequencies;
        /** Per measured numeric cell, the inner edges of its real quantile bins (null for a categorical one). */
        private final double[][] edges;
        /** Per measured cell, its levels: categories, or bins. */
        private final int[] levels;
        /** Per pair (a < b) of measured cells: the real correlation, or the real joint distribution. */
        private final double[][] realCorrelation;
        private final double[][][] realJoint;

        private Reference(TableSpec spec, double[][] real) {
            this.spec = spec;
            this.measured = measuredCells(spec, real);
            int m = measured.size();
            categorical = new boolean[m];
            realSorted = new double[m][];
            realFrequencies = new double[m][];
            edges = new double[m][];
            levels = new int[m];
            int[][] codes = new int[m][];
            for (int j = 0; j < m; j++) {
                int c = measured.get(j)[0];
                double[] values = column(real, measured.get(j)[1]);
                categorical[j] = spec.column(c).isCategorical();
                if (categorical[j]) {
                    levels[j] = spec.column(c).categories().size();
                    realFrequencies[j] = frequencies(values, levels[j]);
                } else {
                    double[] sorted = values.clone();
                    Arrays.sort(sorted);
                    realSorted[j] = sorted;
                    edges[j] = quantileEdgesOfSorted(sorted, BINS);
                    levels[j] = edges[j].length + 1;
                }
                codes[j] = codes(real, j);
            }
            realCorrelation = new double[m][m];
            realJoint = new double[m][m][];
            for (int a = 0; a < m; a++) {
                for (int b = a + 1; b < m; b++) {
                    if (!categorical[a] && !categorical[b]) {
                        realCorrelation[a][b] = pearson(real, measured.get(a)[1], measured.get(b)[1]);
                    } else {
                        realJoint[a][b] = joint(codes[a], codes[b], levels[b], levels[a] * levels[b]);
                    }
                }
            }
        }

        /** Quality of {@code syn} against the real rows this reference was taken of. */
        public QualityReport evaluate(double[][] syn) {
            int cols = spec.columnCount();
            int m = measured.size();
            double[] shape = new double[cols];
            double[] shapeCount = new double[cols];
            int[][] codes = new int[m][];
            for (int j = 0; j < m; j++) {
                int c = measured.get(j)[0];
                double[] values = column(syn, measured.get(j)[1]);
                double s = categorical[j]
                        ? 1 - tvdOfFrequencies(realFrequencies[j], values, levels[j])
                        : 1 - ksSorted(realSorted[j], values);
                if (!Double.isNaN(s)) {
                    shape[c] += s;
                    shapeCount[c]++;
                }
                codes[j] = codes(syn, j);
            }
            double shapeSum = 0;
            int shapeN = 0;
            for (int c = 0; c < cols; c++) {
                shape[c] = shapeCount[c] == 0 ? Double.NaN : shape[c] / shapeCount[c];
                if (!Double.isNaN(shape[c])) {
                    shapeSum += shape[c];
                    shapeN++;
                }
            }
            // one term per pair of columns (a vector's pairs of elements are one term too), each the mean of its
            // cells' pairs: an image's many pixel pairs must not drown its pairs with the label
            double[][] groupSum = new double[cols][cols];
            int[][] groupN = new int[cols][cols];
            for (int a = 0; a < m; a++) {
                for (int b = a + 1; b < m; b++) {
                    double s = pairScore(syn, codes, a, b);
                    if (!Double.isNaN(s)) {
                        groupSum[measured.get(a)[0]][measured.get(b)[0]] += s;
                        groupN[measured.get(a)[0]][measured.get(b)[0]]++;
                    }
                }
            }
            double pairSum = 0;
            int pairN = 0;
            for (int a = 0; a < cols; a++) {
                for (int b = a; b < cols; b++) {
                    if (groupN[a][b] > 0) {
                        pairSum += groupSum[a][b] / groupN[a][b];
                        pairN++;
                    }
                }
            }
            double sh = shapeN == 0 ? Double.NaN : shapeSum / shapeN;
            double pt = pairN == 0 ? Double.NaN : pairSum / pairN;
            double overall = Double.isNaN(pt) ? sh : (sh + pt) / 2;
            return new QualityReport(overall, sh, pt, shape);
        }

        /** Correlation or contingency similarity of measured cells a < b; NaN when undefined. */
        private double pairScore(double[][] syn, int[][] codes, int a, int b) {
            if (!categorical[a] && !categorical[b]) {
                double rr = realCorrelation[a][b];
                double rs = pearson(syn, measured.get(a)[1], measured.get(b)[1]);
                if (Double.isNaN(rr) || Double.isNaN(rs)) {
                    return Double.NaN;
                }
                return 1 - Math.abs(rr - rs) / 2;
            }
            double[] pr = realJoint[a][b];
            double[] ps = joint(codes[a], codes[b], levels[b], levels[a] * levels[b]);
            if (pr == null || ps == null) {
                return Double.NaN;
            }
            double tv = 0;
            for (int i = 0; i < pr.length; i++) {
                tv += Math.abs(pr[i] - ps[i]);
            }
            return 1 - tv / 2;
        }

        /** Each row's level (category or bin) of measured cell {@code j}; -1 where missing. */
        private int[] codes(double[][] rows, int j) {
            int cell = measured.get(j)[1];
            int[] out = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                double v = rows[i][cell];
                out[i] = Double.isNaN(v) ? -1 : categorical[j] ? clampCat(v, levels[j]) : bin(v, edges[j]);
            }
            return out;
        }
    }

    /** The joint distribution of two cells' levels over the rows where both are observed; null where none is. */
    private static double[] joint(int[] codesA, int[] codesB, int levelsB, int cells) {
        double[] p = new double[cells];
        int n = 0;
        for (int i = 0; i < codesA.length; i++) {
            if (codesA[i] < 0 || codesB[i] < 0) {
                continue;
            }
            p[codesA[i] * levelsB + codesB[i]]++;
            n++;
        }
        if (n == 0) {
            return null;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= n;
        }
        return p;
    }

    /**
     * The cells that stand for each column, as {column, cell}: a scalar column's own cell; for a vector column
     * (an image) up to {@value #VECTOR_CELLS} of its elements, those that vary most in the real rows, so that
     * its shape and its pairs (stroke structure; with the label, what each label's images look like) are
     * measured where the images differ, not on a border pixel that is always blank.
     */
    static List<int[]> measuredCells(TableSpec spec, double[][] real) {
        List<int[]> cells = new ArrayList<>();
        for (int c = 0; c < spec.columnCount(); c++) {
            int width = spec.column(c).kind() == ColumnKind.VECTOR ? spec.column(c).width() : 1;
            if (width <= 1) {
                cells.add(new int[] {c, spec.offset(c)});
                continue;
            }
            Integer[] order = new Integer[width];
            double[] variance = new double[width];
            for (int k = 0; k < width; k++) {
                order[k] = k;
                double[] values = column(real, spec.offset(c) + k);
                variance[k] = values.length < 2 ? 0 : Coverage.variance(values);
            }
            Arrays.sort(order, (x, y) -> variance[y] != variance[x] ? Double.compare(variance[y], variance[x])
                    : Integer.compare(x, y));
            int[] chosen = new int[Math.min(VECTOR_CELLS, width)];
            for (int k = 0; k < chosen.length; k++) {
                chosen[k] = order[k];
            }
            Arrays.sort(chosen);
            for (int k : chosen) {
                cells.add(new int[] {c, spec.offset(c) + k});
            }
        }
        return cells;
    }


    private static int clampCat(double v, int k) {
        return Math.max(0, Math.min(k - 1, (int) v));
    }

    /** Inner bin edges at the real column's quantiles i/bins (distinct values only). */
    public static double[] quantileEdges(double[] values, int bins) {
        double[] v = values.clone();
        Arrays.sort(v);
        return quantileEdgesOfSorted(v, bins);
    }

    /** {@link #quantileEdges} of values sorted already. */
    private static double[] quantileEdgesOfSorted(double[] v, int bins) {
        List<Double> edges = new ArrayList<>();
        for (int i = 1; i < bins; i++) {
            if (v.length == 0) {
                break;
            }
            double q = v[Math.min(v.length - 1, (int) ((double) i / bins * v.length))];
            if (edges.isEmpty() || q > edges.get(edges.size() - 1)) {
                edges.add(q);
            }
        }
        double[] e = new double[edges.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = edges.get(i);
        }
        return e;
    }

    /** Bin index: number of edges <= v (so bins are [e_{i-1}, e_i)). */
    static int bin(double v, double[] edges) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Observed (non-NaN) values of one cell. */
    public static double[] column(double[][] rows, int cell) {
        double[] out = new double[rows.length];
        int n = 0;
        for (double[] r : rows) {
            if (!Double.isNaN(r[cell])) {
                out[n++] = r[cell];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Two-sample Kolmogorov-Smirnov statistic (NaN if a side is empty). */
    public static double ks(double[] a, double[] b) {
        double[] x = a.clone();
        Arrays.sort(x);
        return ksSorted(x, b);
    }

    /** {@link #ks} of {@code x}, sorted already, and {@code b}. */
    private static double ksSorted(double[] x, double[] b) {
        if (x.length == 0 || b.length == 0) {
            return Double.NaN;
        }
        double[] y = b.clone();
        Arrays.sort(y);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        return d;
    }

    /** Total variation distance of two category-index samples over k categories. */
    public static double tvd(double[] a, double[] b, int k) {
        if (a.length == 0) {
            return Double.NaN;
        }
        return tvdOfFrequencies(frequencies(a, k), b, k);
    }

    /** {@link #tvd} of a sample's {@link #frequencies} (null for an empty one) and another sample. */
    private static double tvdOfFrequencies(double[] pa, double[] b, int k) {
        if (pa == null || b.length == 0) {
            return Double.NaN;
        }
        double[] pb = frequencies(b, k);
        double tv = 0;
        for (int i = 0; i < k; i++) {
            tv += Math.abs(pa[i] - pb[i]);
        }
        return tv / 2;
    }

    /** Each category's share of a category-index sample; null for an empty one. */
    private static double[] frequencies(double[] a, int k) {
        if (a.length == 0) {
            return null;
        }
        double[] pa = new double[k];
        for (double v : a) {
            pa[clampCat(v, k)] += 1.0 / a.length;
        }
        return pa;
    }

    /** Pearson correlation over rows where both cells are observed; NaN if undefined. */
    public static double pearson(double[][] rows, int ia, int ib) {
        double sa = 0;
        double sb = 0;
        int n = 0;
        for (double[] r : rows) {
            if (!Double.isNaN(r[ia]) && !Double.isNaN(r[ib])) {
                sa += r[ia];
                sb += r[ib];
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double ma = sa / n;
        double mb = sb / n;
        double cab = 0;
        double caa = 0;
        double cbb = 0;
        for (double[] r : rows) {
            if (!Double.isNaN(r[ia]) && !Double.isNaN(r[ib])) {
                double x = r[ia] - ma;
                double y = r[ib] - mb;
                cab += x * y;
                caa += x * x;
                cbb += y * y;
            }
        }
        if (caa <= 0 || cbb <= 0) {
            return Double.NaN;
        }
        return cab / Math.sqrt(caa * cbb);
    }

    @Override
    public String toString() {
        return String.format("quality=%.4f shape=%.4f pair=%.4f", overall, columnShapes, columnPairTrends);
    }
}
