package io.ganstream.engine.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelClassifierTest {
    /** Three classes of 18 features in [0, 1]: each class inks its own six features, with noise everywhere. */
    private static double[][] features(int n, long seed, int[] labels) {
        Random r = new Random(seed);
        double[][] x = new double[n][18];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
            for (int k = 0; k < 18; k++) {
                double ink = k / 6 == labels[i] ? 0.7 : 0.2;
                x[i][k] = Math.max(0, Math.min(1, ink + 0.25 * r.nextGaussian()));
            }
        }
        return x;
    }

    @Test
    void recognizesSeparableClassesOnRowsItNeverSaw() {
        int[] y = new int[600];
        double[][] x = features(600, 1, y);
        int[] testY = new int[300];
        double[][] test = features(300, 2, testY);
        LabelClassifier classifier = LabelClassifier.train(x, y, 3, 15, 7);
        assertTrue(classifier.accuracy(test, testY) > 0.95, "accuracy " + classifier.accuracy(test, testY));
        int[] shuffled = testY.clone();
        for (int i = 0; i < shuffled.length; i++) {
            shuffled[i] = (shuffled[i] + 1) % 3;
        }
        assertTrue(classifier.accuracy(test, shuffled) < 0.1, "wrong labels are not recognized");
        double[] p = new double[3];
        classifier.probabilities(test[0], p);
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-12);
    }

    @Test
    void theSameSeedAndDataGiveTheSameClassifier() {
        int[] y = new int[300];
        double[][] x = features(300, 3, y);
        LabelClassifier a = LabelClassifier.train(x, y, 3, 5, 11);
        LabelClassifier b = LabelClassifier.train(x, y, 3, 5, 11);
        double[] pa = new double[3];
        double[] pb = new double[3];
        for (double[] row : x) {
            a.probabilities(row, pa);
            b.probabilities(row, pb);
            for (int c = 0; c < 3; c++) {
                assertEquals(pa[c], pb[c], 0.0);
            }
        }
    }

    @Test
    void refusesLabelsThatDoNotMatchTheRows() {
        assertThrows(IllegalArgumentException.class,
                () -> LabelClassifier.train(new double[2][3], new int[1], 2, 1, 1));
    }
}
