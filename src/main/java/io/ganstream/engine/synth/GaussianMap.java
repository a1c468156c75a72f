package io.ganstream.engine.synth;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The optimal-transport map between two Gaussians of normal scores: {@code to + A (z - from)}.
 *
 * @param from the generator's mean scores
 * @param to   the observed mean scores
 * @param a    the map of the deviations
 */
record GaussianMap(double[] from, double[] to, double[][] a) {
    double apply(int p, double[] z) {
        double s = to[p];
        double[] ap = a[p];
        for (int q = 0; q < ap.length; q++) {
            s += ap[q] * (z[q] - from[q]);
        }
        return s;
    }

    void write(DataOutputStream out) throws IOException {
        for (double v : from) {
            out.writeDouble(v);
        }
        for (double v : to) {
            out.writeDouble(v);
        }
        for (double[] row : a) {
            for (double v : row) {
                out.writeDouble(v);
            }
        }
    }

    static GaussianMap read(DataInputStream in, int k) throws IOException {
        double[] from = new double[k];
        double[] to = new double[k];
        double[][] a = new double[k][k];
        for (int p = 0; p < k; p++) {
            from[p] = in.readDouble();
        }
        for (int p = 0; p < k; p++) {
            to[p] = in.readDouble();
        }
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < k; q++) {
                a[p][q] = in.readDouble();
            }
        }
        return new GaussianMap(from, to, a);
    }

    /**
     * Most a category's spread is widened by (a collapsed generator must not blow a map up); narrowing is not
     * bounded: a class far narrower than the generator's rows for it, in the scores of a long-tailed column, lands
     * on values of the tail unless narrowed all the way.
     */
    private static final double MAX_SCALE = 4;

    /**
     * Turns a map between correlations into one between covariances: {@code diag(to) a diag(1/from)}, so that a
     * class's rows also get the observed class's spread of each score (A Σg Aᵀ = Σr when a maps the correlations).
     */
    static void scale(double[][] a, double[] from, double[] to) {
        int k = a.length;
        double[] inverse = new double[k];
        for (int q = 0; q < k; q++) {
            // the generator's spread, at least the observed one over MAX_SCALE
            double g = Math.max(to[q] / MAX_SCALE, from[q]);
            inverse[q] = g > 0 ? 1 / g : 1;
        }
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < k; q++) {
                a[p][q] *= to[p] * inverse[q];
            }
        }
    }

    /** Standard deviation of each score of rows {@code rows[0..n)} about {@code mean}. */
    static double[] spread(double[][] z, int[] rows, int n, double[] mean) {
        int k = mean.length;
        double[] sd = new double[k];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double d = z[rows[i]][p] - mean[p];
                sd[p] += d * d;
            }
        }
        for (int p = 0; p < k; p++) {
            sd[p] = Math.sqrt(sd[p] / Math.max(1, n - 1));
        }
        return sd;
    }
}
