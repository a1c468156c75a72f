package io.ganstream.engine.quality;

import io.ganstream.engine.table.Cholesky;

import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Detection metric: cross-validated (stratified k-fold, seeded) ROC AUC of an L2-regularized logistic
 * regression (C = 1 as scikit-learn's default, Newton/IRLS) telling real (0) from synthetic (1) rows.
 * Features: categorical one-hot, numeric standardized over the pooled rows; missing numeric = pooled mean
 * (0 after standardization), missing categorical = all-zero one-hot; a vector column contributes the elements
 * {@link QualityReport#measuredCells} measures. 0.5 = indistinguishable.
 * <p>
 * A column of more than {@value #MAX_ONE_HOT} categories gets one-hot features for its
 * {@value #MAX_ONE_HOT} − 1 categories most frequent among the pooled rows and one for all the others. Why: the
 * Newton steps cost the cube of the feature count, and a column of a few hundred categories (a director, a
 * distributor) made one measurement take seconds, most of a synthesizer's time; categories seen in a row or two
 * carry little a linear detector can use.
 */
public final class Detection {
    /** Most one-hot features of one categorical column. */
    static final int MAX_ONE_HOT = 32;

    private Detection() {
    }

    public static double logisticAuc(TableSpec spec, double[][] real, double[][] syn, int folds, long seed) {
        int n = real.length + syn.length;
        double[][] x = features(spec, real, syn);
        int[] y = new int[n];
        for (int i = real.length; i < n; i++) {
            y[i] = 1;
        }
        // stratified folds
        int[] fold = new int[n];
        Random rng = new Random(seed);
        for (int cls = 0; cls < 2; cls++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (y[i] == cls) {
                    idx.add(i);
                }
            }
            java.util.Collections.shuffle(idx, rng);
            for (int j = 0; j < idx.size(); j++) {
                fold[idx.get(j)] = j % folds;
            }
        }
        double sum = 0;
        for (int f = 0; f < folds; f++) {
            List<double[]> tx = new ArrayList<>();
            List<Integer> ty = new ArrayList<>();
            List<double[]> vx = new ArrayList<>();
            List<Integer> vy = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    vx.add(x[i]);
                    vy.add(y[i]);
                } else {
                    tx.add(x[i]);
                    ty.add(y[i]);
                }
            }
            double[] w = fit(tx, ty, 1.0);
            double[] score = new double[vx.size()];
            int[] lab = new int[vx.size()];
            for (int i = 0; i < score.length; i++) {
                score[i] = dot(w, vx.get(i));
                lab[i] = vy.get(i);
            }
            sum += auc(score, lab);
        }
        return sum / folds;
    }

    /** Design matrix with a leading intercept column of 1. */
    static double[][] features(TableSpec spec, double[][] real, double[][] syn) {
        int n = real.length + syn.length;
        List<int[]> cells = QualityReport.measuredCells(spec, real);
        int[][] oneHot = new int[cells.size()][];
        int[] width = new int[cells.size()];
        int d = 1;
        for (int j = 0; j < cells.size(); j++) {
            int c = cells.get(j)[0];
            if (spec.column(c).isCategorical()) {
                oneHot[j] = oneHotIndex(real, syn, cells.get(j)[1], spec.column(c).categories().size());
                width[j] = Arrays.stream(oneHot[j]).max().orElse(-1) + 1;
            } else {
                width[j] = 1;
            }
            d += width[j];
        }
        double[][] x = new double[n][d];
        int p = 1;
        for (int j = 0; j < cells.size(); j++) {
            int cell = cells.get(j)[1];
            if (oneHot[j] != null) {
                int[] index = oneHot[j];
                for (int i = 0; i < n; i++) {
                    double v = (i < real.length ? real[i] : syn[i - real.length])[cell];
                    if (!Double.isNaN(v) && v >= 0 && v < index.length) {
                        x[i][p + index[(int) v]] = 1;
                    }
                }
                p += width[j];
            } else {
                double s = 0;
                double ss = 0;
                int m = 0;
                for (int i = 0; i < n; i++) {
                    double v = (i < real.length ? real[i] : syn[i - real.length])[cell];
                    if (!Double.isNaN(v)) {
                        s += v;
                        ss += v * v;
                        m++;
                    }
                }
                double mean = m == 0 ? 0 : s / m;
                double sd = m == 0 ? 1 : Math.sqrt(Math.max(ss / m - mean * mean, 0));
                if (sd <= 0) {
                    sd = 1;
                }
                for (int i = 0; i < n; i++) {
                    double v = (i < real.length ? real[i] : syn[i - real.length])[cell];
                    x[i][p] = Double.isNaN(v) ? 0 : (v - mean) / sd;
                }
                p++;
            }
        }
        for (double[] r : x) {
            r[0] = 1;
        }
        return x;
    }

    /**
     * Feature index of each of {@code k} categories: itself when {@code k} ≤ {@value #MAX_ONE_HOT}, else its rank
     * among the {@value #MAX_ONE_HOT} − 1 most frequent in the pooled rows (ties by category order), the others
     * sharing the last feature.
     */
    static int[] oneHotIndex(double[][] real, double[][] syn, int cell, int k) {
        if (k <= MAX_ONE_HOT) {
            return oneHotIndex(new long[k]);
        }
        long[] count = new long[k];
        for (double[][] rows : new double[][][] {real, syn}) {
            for (double[] r : rows) {
                double v = r[cell];
                if (!Double.isNaN(v) && v >= 0 && v < k) {
                    count[(int) v]++;
                }
            }
        }
        return oneHotIndex(count);
    }

    /**
     * The same feature index from the categories' counts: each category itself when there are at most
     * {@value #MAX_ONE_HOT}, else its rank by count (ties by category order), the ranks from
     * {@value #MAX_ONE_HOT} − 1 on sharing the last feature.
     */
    public static int[] oneHotIndex(long[] count) {
        int k = count.length;
        int[] index = new int[k];
        if (k <= MAX_ONE_HOT) {
            for (int cat = 0; cat < k; cat++) {
                index[cat] = cat;
            }
            return index;
        }
        Integer[] order = new Integer[k];
        for (int cat = 0; cat < k; cat++) {
            order[cat] = cat;
        }
        Arrays.sort(order, (a, b) -> count[a] != count[b] ? Long.compare(count[b], count[a])
                : Integer.compare(a, b));
        for (int rank = 0; rank < k; rank++) {
            index[order[rank]] = Math.min(rank, MAX_ONE_HOT - 1);
        }
        return index;
    }

    /**
     * L2 logistic regression (penalty 1/(2C) ||w||^2 without the intercept, which is feature 0), Newton iterations:
     * the weights of {@code y} (0 or 1) on {@code x}.
     */
    public static double[] fit(List<double[]> x, List<Integer> y, double c) {
        int d = x.get(0).length;
        double[] w = new double[d];
        for (int it = 0; it < 50; it++) {
            double[] g = new double[d];
            double[][] h = new double[d][d];
            for (int i = 0; i < x.size(); i++) {
                double[] xi = x.get(i);
                double p = 1 / (1 + Math.exp(-dot(w, xi)));
                double r = p - y.get(i);
                double s = p * (1 - p);
                for (int a = 0; a < d; a++) {
                    if (xi[a] == 0) {
                        continue;
                    }
                    g[a] += r * xi[a];
                    double sa = s * xi[a];
                    for (int b = 0; b < d; b++) {
                        h[a][b] += sa * xi[b];
                    }
                }
            }
            for (int a = 1; a < d; a++) {
                g[a] += w[a] / c;
                h[a][a] += 1 / c;
            }
            h[0][0] += 1e-8;
            double[] step = Cholesky.solve(h, g);
            double mx = 0;
            for (int a = 0; a < d; a++) {
                w[a] -= step[a];
                mx = Math.max(mx, Math.abs(step[a]));
            }
            if (mx < 1e-8) {
                break;
            }
        }
        return w;
    }

    static double dot(double[] w, double[] x) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * x[i];
        }
        return s;
    }

    /** ROC AUC (Mann-Whitney with average ranks for ties). */
    public static double auc(double[] score, int[] label) {
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double[] rank = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double r = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[order[k]] = r;
            }
            i = j + 1;
        }
        double pos = 0;
        double sumRank = 0;
        for (int k = 0; k < n; k++) {
            if (label[k] == 1) {
                pos++;
                sumRank += rank[k];
            }
        }
        double neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (sumRank - pos * (pos + 1) / 2) / (pos * neg);
    }
}
