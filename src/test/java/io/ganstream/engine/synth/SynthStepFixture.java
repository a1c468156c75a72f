package io.ganstream.engine.synth;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One synthesizer training iteration (one D and one G update of {@link SynthNet}) on a fixed, realistically
 * encoded mini-batch, for the step benchmarks. The table has {@code columns} columns, 70% numeric (two modes
 * each) and 30% categorical with 5 categories; rows are conditioned on a categorical column as
 * {@link SynthLearner} does (training-by-sampling), 20% of the cells are missing.
 */
public final class SynthStepFixture {
    private final SynthLearner learner;
    private final double[] real;
    private final double[] mask;
    private final double[] cond;
    private final int[] condOut;
    private final int[] condCat;

    public SynthStepFixture(int columns, int batch, int pac) {
        int numeric = Math.max(1, (int) Math.round(columns * 0.7));
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            cols.add(i < numeric ? Column.continuous("x" + i, Double.NaN, Double.NaN)
                    : Column.categorical("c" + i, List.of("a", "b", "c", "d", "e")));
        }
        TableSpec spec = new TableSpec(cols);
        Random r = new Random(1);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double[] row = new double[columns];
            double z = r.nextGaussian();
            for (int j = 0; j < columns; j++) {
                row[j] = j < numeric ? z * (j % 5) + r.nextGaussian() + (r.nextBoolean() ? 5 : 0) : r.nextInt(5);
                if (r.nextDouble() < 0.2) {
                    row[j] = Double.NaN;
                }
            }
            rows.add(row);
        }
        SynthConfig cfg = SynthConfig.defaults().withSteps(batch, 1, pac);
        learner = new SynthLearner(spec, cfg);
        learner.trainWindow(rows);
        SynthLayout layout = learner.layout();
        int od = layout.outDims;
        int cd = layout.condDims;
        real = new double[batch * od];
        mask = new double[batch * od];
        cond = new double[batch * cd];
        condOut = new int[batch];
        condCat = new int[batch];
        double[] tmp = new double[1];
        int[] cats = layout.catCols;
        for (int i = 0; i < batch; i++) {
            double[] row = rows.get(r.nextInt(rows.size()));
            condOut[i] = -1;
            if (cats.length > 0) {
                int c = cats[r.nextInt(cats.length)];
                double v = row[spec.offset(c)];
                if (!Double.isNaN(v)) {
                    int k = (int) v;
                    cond[i * cd + layout.condStart[c] + k] = 1;
                    condOut[i] = layout.outStart[c];
                    condCat[i] = k;
                }
            }
            layout.encode(row, r, real, mask, i * od, tmp);
        }
    }

    /** One D + G update on the prepared batch. */
    public void step() {
        learner.net().trainStep(real, mask, cond, condOut, condCat, learner.layout());
    }

    public int outDims() {
        return learner.layout().outDims;
    }

    public int condDims() {
        return learner.layout().condDims;
    }

    /** Generator layer sizes {@code noise + cond, h, h, outDims}. */
    public int[] generatorSizes() {
        return learner.net().generatorSizes();
    }

    /** Discriminator layer sizes {@code pac * (outDims + condDims), h, h, 1}. */
    public int[] discriminatorSizes() {
        SynthConfig c = learner.config();
        return new int[] {c.pac() * (outDims() + condDims()), c.discHidden(), c.discHidden(), 1};
    }

    /** The learner's checkpoint bytes ({@link SynthLearner#toBytes()}). */
    public byte[] stateBytes() {
        return learner.toBytes();
    }

    /** The last discriminator loss (a JMH sink). */
    public double lastLoss() {
        return learner.net().losses()[1];
    }
}
