package io.ganstream.service;

import io.ganstream.engine.train.ModelCheckpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A checkpoint too large for the model topic goes with its synthesizer's sampling state only, or without its
 * synthesizer, never not at all.
 */
class ModelCheckpointsTest {
    private static final ModelCheckpoint BOTH = new ModelCheckpoint("mnist", "h", "0.1.0", 1L, 7, 3,
            new byte[1000], 5, new byte[5000]);

    @Test
    void shouldKeepACheckpointThatFits() {
        byte[] bytes = BOTH.toBytes();
        assertSame(BOTH, ModelCheckpoints.fitted(BOTH, bytes, new byte[10], bytes.length));
    }

    @Test
    void shouldLeaveTheSynthesizerOutOfACheckpointTooLargeForTheTopic() throws Exception {
        byte[] bytes = BOTH.toBytes();
        ModelCheckpoint fitted = ModelCheckpoints.fitted(BOTH, bytes, null, 2000);
        assertFalse(fitted.hasSynthesizer());
        ModelCheckpoint back = ModelCheckpoint.parse(fitted.toBytes());
        assertEquals(7, back.modelVersion());
        assertArrayEquals(BOTH.state(), back.state());
        assertFalse(back.hasSynthesizer());
    }

    @Test
    void shouldWriteAnImputerOnlyCheckpointEvenWhenLarge() {
        ModelCheckpoint imputerOnly = new ModelCheckpoint("mnist", "h", "0.1.0", 1L, 7, 3, new byte[5000]);
        assertSame(imputerOnly, ModelCheckpoints.fitted(imputerOnly, imputerOnly.toBytes(), null, 100),
                "nothing to leave out: the producer reports the failure");
    }

    @Test
    void shouldSendTheSynthesizersSamplingStateWhenOnlyThatFits() throws Exception {
        byte[] bytes = BOTH.toBytes();
        byte[] serving = new byte[700];
        serving[0] = 42;
        ModelCheckpoint fitted = ModelCheckpoints.fitted(BOTH, bytes, serving, 2000);
        ModelCheckpoint back = ModelCheckpoint.parse(fitted.toBytes());
        assertArrayEquals(serving, back.synthState(), "the sampling state in place of the whole");
        assertEquals(5, back.synthVersion());
        assertArrayEquals(BOTH.state(), back.state());
        assertFalse(ModelCheckpoints.fitted(BOTH, bytes, new byte[1500], 2000).hasSynthesizer(),
                "a sampling state that does not fit either is left out too");
        assertFalse(ModelCheckpoints.fitted(BOTH, bytes, new byte[0], 2000).hasSynthesizer(), "none given");
    }
}
