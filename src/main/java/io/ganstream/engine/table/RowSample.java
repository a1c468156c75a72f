package io.ganstream.engine.table;

import java.util.SplittableRandom;

/** Seeded samples of rows without replacement. */
public final class RowSample {
    private RowSample() {
    }

    /**
     * {@code k} distinct rows of {@code rows[0..n)} (k ≤ n), by a partial Fisher-Yates shuffle of their indexes drawn
     * from {@code seed}: the same rows, in the same order, for the same seed.
     */
    public static double[][] of(double[][] rows, int n, int k, long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] out = new double[k][];
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            out[i] = rows[idx[i]];
        }
        return out;
    }
}
