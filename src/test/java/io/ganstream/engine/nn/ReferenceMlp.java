package io.ganstream.engine.nn;

import java.util.Random;

/**
 * Test reference (the engine's former plain-Java network, now replaced by DL4J): a small fully connected
 * network (ReLU hidden layers, identity output) with hand-written backprop and an Adam updater, in double
 * precision. {@code Dl4jGradientTest} checks DL4J's gradients/updates against it; {@code GainStepBench} times it.
 * Weights are row-major {@code W[l][i * out + o]}.
 */
public final class ReferenceMlp {
    final int[] sizes;
    final double[][] w;
    final double[][] b;
    final double[][] gw;
    final double[][] gb;
    final double[][] mw;
    final double[][] vw;
    final double[][] mb;
    final double[][] vb;
    long adamStep;
    private int capRows;
    private double[][] acts;
    private double[][] deltas;

    public ReferenceMlp(int[] sizes, Random rng) {
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        w = new double[layers][];
        b = new double[layers][];
        gw = new double[layers][];
        gb = new double[layers][];
        mw = new double[layers][];
        vw = new double[layers][];
        mb = new double[layers][];
        vb = new double[layers][];
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            w[l] = new double[in * out];
            double std = Math.sqrt(2.0 / (in + out)); // Xavier normal
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = rng.nextGaussian() * std;
            }
            b[l] = new double[out];
            gw[l] = new double[in * out];
            gb[l] = new double[out];
            mw[l] = new double[in * out];
            vw[l] = new double[in * out];
            mb[l] = new double[out];
            vb[l] = new double[out];
        }
    }

    int layers() {
        return sizes.length - 1;
    }

    private void ensure(int n) {
        if (n <= capRows) {
            return;
        }
        capRows = n;
        acts = new double[sizes.length][];
        deltas = new double[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            acts[l] = new double[n * sizes[l]];
            deltas[l] = new double[n * sizes[l]];
        }
    }

    /** Input buffer (n x sizes[0]) to fill before {@link #forward}. */
    public double[] input(int n) {
        ensure(n);
        return acts[0];
    }

    /** Runs the batch in {@link #input} forward; returns the output logits buffer (n x sizes[last]). */
    public double[] forward(int n) {
        ensure(n);
        int layers = layers();
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] x = acts[l];
            double[] y = acts[l + 1];
            double[] wl = w[l];
            double[] bl = b[l];
            boolean relu = l < layers - 1;
            for (int r = 0; r < n; r++) {
                int yo = r * out;
                System.arraycopy(bl, 0, y, yo, out);
                int xo = r * in;
                for (int i = 0; i < in; i++) {
                    double xv = x[xo + i];
                    if (xv == 0.0) {
                        continue;
                    }
                    int wo = i * out;
                    for (int o = 0; o < out; o++) {
                        y[yo + o] += xv * wl[wo + o];
                    }
                }
                if (relu) {
                    for (int o = 0; o < out; o++) {
                        if (y[yo + o] < 0) {
                            y[yo + o] = 0;
                        }
                    }
                }
            }
        }
        return acts[layers];
    }

    /** Gradient buffer for the output logits (n x sizes[last]) to fill before {@link #backward}. */
    public double[] outputDelta() {
        return deltas[layers()];
    }

    /**
     * Backpropagates {@link #outputDelta()} through the activations of the last {@link #forward}.
     *
     * @param paramGrads accumulate parameter gradients into gw/gb (overwriting)
     * @param inputGrad  also compute the gradient w.r.t. the input; returned (n x sizes[0]) or null
     */
    public double[] backward(int n, boolean paramGrads, boolean inputGrad) {
        int layers = layers();
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] x = acts[l];
            double[] dy = deltas[l + 1];
            double[] wl = w[l];
            if (paramGrads) {
                double[] g = gw[l];
                double[] gbl = gb[l];
                java.util.Arrays.fill(g, 0.0);
                java.util.Arrays.fill(gbl, 0.0);
                for (int r = 0; r < n; r++) {
                    int yo = r * out;
                    for (int o = 0; o < out; o++) {
                        gbl[o] += dy[yo + o];
                    }
                    int xo = r * in;
                    for (int i = 0; i < in; i++) {
                        double xv = x[xo + i];
                        if (xv == 0.0) {
                            continue;
                        }
                        int wo = i * out;
                        for (int o = 0; o < out; o++) {
                            g[wo + o] += xv * dy[yo + o];
                        }
                    }
                }
            }
            if (l > 0 || inputGrad) {
                double[] dx = deltas[l];
                boolean reluMask = l > 0;
                for (int r = 0; r < n; r++) {
                    int yo = r * out;
                    int xo = r * in;
                    for (int i = 0; i < in; i++) {
                        if (reluMask && x[xo + i] <= 0) {
                            dx[xo + i] = 0;
                            continue;
                        }
                        int wo = i * out;
                        double s = 0;
                        for (int o = 0; o < out; o++) {
                            s += dy[yo + o] * wl[wo + o];
                        }
                        dx[xo + i] = s;
                    }
                }
            }
        }
        return inputGrad ? deltas[0] : null;
    }

    /** One Adam step with the gradients in gw/gb. */
    public void adam(double lr, double beta1, double beta2, double eps) {
        adamStep++;
        double c1 = 1 - Math.pow(beta1, adamStep);
        double c2 = 1 - Math.pow(beta2, adamStep);
        double a = lr * Math.sqrt(c2) / c1;
        for (int l = 0; l < layers(); l++) {
            adamArray(w[l], gw[l], mw[l], vw[l], a, beta1, beta2, eps);
            adamArray(b[l], gb[l], mb[l], vb[l], a, beta1, beta2, eps);
        }
    }

    private static void adamArray(double[] p, double[] g, double[] m, double[] v, double a, double b1, double b2,
                                  double eps) {
        for (int i = 0; i < p.length; i++) {
            double gi = g[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            p[i] -= a * m[i] / (Math.sqrt(v[i]) + eps);
        }
    }

    int paramCount() {
        int c = 0;
        for (int l = 0; l < layers(); l++) {
            c += w[l].length + b[l].length;
        }
        return c;
    }

    /** Flat copy of all parameters: layer by layer, W then b. */
    double[] flatParams() {
        return flatten(w, b);
    }

    /** Flat copy of the Adam state: m (W,b per layer) then v (W,b per layer). */
    double[] flatUpdaterState() {
        double[] m = flatten(mw, mb);
        double[] v = flatten(vw, vb);
        double[] all = new double[m.length + v.length];
        System.arraycopy(m, 0, all, 0, m.length);
        System.arraycopy(v, 0, all, m.length, v.length);
        return all;
    }

    void setFlatParams(double[] flat) {
        unflatten(flat, 0, w, b);
    }

    void setFlatUpdaterState(double[] flat) {
        int n = unflatten(flat, 0, mw, mb);
        unflatten(flat, n, vw, vb);
    }

    private double[] flatten(double[][] ws, double[][] bs) {
        double[] out = new double[paramCount()];
        int p = 0;
        for (int l = 0; l < layers(); l++) {
            System.arraycopy(ws[l], 0, out, p, ws[l].length);
            p += ws[l].length;
            System.arraycopy(bs[l], 0, out, p, bs[l].length);
            p += bs[l].length;
        }
        return out;
    }

    private int unflatten(double[] flat, int start, double[][] ws, double[][] bs) {
        int p = start;
        for (int l = 0; l < layers(); l++) {
            System.arraycopy(flat, p, ws[l], 0, ws[l].length);
            p += ws[l].length;
            System.arraycopy(flat, p, bs[l], 0, bs[l].length);
            p += bs[l].length;
        }
        return p - start;
    }
}
