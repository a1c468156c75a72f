package io.ganstream.engine.table;

/**
 * Small dense symmetric matrices (tens of rows: one per numeric column): products and real powers through the
 * cyclic Jacobi eigendecomposition, which is exact enough and simple at these sizes.
 */
public final class SymmetricMatrix {
    private static final int MAX_SWEEPS = 60;

    private SymmetricMatrix() {
    }

    /** {@code a b} (square, same size). */
    public static double[][] product(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                if (aik == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        return c;
    }

    /**
     * {@code a^power} of a symmetric {@code a} (not modified), its eigenvalues first raised to at least
     * {@code floor} (and to at least 0).
     */
    public static double[][] power(double[][] a, double power, double floor) {
        int n = a.length;
        double[][] vectors = new double[n][n];
        double[] values = eigen(a, vectors);
        double[][] out = new double[n][n];
        for (int k = 0; k < n; k++) {
            double f = Math.pow(Math.max(Math.max(values[k], floor), 0), power);
            for (int i = 0; i < n; i++) {
                double vik = vectors[i][k] * f;
                for (int j = 0; j < n; j++) {
                    out[i][j] += vik * vectors[j][k];
                }
            }
        }
        return out;
    }

    /** Eigenvalues of symmetric {@code a}; {@code vectors} receives the eigenvectors as columns. */
    public static double[] eigen(double[][] a, double[][] vectors) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
            java.util.Arrays.fill(vectors[i], 0);
            vectors[i][i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < n; p++) {
                diag += m[p][p] * m[p][p];
                for (int q = p + 1; q < n; q++) {
                    off += m[p][q] * m[p][q];
                }
            }
            if (off <= 1e-30 * Math.max(diag, 1e-300)) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (m[p][q] != 0) {
                        rotate(m, vectors, p, q);
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = m[i][i];
        }
        return values;
    }

    /** One Jacobi rotation that zeroes {@code m[p][q]}. */
    private static void rotate(double[][] m, double[][] v, int p, int q) {
        double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = m.length;
        for (int k = 0; k < n; k++) {
            double mkp = m[k][p];
            double mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) {
            double mpk = m[p][k];
            double mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }
}
