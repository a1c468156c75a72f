package io.ganstream.engine.quality;

import java.util.Arrays;
import java.util.Random;

/**
 * A multinomial logistic regression (softmax) trained by seeded minibatch SGD: the judge of whether generated
 * images show their label. It is deliberately plain (linear in the features), so that it recognizes what the
 * images look like rather than artefacts a deeper model could key on, and fast enough to train in seconds on a
 * few thousand images. Features are expected in [0, 1].
 */
public final class LabelClassifier {
    private static final int BATCH = 50;
    private static final double L2 = 1e-4;
    private final int classes;
    private final int features;
    private final double[][] weights;

    private LabelClassifier(int classes, int features) {
        this.classes = classes;
        this.features = features;
        this.weights = new double[classes][features + 1];
    }

    /**
     * Trains on {@code x} (one feature vector per row, all of one length) with labels {@code y} in
     * {@code [0, classes)}, {@code epochs} passes in a seeded shuffled order, learning rate 0.5 / (1 + epoch).
     */
    public static LabelClassifier train(double[][] x, int[] y, int classes, int epochs, long seed) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need as many labels as rows, and at least one row");
        }
        LabelClassifier s = new LabelClassifier(classes, x[0].length);
        int n = s.features;
        Random rng = new Random(seed);
        int[] order = new int[x.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double[] p = new double[classes];
        double[][] g = new double[classes][n + 1];
        for (int e = 0; e < epochs; e++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double lr = 0.5 / (1 + e);
            for (int b = 0; b < order.length; b += BATCH) {
                for (double[] gr : g) {
                    Arrays.fill(gr, 0);
                }
                int m = Math.min(BATCH, order.length - b);
                for (int q = b; q < b + m; q++) {
                    double[] r = x[order[q]];
                    s.probabilities(r, p);
                    for (int c = 0; c < classes; c++) {
                        double d = p[c] - (c == y[order[q]] ? 1 : 0);
                        for (int k = 0; k < n; k++) {
                            g[c][k] += d * r[k];
                        }
                        g[c][n] += d;
                    }
                }
                for (int c = 0; c < classes; c++) {
                    for (int k = 0; k <= n; k++) {
                        s.weights[c][k] -= lr * (g[c][k] / m + L2 * s.weights[c][k]);
                    }
                }
            }
        }
        return s;
    }

    /** Fills {@code p} (length = classes) with the class probabilities of {@code row}. */
    public void probabilities(double[] row, double[] p) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double z = weights[c][features];
            for (int k = 0; k < features; k++) {
                z += weights[c][k] * row[k];
            }
            p[c] = z;
            mx = Math.max(mx, z);
        }
        double tot = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = Math.exp(p[c] - mx);
            tot += p[c];
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= tot;
        }
    }

    /** The most probable class of {@code row} (the lowest on ties). */
    public int predict(double[] row) {
        double[] p = new double[classes];
        probabilities(row, p);
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The share of {@code x}'s rows predicted as their label in {@code y}. */
    public double accuracy(double[][] x, int[] y) {
        int right = 0;
        for (int i = 0; i < x.length; i++) {
            right += predict(x[i]) == y[i] ? 1 : 0;
        }
        return x.length == 0 ? Double.NaN : right / (double) x.length;
    }
}
