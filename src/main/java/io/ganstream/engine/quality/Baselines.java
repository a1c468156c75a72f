package io.ganstream.engine.quality;

import io.ganstream.engine.table.TableSpec;
import java.util.Arrays;
import java.util.Random;

/**
 * Benchmark baselines over the same row layout: independent per-column sampling from the empirical marginals,
 * and a Gaussian copula (empirical marginals + Gaussian correlation of normal scores; categorical columns via
 * their empirical CDF over frequency-ordered categories, a uniform draw inside the category's interval).
 */
public final class Baselines {
    private Baselines() {
    }

    /** Every cell drawn independently from that column's observed values. */
    public static double[][] independent(TableSpec spec, double[][] real, int n, long seed) {
        Random rng = new Random(seed);
        int cols = spec.columnCount();
        double[][] obs = new double[cols][];
        for (int c = 0; c < cols; c++) {
            obs[c] = QualityReport.column(real, spec.offset(c));
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] row = spec.emptyRow();
            for (int c = 0; c < cols; c++) {
                if (obs[c].length > 0) {
                    row[spec.offset(c)] = obs[c][rng.nextInt(obs[c].length)];
                }
            }
            out[i] = row;
        }
        return out;
    }

    /** Fits a Gaussian copula on {@code real} and samples {@code n} rows. */
    public static double[][] gaussianCopula(TableSpec spec, double[][] real, int n, long seed) {
        Random rng = new Random(seed);
        int cols = spec.columnCount();
        int m = real.length;
        double[][] sorted = new double[cols][];
        int[][] catOrder = new int[cols][];
        double[][] catCum = new double[cols][];
        double[][] z = new double[m][cols];
        for (int c = 0; c < cols; c++) {
            int cell = spec.offset(c);
            if (spec.column(c).isCategorical()) {
                int k = spec.column(c).categories().size();
                double[] cnt = new double[k];
                int tot = 0;
                for (double[] r : real) {
                    if (!Double.isNaN(r[cell])) {
                        cnt[(int) r[cell]]++;
                        tot++;
                    }
                }
                Integer[] ord = new Integer[k];
                for (int j = 0; j < k; j++) {
                    ord[j] = j;
                }
                Arrays.sort(ord, (a, b) -> Double.compare(cnt[b], cnt[a]));
                double[] lo = new double[k];
                double[] cum = new double[k + 1];
                int[] order = new int[k];
                for (int j = 0; j < k; j++) {
                    order[j] = ord[j];
                    cum[j + 1] = cum[j] + (tot == 0 ? 1.0 / k : cnt[ord[j]] / tot);
                    lo[ord[j]] = cum[j];
                }
                catOrder[c] = order;
                catCum[c] = cum;
                for (int i = 0; i < m; i++) {
                    double v = real[i][cell];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    int cat = (int) v;
                    double width = tot == 0 ? 1.0 / k : cnt[cat] / tot;
                    double u = lo[cat] + width * (0.001 + 0.998 * rng.nextDouble());
                    z[i][c] = Normal.inverseCdf(clampU(u));
                }
            } else {
                double[] obs = QualityReport.column(real, cell);
                Arrays.sort(obs);
                sorted[c] = obs;
                for (int i = 0; i < m; i++) {
                    double v = real[i][cell];
                    if (Double.isNaN(v) || obs.length == 0) {
                        continue;
                    }
                    int lo = lowerBound(obs, v);
                    int hi = upperBound(obs, v);
                    double rank = (lo + hi + 1) / 2.0; // average 1-based rank
                    z[i][c] = Normal.inverseCdf(rank / (obs.length + 1));
                }
            }
        }
        // correlation of the normal scores (missing = 0)
        double[][] corr = new double[cols][cols];
        double[] sd = new double[cols];
        for (int a = 0; a < cols; a++) {
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += z[i][a] * z[i][a];
            }
            sd[a] = Math.sqrt(s / Math.max(1, m));
        }
        for (int a = 0; a < cols; a++) {
            for (int b = 0; b < cols; b++) {
                if (a == b) {
                    corr[a][b] = 1;
                    continue;
                }
                double s = 0;
                for (int i = 0; i < m; i++) {
                    s += z[i][a] * z[i][b];
                }
                corr[a][b] = sd[a] > 0 && sd[b] > 0 ? s / m / (sd[a] * sd[b]) : 0;
            }
        }
        double[][] l = cholesky(corr);
        double[][] out = new double[n][];
        double[] e = new double[cols];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cols; c++) {
                e[c] = rng.nextGaussian();
            }
            double[] row = spec.emptyRow();
            for (int c = 0; c < cols; c++) {
                double zz = 0;
                for (int k = 0; k <= c; k++) {
                    zz += l[c][k] * e[k];
                }
                double u = Normal.cdf(zz);
                int cell = spec.offset(c);
                if (spec.column(c).isCategorical()) {
                    double[] cum = catCum[c];
                    int j = 0;
                    while (j < catOrder[c].length - 1 && u > cum[j + 1]) {
                        j++;
                    }
                    row[cell] = catOrder[c][j];
                } else if (sorted[c].length > 0) {
                    double[] s = sorted[c];
                    double pos = u * (s.length - 1);
                    int lo = (int) Math.floor(pos);
                    int hi = Math.min(s.length - 1, lo + 1);
                    double v = s[lo] + (pos - lo) * (s[hi] - s[lo]);
                    row[cell] = spec.column(c).conform(v);
                }
            }
            out[i] = row;
        }
        return out;
    }

    private static double clampU(double u) {
        return Math.max(1e-6, Math.min(1 - 1e-6, u));
    }

    private static int lowerBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The last index whose value is {@code <= v} in the sorted {@code a} (-1: none). */
    private static int upperBound(double[] a, double v) {
        return QualityReport.bin(v, a) - 1;
    }

    static double[][] cholesky(double[][] a) {
        int n = a.length;
        for (double jitter = 0; ; jitter = jitter == 0 ? 1e-6 : jitter * 10) {
            double[][] l = new double[n][n];
            boolean ok = true;
            for (int i = 0; i < n && ok; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = a[i][j] + (i == j ? jitter : 0);
                    for (int k = 0; k < j; k++) {
                        s -= l[i][k] * l[j][k];
                    }
                    if (i == j) {
                        if (s <= 0) {
                            ok = false;
                            break;
                        }
                        l[i][i] = Math.sqrt(s);
                    } else {
                        l[i][j] = s / l[j][j];
                    }
                }
            }
            if (ok) {
                return l;
            }
        }
    }
}
