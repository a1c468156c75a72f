package io.ganstream.engine.impute;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One GAIN training iteration ({@link GainNet#trainStep}: one D and one G update) on a fixed mini-batch of
 * {@code columns} numeric columns (so encoded dims = columns, hidden width = the default
 * {@link GainConfig#hiddenFor}), 20% of the cells missing, for the step benchmarks.
 */
public final class GainStepFixture {
    private final GainNet net;
    private final Encoder encoder;
    private final double[][] rows;

    public GainStepFixture(int columns, int batch) {
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            cols.add(Column.continuous("x" + i, Double.NaN, Double.NaN));
        }
        TableSpec spec = new TableSpec(cols);
        Random r = new Random(1);
        ColumnStats stats = new ColumnStats(spec);
        rows = new double[batch][columns];
        for (double[] row : rows) {
            double z = r.nextGaussian();
            for (int j = 0; j < columns; j++) {
                row[j] = r.nextDouble() < 0.2 ? Double.NaN : z * (j % 5) + r.nextGaussian();
            }
            stats.observe(row);
        }
        encoder = stats.snapshot();
        net = new GainNet(encoder.dims(), GainConfig.defaults().withSteps(batch, 1));
    }

    /** One D + G update. */
    public void step() {
        net.trainStep(rows, encoder);
    }

    public int dims() {
        return net.dims();
    }

    public int hidden() {
        return net.hidden();
    }

    /** The last generator loss (a JMH sink). */
    public double lastLoss() {
        return net.lastGeneratorLoss();
    }
}
