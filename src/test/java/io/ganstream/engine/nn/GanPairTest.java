package io.ganstream.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.train.StateBytes;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The pair both GANs share: its update order, the EMA, and the checkpoint image of its five arrays. */
class GanPairTest {
    private static GanPair pair(long seed) {
        return new GanPair(Nets.mlp(6, 8, 4, Nets.relu(), seed, 1e-3), Nets.mlp(4, 8, 1, Nets.lrelu(0.2),
                seed + 1, 1e-3));
    }

    /** A few updates with gradients of ones, so that weights, Adam state and EMA all move. */
    private static void train(GanPair p, int steps, double emaDecay) {
        INDArray gd = Nd4j.ones(Nets.DTYPE, 1, p.discriminator().network().numParams());
        INDArray gg = Nd4j.ones(Nets.DTYPE, 1, p.generator().network().numParams()).muli(0.5);
        for (int i = 0; i < steps; i++) {
            p.update(gd, gg, emaDecay);
        }
    }

    @Test
    void updatesCountStepsAndMoveTheEmaTowardTheGenerator() {
        GanPair p = pair(3);
        INDArray before = p.generator().network().params().dup();
        train(p, 5, 0.99);
        assertEquals(5, p.steps());
        INDArray g = p.generator().network().params();
        INDArray ema = p.servingParams(0.99);
        assertFalse(before.equals(g), "G moved");
        assertFalse(before.equals(ema), "the EMA followed");
        assertFalse(g.equals(ema), "but lags behind");
        assertTrue(p.servingParams(0) == g, "without an EMA, inference reads G itself");
    }

    @Test
    void checkpointImageRestoresEveryArrayAtEitherWidth() {
        GanPair p = pair(4);
        train(p, 3, 0.9);
        for (int width : new int[] {4, 8}) {
            byte[] bytes = StateBytes.write(out -> p.write(out, width, false));
            assertEquals(5 * 4 + p.values() * width, bytes.length, "lengths then values");
            GanPair back = pair(99);
            boolean emaOnly = StateBytes.read(bytes, in -> back.read(in, width, false));
            assertFalse(emaOnly);
            assertArrayEquals(p.updaterState(), back.updaterState(), 0.0);
            assertEquals(p.generator().network().params(), back.generator().network().params());
            assertEquals(p.discriminator().network().params(), back.discriminator().network().params());
            assertEquals(p.servingParams(0.9), back.servingParams(0.9));
        }
    }

    @Test
    void anEmaOnlyImageRestoresWarmFromTheEma() {
        GanPair p = pair(5);
        train(p, 4, 0.9);
        byte[] bytes = StateBytes.write(out -> p.write(out, 4, true));
        assertEquals(5 * 4 + p.servingParams(0.9).length() * 4, bytes.length, "four empty arrays and the EMA");
        GanPair back = pair(6);
        back.resumeAt(17);
        boolean emaOnly = StateBytes.read(bytes, in -> back.read(in, 4, true));
        assertTrue(emaOnly);
        assertEquals(0, back.steps(), "Adam and the EMA warm-up start over");
        assertEquals(p.servingParams(0.9), back.generator().network().params(), "G starts from the EMA");
        assertEquals(p.servingParams(0.9), back.servingParams(0.9));
        assertThrows(IllegalArgumentException.class, () -> StateBytes.read(bytes, in -> pair(7).read(in, 4, false)),
                "not where the state must be whole");
    }
}
