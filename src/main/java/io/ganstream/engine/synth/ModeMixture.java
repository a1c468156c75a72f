package io.ganstream.engine.synth;

import io.ganstream.engine.table.TableSpec;
import java.util.Arrays;
import java.util.Random;

/**
 * Streaming-safe 1-D Gaussian mixture with a FIXED number of slots (the generator's output layout never
 * changes): CTGAN's mode-specific normalization. A value v is encoded as (mode k, alpha = (v - mu_k) / (4 sd_k)
 * clipped to [-1, 1]); decoding is {@code mu_k + 4 sd_k alpha}.
 *
 * <p>Fitting: the first fit initializes up to K slots at quantiles and runs EM; later refits are warm-started
 * from the current parameters with a few EM iterations, so every slot keeps its meaning (its mean moves a
 * little, it is never renumbered). Slots whose weight falls below {@link #PRUNE} are deactivated (as CTGAN's
 * Bayesian GMM weight threshold 0.005) and stay inactive; inactive slots are never chosen when encoding and
 * are masked out of the generator's mode softmax. Not thread-safe; {@link #copy()} for snapshots.
 */
public final class ModeMixture {
    static final double PRUNE = 0.005;

    final int slots;
    final double[] w;
    final double[] mu;
    final double[] sd;
    final boolean[] active;
    /** Slots collapsed onto one value (sd at the variance floor): decoded as exactly mu (point mass). */
    final boolean[] point;
    boolean fitted;

    public ModeMixture(int slots) {
        this.slots = slots;
        this.w = new double[slots];
        this.mu = new double[slots];
        this.sd = new double[slots];
        Arrays.fill(sd, 1.0);
        this.active = new boolean[slots];
        this.point = new boolean[slots];
    }

    public ModeMixture copy() {
        ModeMixture m = new ModeMixture(slots);
        System.arraycopy(w, 0, m.w, 0, slots);
        System.arraycopy(mu, 0, m.mu, 0, slots);
        System.arraycopy(sd, 0, m.sd, 0, slots);
        System.arraycopy(active, 0, m.active, 0, slots);
        System.arraycopy(point, 0, m.point, 0, slots);
        m.fitted = fitted;
        return m;
    }

    public boolean fitted() {
        return fitted;
    }

    public int activeCount() {
        int c = 0;
        for (boolean a : active) {
            if (a) {
                c++;
            }
        }
        return c;
    }

    /**
     * Refits every column's mixture ({@code mixtures[c]}, null for columns without one) by warm-started EM on up to
     * 4000 observed values of the first {@code size} rows (cold start on the first data).
     */
    static void refit(ModeMixture[] mixtures, TableSpec spec, double[][] rows, int size) {
        int step = Math.max(1, size / 4000);
        double[] vals = new double[size / step + 1];
        for (int c = 0; c < mixtures.length; c++) {
            if (mixtures[c] == null) {
                continue;
            }
            int cell = spec.offset(c);
            int n = 0;
            for (int i = 0; i < size; i += step) {
                double v = rows[i][cell];
                if (!Double.isNaN(v)) {
                    vals[n++] = v;
                }
            }
            mixtures[c].fit(vals, n, 10);
        }
    }

    /** Fits on {@code n} observed values: cold start (quantile init, 60 EM iterations) or warm refit. */
    public void fit(double[] values, int n, int warmIterations) {
        if (n == 0) {
            return;
        }
        double[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= n;
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(var / n);
        double floor = Math.max(1e-3 * std, 1e-6 * (Math.abs(mean) + 1e-3));
        int iters = warmIterations;
        if (!fitted) {
            int distinct = 1;
            for (int i = 1; i < n; i++) {
                if (v[i] != v[i - 1]) {
                    distinct++;
                }
            }
            int k = Math.min(slots, Math.min(distinct, Math.max(1, n / 4)));
            Arrays.fill(active, false);
            for (int j = 0; j < k; j++) {
                active[j] = true;
                mu[j] = v[Math.min(n - 1, (int) ((j + 0.5) / k * n))];
                sd[j] = Math.max(floor, std / k);
                w[j] = 1.0 / k;
            }
            iters = 60;
            fitted = true;
        }
        double[] resp = new double[slots];
        double[] sw = new double[slots];
        double[] sx = new double[slots];
        double[] sxx = new double[slots];
        for (int it = 0; it < iters; it++) {
            Arrays.fill(sw, 0);
            Arrays.fill(sx, 0);
            Arrays.fill(sxx, 0);
            for (int i = 0; i < n; i++) {
                double x = v[i];
                double tot = posterior(x, resp);
                for (int j = 0; j < slots; j++) {
                    if (active[j]) {
                        double r = resp[j] / tot;
                        sw[j] += r;
                        sx[j] += r * x;
                        sxx[j] += r * x * x;
                    }
                }
            }
            for (int j = 0; j < slots; j++) {
                if (!active[j]) {
                    continue;
                }
                w[j] = sw[j] / n;
                if (sw[j] > 1e-9) {
                    mu[j] = sx[j] / sw[j];
                    double vv = sxx[j] / sw[j] - mu[j] * mu[j];
                    sd[j] = Math.max(floor, Math.sqrt(Math.max(0, vv)));
                }
            }
        }
        // prune tiny modes (never the last one), renormalize
        int keep = activeCount();
        for (int j = 0; j < slots; j++) {
            if (active[j] && w[j] < PRUNE && keep > 1) {
                active[j] = false;
                w[j] = 0;
                keep--;
            }
        }
        double tot = 0;
        for (int j = 0; j < slots; j++) {
            tot += active[j] ? w[j] : 0;
        }
        for (int j = 0; j < slots; j++) {
            w[j] = active[j] ? w[j] / tot : 0;
            point[j] = active[j] && sd[j] <= floor * 1.0001;
        }
    }

    /**
     * The posterior of {@code x} over the modes, unnormalized, into {@code p} (0 for inactive slots; the most
     * likely mode 1): {@code w_j N(x; mu_j, sd_j)} scaled by the largest; returns the sum.
     */
    private double posterior(double x, double[] p) {
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < slots; j++) {
            if (active[j]) {
                double z = (x - mu[j]) / sd[j];
                p[j] = Math.log(w[j]) - Math.log(sd[j]) - 0.5 * z * z;
                best = Math.max(best, p[j]);
            }
        }
        double tot = 0;
        for (int j = 0; j < slots; j++) {
            p[j] = active[j] ? Math.exp(p[j] - best) : 0;
            tot += p[j];
        }
        return tot;
    }

    /** Samples a mode from the posterior of {@code x} (as CTGAN) and returns it; alpha goes to {@code out[0]}. */
    public int encode(double x, Random rng, double[] out) {
        double[] p = new double[slots];
        double tot = posterior(x, p);
        double u = rng.nextDouble() * tot;
        int k = -1;
        for (int j = 0; j < slots; j++) {
            if (active[j]) {
                k = j;
                u -= p[j];
                if (u <= 0) {
                    break;
                }
            }
        }
        double a = (x - mu[k]) / (4 * sd[k]);
        out[0] = Math.max(-0.99, Math.min(0.99, a));
        return k;
    }

    public double decode(int mode, double alpha) {
        return point[mode] ? mu[mode] : mu[mode] + 4 * sd[mode] * alpha;
    }

    void write(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(slots);
        out.writeBoolean(fitted);
        for (int j = 0; j < slots; j++) {
            out.writeDouble(w[j]);
            out.writeDouble(mu[j]);
            out.writeDouble(sd[j]);
            out.writeBoolean(active[j]);
            out.writeBoolean(point[j]);
        }
    }

    static ModeMixture read(java.io.DataInputStream in) throws java.io.IOException {
        ModeMixture m = new ModeMixture(in.readInt());
        m.fitted = in.readBoolean();
        for (int j = 0; j < m.slots; j++) {
            m.w[j] = in.readDouble();
            m.mu[j] = in.readDouble();
            m.sd[j] = in.readDouble();
            m.active[j] = in.readBoolean();
            m.point[j] = in.readBoolean();
        }
        return m;
    }
}
