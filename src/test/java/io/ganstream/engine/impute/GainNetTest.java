package io.ganstream.engine.impute;

import io.ganstream.engine.nn.Dl4j;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DL4J-backed {@link GainNet}: seeded determinism and checkpoint round trip at the net level. */
class GainNetTest {
    private static final TableSpec SPEC = new TableSpec(List.of(
            Column.continuous("x", Double.NaN, Double.NaN),
            Column.continuous("y", Double.NaN, Double.NaN),
            Column.integer("n", 0, 100),
            Column.categorical("c", List.of("a", "b", "c"))));

    private static double[][] rows(long seed, int n) {
        Random r = new Random(seed);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian();
            int c = r.nextInt(3);
            double[] row = {x, 2 * x + c + 0.1 * r.nextGaussian(), Math.rint(50 + 10 * x), c};
            for (int j = 0; j < row.length; j++) {
                if (r.nextDouble() < 0.2) {
                    row[j] = Double.NaN;
                }
            }
            rows[i] = row;
        }
        return rows;
    }

    private static Encoder encoder(double[][] rows) {
        ColumnStats stats = new ColumnStats(SPEC);
        for (double[] row : rows) {
            stats.observe(row);
        }
        return stats.snapshot();
    }

    private static GainNet train(GainConfig cfg, double[][] rows, Encoder enc, int steps) {
        GainNet net = new GainNet(enc.dims(), cfg);
        double[][] batch = java.util.Arrays.copyOf(rows, 64);
        for (int s = 0; s < steps; s++) {
            net.trainStep(batch, enc);
        }
        return net;
    }

    @Test
    void sameSeedSameDataGivesIdenticalNets() {
        double[][] rows = rows(1, 64);
        Encoder enc = encoder(rows);
        GainConfig cfg = GainConfig.defaults().withNetwork(32, 300, 0.9, 2e-3, 0);
        GainNet a = train(cfg, rows, enc, 15);
        GainNet b = train(cfg, rows, enc, 15);
        GainNet c = train(cfg.withSeed(7), rows, enc, 15);
        assertArrayEquals(a.generatorParams(), b.generatorParams(), 0.0);
        assertArrayEquals(a.discriminatorParams(), b.discriminatorParams(), 0.0);
        assertArrayEquals(a.updaterState(), b.updaterState(), 0.0);
        assertEquals(a.lastGeneratorLoss(), b.lastGeneratorLoss(), 0.0);
        assertArrayEquals(a.snapshot(enc, 1).generatorParams(), b.snapshot(enc, 1).generatorParams(), 0.0);
        assertFalse(java.util.Arrays.equals(a.generatorParams(), c.generatorParams()));
        double[] row = rows[3].clone();
        row[1] = Double.NaN;
        assertArrayEquals(a.snapshot(enc, 1).generate(row), b.snapshot(enc, 1).generate(row), 0.0);
    }

    @Test
    void checkpointRoundTripRestoresNetsUpdaterAndEma() {
        double[][] rows = rows(2, 64);
        Encoder enc = encoder(rows);
        GainConfig cfg = GainConfig.defaults().withNetwork(32, 300, 0.9, 2e-3, 500);
        GainNet a = train(cfg, rows, enc, 10);
        GainNet b = GainNet.fromBytes(a.toBytes(), cfg);
        assertEquals(a.steps(), b.steps());
        assertArrayEquals(a.generatorParams(), b.generatorParams(), 0.0);
        assertArrayEquals(a.discriminatorParams(), b.discriminatorParams(), 0.0);
        assertArrayEquals(a.updaterState(), b.updaterState(), 0.0);
        assertArrayEquals(a.snapshot(enc, 3).generatorParams(), b.snapshot(enc, 3).generatorParams(), 0.0);
        // the restored DL4J nets keep training (Adam state and iteration continue)
        b.trainStep(java.util.Arrays.copyOf(rows, 64), enc);
        assertEquals(a.steps() + 1, b.steps());
        assertFalse(java.util.Arrays.equals(a.generatorParams(), b.generatorParams()));
    }

    @Test
    void checkpointStoresTheFloatNetsInFourBytesAValue() {
        double[][] rows = rows(3, 64);
        Encoder enc = encoder(rows);
        GainConfig cfg = GainConfig.defaults().withNetwork(32, 300, 0.9, 2e-3, 0);
        GainNet a = train(cfg, rows, enc, 3);
        long values = 2L * a.generatorParams().length + a.updaterState().length + a.generatorParams().length;
        // header (marker, dims, hidden, steps, width) + five length-prefixed arrays of floats
        assertEquals(4 + 4 + 4 + 8 + 1 + 5 * 4 + 4 * values, a.toBytes().length);
    }

    @Test
    void aDeeperGeneratorAndANarrowerDiscriminatorTrainServeAndRoundTrip() {
        double[][] rows = rows(4, 64);
        Encoder enc = encoder(rows);
        GainConfig cfg = GainConfig.defaults().withNetwork(32, 300, 0.9, 2e-3, 0).withEma(0).withArchitecture(3, 8);
        GainNet a = train(cfg, rows, enc, 12);
        assertEquals(4, a.pair().generator().network().getnLayers(), "three hidden layers and the output");
        assertEquals(3, a.pair().discriminator().network().getnLayers());
        assertEquals(8, a.pair().discriminator().network().getLayer(0).getParam("W").columns(), "D 8 wide");
        assertEquals(32, a.pair().generator().network().getLayer(2).getParam("W").columns());

        // the served snapshot (plain Java, float) computes what the DL4J generator computes
        double[] row = rows[5].clone();
        row[0] = Double.NaN;
        row[3] = Double.NaN;
        double[] x = new double[enc.dims()];
        double[] m = new double[enc.dims()];
        enc.encode(row, x, m);
        double[] in = new double[2 * enc.dims()];
        for (int j = 0; j < enc.dims(); j++) {
            in[j] = x[j] * m[j];
            in[enc.dims() + j] = m[j];
        }
        double[] logits = a.pair().generator().network().output(org.nd4j.linalg.factory.Nd4j.create(new double[][] {in})
                .castTo(Dl4j.DTYPE)).toDoubleVector();
        double[] served = a.snapshot(enc, 1).generate(row);
        double[] expected = new double[enc.dims()];
        GainNet.activate(logits, expected, 1, enc);
        assertArrayEquals(expected, served, 1e-5);

        GainNet b = GainNet.fromBytes(a.toBytes(), cfg);
        assertArrayEquals(a.generatorParams(), b.generatorParams(), 0.0);
        assertArrayEquals(a.discriminatorParams(), b.discriminatorParams(), 0.0);
        assertArrayEquals(a.updaterState(), b.updaterState(), 0.0);
        assertArrayEquals(a.snapshot(enc, 2).generate(row), b.snapshot(enc, 2).generate(row), 0.0);
        // a state made for other nets is refused, not loaded into the wrong shapes
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GainNet.fromBytes(a.toBytes(), cfg.withArchitecture(2, 0)));
    }

    @Test
    void categoricalFirstFillsTheCategoryThenTheNumbersGivenIt() {
        double[][] rows = rows(5, 64);
        Encoder enc = encoder(rows);
        GainConfig cfg = GainConfig.defaults().withNetwork(32, 300, 0.9, 2e-3, 0);
        GainModel blended = train(cfg, rows, enc, 20).snapshot(enc, 1);
        GainModel first = train(cfg.withCategoricalFirst(true), rows, enc, 20).snapshot(enc, 1);
        assertArrayEquals(blended.generatorParams(), first.generatorParams(), 0.0, "the flag does not change training");

        double[] row = {0.3, Double.NaN, Double.NaN, Double.NaN};
        double[][] one = {row.clone()};
        double[][] two = {row.clone()};
        blended.imputeInPlace(one);
        first.imputeInPlace(two);
        assertEquals(one[0][3], two[0][3], 0.0, "the same category decided");
        double[][] given = {{0.3, Double.NaN, Double.NaN, one[0][3]}};
        blended.imputeInPlace(given);
        assertArrayEquals(given[0], two[0], 0.0, "then y and n as if that category had been observed");
        assertFalse(java.util.Arrays.equals(one[0], two[0]), "which is not what one pass fills");

        double[][] numericOnly = {{0.3, Double.NaN, 40, 1}, {Double.NaN, 1.0, Double.NaN, 2}};
        double[][] numericOnly2 = {numericOnly[0].clone(), numericOnly[1].clone()};
        blended.imputeInPlace(numericOnly);
        first.imputeInPlace(numericOnly2);
        assertArrayEquals(numericOnly[0], numericOnly2[0], 0.0, "rows with their category given: one pass");
        assertArrayEquals(numericOnly[1], numericOnly2[1], 0.0);
    }
}
