package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Per-class quantile maps as checkpoints carry them, in the format before the tail knots too. */
class ClassMarginalsTest {
    @Test
    void readsTheEvenKnotsOfAnOlderCheckpointAndWritesThemBackAsTheyWere() throws IOException {
        // before the tail knots: the class count, then per class its column, category count and category, and per
        // mapped column a flag and 65 (generated score, observed value) pairs
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(old);
        out.writeInt(1);
        out.writeInt(1);
        out.writeInt(2);
        out.writeInt(1);
        out.writeBoolean(true);
        for (int k = 0; k < ClassMarginals.EVEN_KNOTS; k++) {
            out.writeDouble(k);
            out.writeDouble(10.0 * k);
        }
        ClassMarginals legacy = ClassMarginals.read(new DataInputStream(new ByteArrayInputStream(old.toByteArray())),
                2, 1);
        assertEquals(325, legacy.value(1, 1, 0, 32.5, false), 1e-9);
        assertEquals(330, legacy.value(1, 1, 0, 32.6, true), 1e-9, "a discrete column: the nearest knot");
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        legacy.write(new DataOutputStream(again), 1);
        ClassMarginals back = ClassMarginals.read(new DataInputStream(new ByteArrayInputStream(again.toByteArray())),
                2, 1);
        for (double s = -1; s <= 65; s += 0.25) {
            assertEquals(legacy.value(1, 1, 0, s, false), back.value(1, 1, 0, s, false), 0);
        }
        assertEquals(Double.NaN, back.value(1, 0, 0, 3, false), "no map of its own for category 0");
    }
}
