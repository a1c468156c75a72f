package io.ganstream.engine.synth;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Per category of each categorical column, an offset added to the generator's logit before a category is drawn,
 * chosen so that the categories drawn from the generator's softmax come out at the observed frequencies (iterative
 * proportional fitting of the softmax averaged over generated rows). Within a row the generator still decides
 * which categories go together and with which numbers; the offsets only correct how often each one appears.
 * <p>Why: a GAN's categorical marginals drift by several points of total variation on columns it conditions on
 * only a share of the time (each row's conditional vector names one categorical column), and the marginal
 * calibration of numeric columns does not touch them. Immutable.
 */
public final class CategoryCalibration {
    /** Proportional-fitting rounds: the frequencies settle within a few; more cost only time. */
    private static final int ROUNDS = 50;
    /** Offsets stay within ±this (a category the generator never gives stays rare rather than exploding). */
    private static final double MAX_OFFSET = 5;

    /** Offset per generator output dim (0 on every dim that is not a category). */
    private final float[] offsets;

    private CategoryCalibration(float[] offsets) {
        this.offsets = offsets;
    }

    /**
     * Fits the offsets on raw generator outputs of unconditioned rows; null when the table has no categorical
     * column the generator draws.
     *
     * @param outputs raw outputs ({@link SynthModel#rawOutputs}), one per row
     * @param driven  per row, the column whose category drove it (its category is not drawn from the softmax)
     */
    static CategoryCalibration fit(SynthLayout layout, float[][] outputs, int[] driven) {
        int dims = outputs.length == 0 ? 0 : outputs[0].length;
        double[] offsets = new double[dims];
        boolean any = false;
        for (int c : layout.catCols) {
            int s = layout.outStart[c];
            int wd = layout.outWidth[c];
            int drawn = 0;
            for (int d : driven) {
                if (d != c) {
                    drawn++;
                }
            }
            if (wd < 2 || drawn < 50) {
                continue;
            }
            any = true;
            double[] mean = new double[wd];
            double[] p = new double[wd];
            for (int round = 0; round < ROUNDS; round++) {
                java.util.Arrays.fill(mean, 0);
                for (int r = 0; r < outputs.length; r++) {
                    if (driven[r] == c) {
                        continue;
                    }
                    softmax(outputs[r], s, wd, layout.dimActive, offsets, p);
                    for (int k = 0; k < wd; k++) {
                        mean[k] += p[k] / drawn;
                    }
                }
                for (int k = 0; k < wd; k++) {
                    if (layout.dimActive[s + k] && layout.freq[c][k] > 0 && mean[k] > 0) {
                        offsets[s + k] = Math.max(-MAX_OFFSET, Math.min(MAX_OFFSET,
                                offsets[s + k] + Math.log(layout.freq[c][k] / mean[k])));
                    }
                }
            }
        }
        if (!any) {
            return null;
        }
        float[] f = new float[dims];
        for (int d = 0; d < dims; d++) {
            f[d] = (float) offsets[d];
        }
        return new CategoryCalibration(f);
    }

    private static void softmax(float[] o, int s, int wd, boolean[] active, double[] offsets, double[] p) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < wd; k++) {
            if (active[s + k]) {
                mx = Math.max(mx, o[s + k] + offsets[s + k]);
            }
        }
        double tot = 0;
        for (int k = 0; k < wd; k++) {
            p[k] = active[s + k] ? Math.exp(o[s + k] + offsets[s + k] - mx) : 0;
            tot += p[k];
        }
        for (int k = 0; k < wd; k++) {
            p[k] /= tot;
        }
    }

    /** Adds the offsets to one row's raw generator outputs. */
    void shift(float[] outputs) {
        for (int d = 0; d < offsets.length; d++) {
            outputs[d] += offsets[d];
        }
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(offsets.length);
        for (float v : offsets) {
            out.writeFloat(v);
        }
    }

    static CategoryCalibration read(DataInputStream in, int dims) throws IOException {
        int n = in.readInt();
        if (n != dims) {
            throw new IOException("category calibration over " + n + " outputs, the generator has " + dims);
        }
        float[] offsets = new float[n];
        for (int d = 0; d < n; d++) {
            offsets[d] = in.readFloat();
        }
        return new CategoryCalibration(offsets);
    }
}
