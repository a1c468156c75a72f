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
}
