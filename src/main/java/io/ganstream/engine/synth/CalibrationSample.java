package io.ganstream.engine.synth;

import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The generator's rows a {@link CorrelationCalibration} is fitted on: {@code pooled} unconditioned rows (the
 * generator's own mix of categories, what the pooled map and quantiles describe), then top-ups: rows conditioned on
 * a category the observed rows have enough of for a map but the unconditioned rows too few, which serve only that
 * category's map. Why: an unconditioned sample splits its rows over every categorical column and draws each
 * column's categories by frequency, so a class of a few dozen rows in ten thousand gets a handful of generated rows
 * and no map; its rows then keep the generator's blur, and a classifier trained on them misses the class.
 *
 * @param rows    decoded rows ({@link SynthModel#sampleDecoded}): the unconditioned ones first
 * @param driving per row, the column ({@code driving[0]}) and category ({@code driving[1]}) that drove it
 * @param pooled  how many of the first rows are unconditioned
 */
record CalibrationSample(double[][] rows, int[][] driving, int pooled) {
    /** Generated rows a topped-up category is brought to (at most). */
    static final int TOP_UP_ROWS = 2 * CorrelationCalibration.MIN_CATEGORY_ROWS;

    /** Unconditioned rows only (no top-ups). */
    static CalibrationSample of(double[][] rows, int[][] driving) {
        return new CalibrationSample(rows, driving, rows.length);
    }

    /**
     * {@code n} unconditioned rows of {@code model} (decoded, uncalibrated), then for every category of every
     * categorical column with at least {@link CorrelationCalibration#MIN_CLASS_ROWS} observed rows and fewer than
     * {@link #TOP_UP_ROWS} among them, rows conditioned on it up to that many. Same seed, same rows.
     */
    static CalibrationSample draw(SynthModel model, TableSpec spec, double[][] real, int realCount, int n,
                                  long seed) {
        int[][] driving = new int[2][n];
        double[][] rows = model.sampleDecoded(n, seed, driving);
        List<double[]> extraRows = new ArrayList<>();
        List<int[]> extraKeys = new ArrayList<>();
        for (int c = 0; c < spec.columnCount(); c++) {
            if (!spec.column(c).isCategorical()) {
                continue;
            }
            int categories = spec.column(c).categories().size();
            int[] observed = counts(real, realCount, spec.offset(c), categories);
            int[] generated = new int[categories];
            for (int i = 0; i < n; i++) {
                if (driving[0][i] == c) {
                    generated[driving[1][i]]++;
                }
            }
            for (int cat = 0; cat < categories; cat++) {
                int missing = TOP_UP_ROWS - generated[cat];
                if (observed[cat] < CorrelationCalibration.MIN_CLASS_ROWS || missing <= 0) {
                    continue;
                }
                for (double[] row : model.sampleDecoded(missing, Map.of(c, cat),
                        seed ^ (0x9E3779B97F4A7C15L * (31L * c + cat + 1)))) {
                    extraRows.add(row);
                    extraKeys.add(new int[] {c, cat});
                }
            }
        }
        if (extraRows.isEmpty()) {
            return new CalibrationSample(rows, driving, n);
        }
        int total = n + extraRows.size();
        double[][] all = Arrays.copyOf(rows, total);
        int[][] allDriving = {Arrays.copyOf(driving[0], total), Arrays.copyOf(driving[1], total)};
        for (int i = 0; i < extraRows.size(); i++) {
            all[n + i] = extraRows.get(i);
            allDriving[0][n + i] = extraKeys.get(i)[0];
            allDriving[1][n + i] = extraKeys.get(i)[1];
        }
        return new CalibrationSample(all, allDriving, n);
    }

    /** The unconditioned rows (what the marginal calibration is fitted on). */
    double[][] unconditioned() {
        return pooled == rows.length ? rows : Arrays.copyOf(rows, pooled);
    }

    /**
     * The rows' keys when every row's map is picked by its own category in {@code column}: the unconditioned rows
     * keyed by their category there, the top-ups of that column by theirs; other columns' top-ups by none (-1), as
     * they would over-represent their category among the key's classes.
     */
    int[][] keyedBy(TableSpec spec, int column) {
        int[][] key = KeyColumns.keyedBy(spec, rows, column);
        for (int i = pooled; i < rows.length; i++) {
            if (driving[0][i] != column) {
                key[0][i] = -1;
                key[1][i] = -1;
            }
        }
        return key;
    }

    static int[] counts(double[][] real, int realCount, int cell, int categories) {
        int[] counts = new int[categories];
        for (int i = 0; i < realCount; i++) {
            double v = real[i][cell];
            if (!Double.isNaN(v) && v >= 0 && v < categories) {
                counts[(int) v]++;
            }
        }
        return counts;
    }
}
