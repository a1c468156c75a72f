package io.ganstream.service;

import io.ganstream.engine.ModelCheckpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A checkpoint too large for the model topic goes without its synthesizer, never not at all. */
class ModelCheckpointsTest {
    private static final ModelCheckpoint BOTH = new ModelCheckpoint("mnist", "h", "0.1.0", 1L, 7, 3,
            new byte[1000], 5, new byte[5000]);

    @Test
    void shouldKeepACheckpointThatFits() {
        byte[] bytes = BOTH.toBytes();
        assertSame(BOTH, ModelCheckpoints.fitted(BOTH, bytes, bytes.length));
    }

    @Test
    void shouldLeaveTheSynthesizerOutOfACheckpointTooLargeForTheTopic() throws Exception {
        byte[] bytes = BOTH.toBytes();
        ModelCheckpoint fitted = ModelCheckpoints.fitted(BOTH, bytes, 2000);
        assertFalse(fitted.hasSynthesizer());
        ModelCheckpoint back = ModelCheckpoint.parse(fitted.toBytes());
        assertEquals(7, back.modelVersion());
        assertArrayEquals(BOTH.state(), back.state());
        assertFalse(back.hasSynthesizer());
    }

    @Test
    void shouldWriteAnImputerOnlyCheckpointEvenWhenLarge() {
        ModelCheckpoint imputerOnly = new ModelCheckpoint("mnist", "h", "0.1.0", 1L, 7, 3, new byte[5000]);
        assertSame(imputerOnly, ModelCheckpoints.fitted(imputerOnly, imputerOnly.toBytes(), 100),
                "nothing to leave out: the producer reports the failure");
    }
}
