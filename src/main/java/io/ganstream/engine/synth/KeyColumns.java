package io.ganstream.engine.synth;

import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The categorical columns a {@link CorrelationCalibration} may key every row's class map on, and the keys of
 * generated rows. Why keys at all: keyed by the column that drove a row, a class's map reaches only the rows that
 * column drove (a third of the rows of a table of three categorical columns); keyed by one column it reaches every
 * row (docs/models.md).
 */
final class KeyColumns {
    /** Most categorical columns offered as keys ({@link #candidates}). */
    static final int MAX_KEYS = 4;

    private KeyColumns() {
    }

    /**
     * The categorical columns offered as keys, in column order: the {@value #MAX_KEYS} whose classes explain the most
     * of the mapped columns' observed normal scores (between-class share of their variance, summed over the
     * columns; ties to the earlier column). Why a bound: each key is a fit and a measurement at every version, and on
     * a table of fifteen categorical columns (attrition) measuring them all doubled the time to converge; a column
     * whose classes hardly move the numbers has little for a keyed map to correct.
     */
    static int[] candidates(TableSpec spec, int[] columns, MarginalCalibration marginal, double[][] real,
                               int realCount) {
        double[][] z = NormalScores.scores(spec, columns, real, realCount, marginal, true);
        int k = columns.length;
        double[] total = new double[k];
        double[] mean = NormalScores.mean(z, NormalScores.range(realCount), realCount);
        for (int i = 0; i < realCount; i++) {
            for (int p = 0; p < k; p++) {
                double d = z[i][p] - mean[p];
                total[p] += d * d;
            }
        }
        List<double[]> explained = new ArrayList<>();
        for (int c = 0; c < spec.columnCount(); c++) {
            if (!spec.column(c).isCategorical()) {
                continue;
            }
            int categories = spec.column(c).categories().size();
            double[][] sum = new double[categories][k];
            int[] count = new int[categories];
            int cell = spec.offset(c);
            for (int i = 0; i < realCount; i++) {
                double v = real[i][cell];
                if (!Double.isNaN(v)) {
                    count[(int) v]++;
                    for (int p = 0; p < k; p++) {
                        sum[(int) v][p] += z[i][p] - mean[p];
                    }
                }
            }
            double share = 0;
            for (int cat = 0; cat < categories; cat++) {
                for (int p = 0; p < k; p++) {
                    if (count[cat] > 0 && total[p] > 0) {
                        share += sum[cat][p] * sum[cat][p] / count[cat] / total[p];
                    }
                }
            }
            explained.add(new double[] {c, share});
        }
        explained.sort((a, b) -> Double.compare(b[1], a[1]));
        return explained.stream().limit(MAX_KEYS).mapToInt(e -> (int) e[0]).sorted().toArray();
    }

    /** Per generated row, {@code column} and the row's own category in it (as {@code driving} reads). */
    static int[][] keyedBy(TableSpec spec, double[][] generated, int column) {
        int[][] key = new int[2][generated.length];
        int cell = spec.offset(column);
        for (int i = 0; i < generated.length; i++) {
            double v = generated[i][cell];
            key[0][i] = Double.isNaN(v) ? -1 : column;
            key[1][i] = Double.isNaN(v) ? -1 : (int) v;
        }
        return key;
    }
}
