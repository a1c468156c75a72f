package io.ganstream.engine.synth;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.Arrays;
import java.util.Random;

/**
 * CTGAN's training-by-sampling over the synthesizer's replay buffer: per categorical column and category, the
 * replay slots holding it, and the training loop that draws each batch row through a condition so that rare
 * categories are learnt as well as frequent ones. Apart from {@link SynthLearner}, which owns the buffer and
 * decides when to re-index it. One owner thread.
 */
final class ConditionalBatches {
    /** Least steps per categorical column before the synthesizer may converge ({@link #minimumSteps}). */
    static final long STEPS_PER_CONDITION = 350;
    /** Least passes over the training rows before the synthesizer may converge ({@link #minimumSteps}). */
    static final long MIN_EPOCHS = 200;

    /**
     * Steps before the synthesizer may converge, however early its held-out measure (marginals and pairs) stops
     * moving, which it does long before the classes' own structure is learned: {@value #STEPS_PER_CONDITION} per
     * categorical column (each batch row conditions on one of them, so on a table of many each one's classes are
     * learned slowly) and, but on wide (image) tables, where training longer drew no better digits,
     * {@value #MIN_EPOCHS} passes over its {@code rows} distinct training rows in batches of {@code batch} (a large
     * table's conditional structure needs passes, not only steps).
     */
    static long minimumSteps(TableSpec spec, long rows, int batch) {
        long perCondition = STEPS_PER_CONDITION * spec.columns().stream().filter(Column::isCategorical).count();
        long epoch = (rows + batch - 1) / Math.max(1, batch);
        return spec.isWide() ? perCondition : Math.max(perCondition, MIN_EPOCHS * epoch);
    }

    // per categorical column, per category: replay slots holding it
    private int[][][] index;
    private int[][] indexSize;

    /** Whether {@link #index} has run. */
    boolean indexed() {
        return index != null;
    }

    /** Rebuilds the index of {@code replay[0..size)} for {@code layout}'s categorical columns. */
    void index(TableSpec spec, SynthLayout layout, double[][] replay, int size) {
        int cols = spec.columnCount();
        if (index == null) {
            index = new int[cols][][];
            indexSize = new int[cols][];
        }
        for (int c : layout.catCols) {
            int k = layout.outWidth[c];
            if (index[c] == null) {
                index[c] = new int[k][16];
                indexSize[c] = new int[k];
            }
            Arrays.fill(indexSize[c], 0);
        }
        for (int i = 0; i < size; i++) {
            double[] row = replay[i];
            for (int c : layout.catCols) {
                double v = row[spec.offset(c)];
                if (Double.isNaN(v)) {
                    continue;
                }
                int k = (int) v;
                if (k < 0 || k >= index[c].length) {
                    continue;
                }
                if (indexSize[c][k] == index[c][k].length) {
                    index[c][k] = Arrays.copyOf(index[c][k], index[c][k].length * 2);
                }
                index[c][k][indexSize[c][k]++] = i;
            }
        }
    }

    /**
     * Trains {@code steps} steps of {@code batch} rows on {@code replay[0..size)}: each row conditions on a
     * categorical column drawn uniformly among those with indexed rows and on one of its categories drawn by
     * log-frequency, and is a replay row of that category (an unconditioned replay row when no column has any).
     */
    void train(SynthNet net, TableSpec spec, SynthLayout layout, double[][] replay, int size, Random rng, int batch,
               int steps) {
        int n = batch;
        int od = layout.outDims;
        int cd = layout.condDims;
        double[] real = new double[n * od];
        double[] mask = new double[n * od];
        double[] cond = new double[n * cd];
        int[] condOut = new int[n];
        int[] condCat = new int[n];
        double[] tmp = new double[1];
        // columns usable for conditioning and their log-frequency category weights
        int[] usable = new int[layout.catCols.length];
        int nu = 0;
        double[][] logw = new double[spec.columnCount()][];
        for (int c : layout.catCols) {
            double[] lw = new double[layout.outWidth[c]];
            double tot = 0;
            for (int k = 0; k < lw.length; k++) {
                lw[k] = indexSize[c][k] > 0 ? Math.log1p(indexSize[c][k]) : 0;
                tot += lw[k];
            }
            if (tot > 0) {
                for (int k = 0; k < lw.length; k++) {
                    lw[k] /= tot;
                }
                logw[c] = lw;
                usable[nu++] = c;
            }
        }
        for (int s = 0; s < steps; s++) {
            Arrays.fill(cond, 0);
            for (int r = 0; r < n; r++) {
                double[] row;
                if (nu > 0) {
                    int c = usable[rng.nextInt(nu)];
                    double u = rng.nextDouble();
                    double[] lw = logw[c];
                    int k = 0;
                    for (; k < lw.length - 1; k++) {
                        u -= lw[k];
                        if (u <= 0 && lw[k] > 0) {
                            break;
                        }
                    }
                    while (indexSize[c][k] == 0) {
                        k = (k + lw.length - 1) % lw.length;
                    }
                    row = replay[index[c][k][rng.nextInt(indexSize[c][k])]];
                    cond[r * cd + layout.condStart[c] + k] = 1;
                    condOut[r] = layout.outStart[c];
                    condCat[r] = k;
                } else {
                    row = replay[rng.nextInt(size)];
                    condOut[r] = -1;
                }
                layout.encode(row, rng, real, mask, r * od, tmp);
            }
            net.trainStep(real, mask, cond, condOut, condCat, layout);
        }
    }
}
