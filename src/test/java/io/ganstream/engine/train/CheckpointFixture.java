package io.ganstream.engine.train;

import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainTestData;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The frozen checkpoint fixtures of {@link CheckpointCompatibilityTest}: a small trainer's checkpoint (format 1:
 * the imputer; format 2: imputer and synthesizer; format 3: as 2, the imputer's values stored as floats), what
 * its imputer fills in for a fixed row and what its synthesizer generates for a fixed seed. Run this main only to add a fixture for a NEW format (never to
 * overwrite an old one: old fixtures are what every version must still load).
 * {@code java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt)
 * io.ganstream.engine.train.CheckpointFixture src/test/resources/checkpoints/gain-format3}
 */
public final class CheckpointFixture {
    /** The columns the fixture was trained for. Never change: the fixture's weights are laid out for them. */
    static final TableSpec FROZEN_SPEC = new TableSpec(List.of(
            Column.continuous("x", Double.NaN, Double.NaN),
            Column.continuous("y", Double.NaN, Double.NaN),
            Column.continuous("z", 0, 5),
            Column.integer("n", 0, 100),
            Column.categorical("c", List.of("a", "b", "c"))));
    static final double[] PROBE = {4.0, Double.NaN, Double.NaN, 40, Double.NaN};
    static final long SEED = 5;
    /** Pinned synthesizer settings of the format 2 fixture (network shapes and modes decide its layout). */
    static final io.ganstream.engine.synth.SynthConfig SYNTH = io.ganstream.engine.synth.SynthConfig.defaults()
            .withSeed(SEED).withSteps(50, 5, 5).withNetwork(32, 128, 128, 2e-4, 2e-4).withModes(5, 4);
    static final long SAMPLE_SEED = 11;
    static final int SAMPLE_ROWS = 4;

    private CheckpointFixture() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        GainConfig config = GainConfig.defaults().withSeed(SEED).withSteps(64, 20);
        GainLearner trainer = new GainLearner(FROZEN_SPEC, config);
        var synth = new io.ganstream.engine.synth.SynthLearner(FROZEN_SPEC, SYNTH);
        GainModel latest = null;
        for (int w = 0; w < 3; w++) {
            double[][] rows = GainTestData.mask(GainTestData.complete(128, 100 + w), 0.2, 0, 200 + w);
            latest = trainer.trainWindow(new ArrayList<>(Arrays.asList(rows)));
            synth.trainWindow(Arrays.asList(GainTestData.complete(128, 300 + w)));
        }
        ModelCheckpoint checkpoint = new ModelCheckpoint("fixture", "frozen-spec-v1", "0.1.0", 1_796_000_000_000L,
                latest.versionNumber(), SEED, trainer.checkpoint(),
                synth.latestModel().versionNumber(), synth.checkpoint());
        Files.write(Path.of(base + ".gsck"), checkpoint.toBytes());
        double[] row = PROBE.clone();
        latest.imputeInPlace(new double[][]{row});
        Files.writeString(Path.of(base + ".expected"), Arrays.stream(row).mapToObj(Double::toString)
                .collect(Collectors.joining(",")) + "\n");
        Files.writeString(Path.of(base + ".samples"), Arrays.stream(synth.latestModel().sample(SAMPLE_ROWS, SAMPLE_SEED))
                .map(r -> Arrays.stream(r).mapToObj(Double::toString).collect(Collectors.joining(",")))
                .collect(Collectors.joining("\n")) + "\n");
    }

    static double[][] samples(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank())
                .map(l -> Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray())
                .toArray(double[][]::new);
    }

    static double[] expected(Path file) throws IOException {
        return Arrays.stream(Files.readString(file).strip().split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
