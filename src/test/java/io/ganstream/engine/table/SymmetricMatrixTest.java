package io.ganstream.engine.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricMatrixTest {

    private static double[][] randomCorrelation(int n, long seed) {
        Random r = new Random(seed);
        double[][] f = new double[n][n];
        for (double[] row : f) {
            for (int j = 0; j < n; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    c[i][j] += f[i][k] * f[j][k];
                }
            }
        }
        double[][] corr = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                corr[i][j] = c[i][j] / Math.sqrt(c[i][i] * c[j][j]);
            }
        }
        return corr;
    }

    private static void assertClose(double[][] expected, double[][] actual, double tolerance) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[i][j], actual[i][j], tolerance, "[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void shouldTakeSquareRootsWhoseSquareIsTheMatrix() {
        double[][] a = randomCorrelation(30, 1);
        double[][] half = SymmetricMatrix.power(a, 0.5, 0);
        assertClose(a, SymmetricMatrix.product(half, half), 1e-9);
    }

    @Test
    void shouldTakeInverseSquareRootsThatWhitenTheMatrix() {
        double[][] a = randomCorrelation(12, 2);
        double[][] inv = SymmetricMatrix.power(a, -0.5, 0);
        double[][] identity = new double[12][12];
        for (int i = 0; i < 12; i++) {
            identity[i][i] = 1;
        }
        assertClose(identity, SymmetricMatrix.product(SymmetricMatrix.product(inv, a), inv), 1e-8);
    }

    @Test
    void shouldFindTheEigenvaluesOfAKnownMatrix() {
        double[][] a = {{2, 1, 0}, {1, 2, 0}, {0, 0, 5}};
        double[][] vectors = new double[3][3];
        double[] values = SymmetricMatrix.eigen(a, vectors);
        java.util.Arrays.sort(values);
        assertEquals(1, values[0], 1e-12);
        assertEquals(3, values[1], 1e-12);
        assertEquals(5, values[2], 1e-12);
    }

    @Test
    void shouldRaiseEigenvaluesToTheFloorBeforeAPower() {
        double[][] singular = {{1, 1}, {1, 1}}; // eigenvalues 0 and 2
        double[][] inv = SymmetricMatrix.power(singular, -0.5, 0.01);
        // along (1, -1)/sqrt 2 the floored eigenvalue 0.01 gives 10, along (1, 1)/sqrt 2 it is 2^-1/2
        assertEquals((10 + Math.pow(2, -0.5)) / 2, inv[0][0], 1e-9);
        assertEquals((Math.pow(2, -0.5) - 10) / 2, inv[0][1], 1e-9);
    }
}
