package io.ganstream.engine.impute;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import io.ganstream.engine.synth.SynthConfig;
import io.ganstream.engine.synth.WideSynth;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WideInputsTest {
    static final TableSpec MNIST = new TableSpec(List.of(
            Column.categorical("label", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")),
            Column.image("pixels", 28, 28, 0, 255)));

    @Test
    void shouldSizeTheMnistImputerSoItsCheckpointFitsOneModelTopicMessage() throws Exception {
        GainConfig cfg = WideInputs.gain(GainConfig.defaults().withQueueCapacity(1).withReplay(20_000, 0.25), MNIST);
        assertEquals(256, cfg.hidden(), "the widest allowed: G and D fit 14 MiB of floats");
        assertEquals(WideInputs.IMAGE_G_LAYERS, cfg.hiddenLayers(), "images get a deeper G");
        assertEquals(WideInputs.IMAGE_D_HIDDEN, cfg.discHidden(), "and a narrower D");
        assertTrue(cfg.categoricalFirst(), "a digit's label is decided before its missing pixels");
        assertEquals(128, WideInputs.checkpointFitHidden(MNIST, 3, 64, 8), "within 14 MiB of doubles (formats 1, 2)");
        assertEquals(192, WideInputs.checkpointFitHidden(MNIST, 2, 0, 4), "D as wide as G, two layers: narrower");
        assertEquals(10_686, cfg.replayCapacity(), "64 MB of 785-cell rows (20,000 requested)");
        assertEquals(WideInputs.IMAGE_DENOISE_WEIGHT, cfg.denoiseWeight(), "hidden pixels weigh more");
        assertEquals(GainConfig.defaults().denoiseRate(), cfg.denoiseRate());
        GainConfig vector = WideInputs.gain(GainConfig.defaults(), new TableSpec(List.of(
                Column.vector("v", 784, 0, 1))));
        assertEquals(GainConfig.defaults().denoiseWeight(), vector.denoiseWeight(), "a plain vector is no image");
        assertEquals(2, vector.hiddenLayers(), "nor does it get an image's nets");
        assertEquals(0, vector.discHidden());
        assertFalse(vector.categoricalFirst());
        byte[] checkpoint;
        checkpoint = new GainLearner(MNIST, cfg).checkpoint();
        // the model topic takes 16 MiB, of which ModelCheckpoints keeps 64 KiB for the key, headers and batch
        assertTrue(checkpoint.length < 16 * 1024 * 1024 - 64 * 1024, "checkpoint " + checkpoint.length + " bytes");
        assertTrue(checkpoint.length > 12 * 1024 * 1024, "the estimate is not far off: " + checkpoint.length);
    }

    @Test
    void shouldLeaveTablesAsTheyAre() {
        TableSpec table = new TableSpec(List.of(Column.continuous("x", 0, 1), Column.categorical("c", List.of("a"))));
        GainConfig gain = GainConfig.defaults();
        SynthConfig synth = SynthConfig.defaults();
        assertSame(gain, WideInputs.gain(gain, table));
        assertSame(synth, WideSynth.config(synth, table));
        SynthConfig wide = WideSynth.config(synth, MNIST);
        assertEquals(1, wide.pac());
        assertEquals(256, wide.genHidden());
    }
}
