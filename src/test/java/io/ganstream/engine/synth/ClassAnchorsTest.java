package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ClassAnchorsTest {
    /** One class (category 1 of column 0) with two anchors over two mapped columns. */
    private static byte[] section(double range, double radius, int anchors) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        // classes, then the class's column, its category count, its category and its anchor count
        for (int header : new int[] {1, 0, 2, 1, anchors}) {
            out.writeInt(header);
        }
        out.writeDouble(range);
        out.writeDouble(1.0);
        for (int j = 0; j < anchors; j++) {
            out.writeDouble(j == 0 ? radius : 0.5);
            out.writeDouble(j);
            out.writeDouble(j);
        }
        return bytes.toByteArray();
    }

    private static ClassAnchors read(byte[] bytes) throws IOException {
        return ClassAnchors.read(new DataInputStream(new ByteArrayInputStream(bytes)), 3, 2);
    }

    @Test
    void readsBackWhatItWroteAndPullsARowOntoItsAnchorsBall() throws IOException {
        ClassAnchors anchors = read(section(1.0, 0.5, 2));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        anchors.write(new DataOutputStream(again), 2);
        assertEquals(java.util.Arrays.toString(section(1.0, 0.5, 2)), java.util.Arrays.toString(again.toByteArray()));
        // values first, then the scores that pick the anchor: whichever it picks, the row ends 0.5 from it
        double[] row = {10, 10, 0.3, -0.7};
        anchors.pull(0, 1, row, 2);
        double[][] a = anchors.of(0, 1);
        double nearest = Double.POSITIVE_INFINITY;
        for (double[] anchor : a) {
            nearest = Math.min(nearest, Math.hypot(row[0] - anchor[0], row[1] - anchor[1]));
        }
        assertEquals(0.5, nearest, 1e-12);
        assertEquals(0, anchors.of(0, 0).length);
    }

    @Test
    void refusesASectionWithoutAValidRadiusRangeOrCount() throws IOException {
        assertThrows(IOException.class, () -> read(section(1.0, Double.NaN, 2)));
        assertThrows(IOException.class, () -> read(section(1.0, 0, 2)));
        assertThrows(IOException.class, () -> read(section(-1.0, 0.5, 2)));
        assertThrows(IOException.class, () -> read(section(Double.POSITIVE_INFINITY, 0.5, 2)));
        assertThrows(IOException.class, () -> read(section(1.0, 0.5, ClassMarginals.MIN_VALUES)));
        assertThrows(IOException.class, () -> read(section(1.0, 0.5, 0)));
    }
}
