package io.ganstream.engine.train;

import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.impute.GainTestData;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.engine.synth.SynthLearner;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every version must load the checkpoints that earlier versions wrote to {@code ganstream.models}
 * (as Tribuo's serialization tests do): the frozen fixtures under {@code src/test/resources/checkpoints}
 * are parsed, restored into a trainer, and must impute exactly what they imputed when they were written.
 */
class CheckpointCompatibilityTest {
    private static final Path FORMAT1 = Path.of("src/test/resources/checkpoints/gain-format1.gsck");
    private static final Path FORMAT2 = Path.of("src/test/resources/checkpoints/gain-format2.gsck");
    private static final Path FORMAT3 = Path.of("src/test/resources/checkpoints/gain-format3.gsck");

    @Test
    void shouldRestoreTheFrozenFormat1CheckpointAndImputeAsItDidWhenWritten() throws Exception {
        ModelCheckpoint checkpoint = ModelCheckpoint.parse(Files.readAllBytes(FORMAT1));
        assertEquals("fixture", checkpoint.dataset());
        assertEquals("frozen-spec-v1", checkpoint.schemaHash());
        assertEquals(CheckpointFixture.SEED, checkpoint.seed());

        GainLearner learner = GainLearner.restore(CheckpointFixture.FROZEN_SPEC,
                GainConfig.defaults().withSeed(CheckpointFixture.SEED).withSteps(64, 20), checkpoint.state());
        Trainer<GainModel> trainer = new Trainer<>("fixture", learner, TrainerSettings.defaults(64, 20), null, null,
                learner.restoredModel());
        try {
            double[] row = CheckpointFixture.PROBE.clone();
            trainer.latestModel().imputeInPlace(new double[][]{row});
            assertArrayEquals(CheckpointFixture.expected(Path.of("src/test/resources/checkpoints/gain-format1.expected")),
                    row, 0.0, Arrays.toString(row));
            assertEquals(checkpoint.modelVersion(), trainer.latestModel().versionNumber());
            assertTrue(trainer.status().steps() > 0, "counters restored");
            assertEquals(TrainerState.CONVERGED, trainer.state(), "a restored model rests until new rows arrive");
            assertTrue(!checkpoint.hasSynthesizer(), "format 1 carries no synthesizer");
            assertEquals(null, checkpoint.imputerTraining(), "format 1 does not say where training stood");
        } finally {
            trainer.close();
        }
    }

    @Test
    void shouldRestoreTheFrozenFormat2CheckpointWithItsSynthesizerAndGenerateAsItDidWhenWritten() throws Exception {
        ModelCheckpoint checkpoint = ModelCheckpoint.parse(Files.readAllBytes(FORMAT2));
        assertTrue(checkpoint.hasSynthesizer());
        GainModel imputer = GainLearner.modelFrom(CheckpointFixture.FROZEN_SPEC,
                GainConfig.defaults().withSeed(CheckpointFixture.SEED).withSteps(64, 20), checkpoint.state());
        double[] row = CheckpointFixture.PROBE.clone();
        imputer.imputeInPlace(new double[][]{row});
        assertArrayEquals(CheckpointFixture.expected(Path.of("src/test/resources/checkpoints/gain-format2.expected")),
                row, 0.0, Arrays.toString(row));

        double[][] expected = CheckpointFixture.samples(Path.of("src/test/resources/checkpoints/gain-format2.samples"));
        SynthModel served = SynthLearner.modelFrom(CheckpointFixture.FROZEN_SPEC, CheckpointFixture.SYNTH,
                checkpoint.synthState());
        assertEquals(checkpoint.synthVersion(), served.versionNumber());
        assertArrayEquals(expected, served.sample(CheckpointFixture.SAMPLE_ROWS, CheckpointFixture.SAMPLE_SEED));

        SynthLearner resumed = SynthLearner.restore(CheckpointFixture.FROZEN_SPEC, CheckpointFixture.SYNTH,
                checkpoint.synthState());
        assertArrayEquals(expected, resumed.latestModel().sample(CheckpointFixture.SAMPLE_ROWS,
                CheckpointFixture.SAMPLE_SEED));
        long steps = resumed.steps();
        SynthModel next = resumed.trainWindow(Arrays.asList(GainTestData.complete(128, 999)));
        assertEquals(checkpoint.synthVersion() + 1, next.versionNumber(), "training continues, never restarts");
        assertTrue(resumed.steps() > steps);
    }

    @Test
    void shouldRestoreTheFrozenFormat3CheckpointWhoseImputerStateHoldsFloats() throws Exception {
        byte[] bytes = Files.readAllBytes(FORMAT3);
        assertEquals(3, java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt(), "the fixture is format 3");
        ModelCheckpoint checkpoint = ModelCheckpoint.parse(bytes);
        ModelCheckpoint format2 = ModelCheckpoint.parse(Files.readAllBytes(FORMAT2));
        // same nets as the format 2 fixture, values in 4 bytes instead of 8
        assertTrue(checkpoint.state().length < 0.6 * format2.state().length,
                checkpoint.state().length + " vs " + format2.state().length);
        GainLearner trainer = GainLearner.restore(CheckpointFixture.FROZEN_SPEC,
                GainConfig.defaults().withSeed(CheckpointFixture.SEED).withSteps(64, 20), checkpoint.state());
        double[] row = CheckpointFixture.PROBE.clone();
        trainer.restoredModel().imputeInPlace(new double[][]{row});
        assertArrayEquals(CheckpointFixture.expected(Path.of("src/test/resources/checkpoints/gain-format3.expected")),
                row, 0.0, Arrays.toString(row));
        assertEquals(checkpoint.modelVersion(), trainer.restoredModel().versionNumber());
        // a restored learner writes the same state again: nothing is lost by the float encoding
        assertArrayEquals(checkpoint.state(), trainer.checkpoint());
        SynthModel served = SynthLearner.modelFrom(CheckpointFixture.FROZEN_SPEC, CheckpointFixture.SYNTH,
                checkpoint.synthState());
        assertArrayEquals(CheckpointFixture.samples(Path.of("src/test/resources/checkpoints/gain-format3.samples")),
                served.sample(CheckpointFixture.SAMPLE_ROWS, CheckpointFixture.SAMPLE_SEED));
    }

    @Test
    void shouldRefuseDamagedCheckpointsWithAReason() throws Exception {
        byte[] good = Files.readAllBytes(FORMAT1);
        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x10;
        assertTrue(assertThrows(ModelCheckpoint.InvalidCheckpointException.class, () -> ModelCheckpoint.parse(flipped))
                .getMessage().contains("corrupted"));
        byte[] truncated = Arrays.copyOf(good, good.length - 100);
        assertThrows(ModelCheckpoint.InvalidCheckpointException.class, () -> ModelCheckpoint.parse(truncated));
        byte[] future = good.clone();
        future[7] = 99;
        assertTrue(assertThrows(ModelCheckpoint.InvalidCheckpointException.class, () -> ModelCheckpoint.parse(future))
                .getMessage().contains("newer than this version"));
        assertTrue(assertThrows(ModelCheckpoint.InvalidCheckpointException.class,
                () -> ModelCheckpoint.parse("not a checkpoint at all, just text".getBytes())).getMessage()
                .contains("not a ganstream checkpoint"));
    }

    @Test
    void shouldRoundTripACheckpointLargerThanOneMebibyte() throws Exception {
        byte[] state = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(3).nextBytes(state);
        ModelCheckpoint big = new ModelCheckpoint("wide", "h", "0.1.0", 1L, 9, 2, state);
        ModelCheckpoint back = ModelCheckpoint.parse(big.toBytes());
        assertArrayEquals(state, back.state());
        assertEquals(9, back.modelVersion());
    }

    @Test
    void shouldCarryWhereBothModelsTrainingStoodFromFormat4On() throws Exception {
        ModelCheckpoint written = new ModelCheckpoint("d", "h", "0.1.0", 1L, 3, 2, new byte[] {1, 2}, 5,
                new byte[] {3}, TrainerState.CONVERGED, TrainerState.LEARNING, "{\"type\": \"object\"}");
        byte[] bytes = written.toBytes();
        assertEquals(ModelCheckpoint.FORMAT, java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt());
        ModelCheckpoint back = ModelCheckpoint.parse(bytes);
        assertEquals(TrainerState.CONVERGED, back.imputerTraining());
        assertEquals(TrainerState.LEARNING, back.synthTraining());
        assertEquals("{\"type\": \"object\"}", back.schemaText(), "a model file carries its schema");
        ModelCheckpoint unknown = ModelCheckpoint.parse(new ModelCheckpoint("d", "h", "0.1.0", 1L, 3, 2,
                new byte[] {1}).toBytes());
        assertEquals(null, unknown.imputerTraining());
    }
}
