package io.ganstream.engine.synth;

/**
 * The synthesizer's gradient penalty for one input in plain Java, loop by loop: the reference that
 * {@link GradientPenalty#batch} is tested against, itself tested against finite differences.
 */
final class ReferencePenalty {
    private ReferencePenalty() {
    }

    /**
     * {@code lambda (||grad_x D(x)|| - 1)^2} for the DL4J flat parameters {@code p} of D
     * ({@code in -> h -> h -> 1}, LeakyReLU 0.2; per layer W in 'f' order [in,out] then b) and adds its exact
     * gradient w.r.t. p into {@code grad} (none when {@code grad} is null).
     */
    static double penalty(float[] p, int dIn, int h, double[] x, double lambda, float[] grad) {
        int w1 = 0;
        int b1 = w1 + dIn * h;
        int w2 = b1 + h;
        int b2 = w2 + h * h;
        int w3 = b2 + h;
        double[] a1 = new double[h];
        double[] s1 = new double[h];
        double[] s2 = new double[h];
        double[] u2 = new double[h];
        double[] u1 = new double[h];
        double[] gv = new double[dIn];
        double[] delta1 = new double[h];
        for (int o = 0; o < h; o++) {
            double z = p[b1 + o];
            int row = w1 + o * dIn;
            for (int i = 0; i < dIn; i++) {
                z += p[row + i] * x[i];
            }
            s1[o] = z > 0 ? 1 : 0.2;
            a1[o] = z * s1[o];
        }
        for (int o = 0; o < h; o++) {
            double z = p[b2 + o];
            int row = w2 + o * h;
            for (int i = 0; i < h; i++) {
                z += p[row + i] * a1[i];
            }
            s2[o] = z > 0 ? 1 : 0.2;
            u2[o] = s2[o] * p[w3 + o];
        }
        for (int o = 0; o < h; o++) {
            int row = w2 + o * h;
            double uo = u2[o];
            for (int i = 0; i < h; i++) {
                u1[i] += p[row + i] * uo;
            }
        }
        for (int i = 0; i < h; i++) {
            u1[i] *= s1[i];
        }
        for (int o = 0; o < h; o++) {
            int row = w1 + o * dIn;
            double uo = u1[o];
            for (int i = 0; i < dIn; i++) {
                gv[i] += p[row + i] * uo;
            }
        }
        double norm = 0;
        for (int i = 0; i < dIn; i++) {
            norm += gv[i] * gv[i];
        }
        norm = Math.sqrt(norm) + 1e-12;
        double pen = lambda * (norm - 1) * (norm - 1);
        if (grad == null) {
            return pen;
        }
        double coef = 2 * lambda * (norm - 1) / norm;
        for (int i = 0; i < dIn; i++) {
            gv[i] *= coef; // gamma = dP/dg
        }
        for (int o = 0; o < h; o++) {
            int row = w1 + o * dIn;
            double uo = u1[o];
            double t = 0;
            for (int i = 0; i < dIn; i++) {
                grad[row + i] += (float) (uo * gv[i]);
                t += p[row + i] * gv[i];
            }
            delta1[o] = s1[o] * t;
        }
        for (int o = 0; o < h; o++) {
            int row = w2 + o * h;
            double uo = u2[o];
            double t = 0;
            for (int i = 0; i < h; i++) {
                grad[row + i] += (float) (uo * delta1[i]);
                t += p[row + i] * delta1[i];
            }
            grad[w3 + o] += (float) (s2[o] * t);
        }
        return pen;
    }
}
