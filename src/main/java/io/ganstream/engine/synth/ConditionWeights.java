package io.ganstream.engine.synth;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How often an unconditioned row is generated for each condition (one category of one categorical column),
 * chosen so that the categories of the generated rows come out at the observed frequencies. Without it a row's
 * conditional vector names a column uniformly at random and that column's category at its observed frequency: the
 * driving column's categories are then right, but every other column's come from the generator's softmax, whose
 * frequencies drift by several points of total variation on tables with many categorical columns.
 * <p>Why weights rather than shifting the softmax: a row keeps every category the generator gave it for its
 * condition, so rows stay coherent. Shifting the logits of a rare class (a target's, say) up in rows generated for
 * other conditions labels rows whose numbers were generated for another class, and the few rows truly generated
 * for the rare class drown among them (macro-F1 of a classifier trained on them fell by 0.02-0.06). Here a rare
 * class the softmax under-produces is made up by more rows generated for it.
 * <p>Fitted by iterative proportional fitting over the columns: each round scales every condition's weight by
 * how much the categories its rows carry are under- or over-represented. Immutable.
 */
public final class ConditionWeights {
    /** Proportional-fitting rounds: the frequencies settle within a few; more cost only time. */
    private static final int ROUNDS = 50;
    /** Rows generated per condition to estimate its rows' categories: at most this many in all ... */
    private static final int FIT_ROWS = 4096;
    /** ... and between these per condition. */
    private static final int MIN_PER_CONDITION = 8;
    private static final int MAX_PER_CONDITION = 64;

    private final int[] column;
    private final int[] category;
    private final double[] weight;
    private final double[] cumulative;

    private ConditionWeights(int[] column, int[] category, double[] weight) {
        this.column = column;
        this.category = category;
        this.weight = weight;
        this.cumulative = new double[weight.length];
        double sum = 0;
        for (int g = 0; g < weight.length; g++) {
            sum += weight[g];
            cumulative[g] = sum;
        }
        for (int g = 0; g < weight.length; g++) {
            cumulative[g] /= sum;
        }
    }

    /**
     * Fits the weights of {@code model}'s conditions; null with fewer than two categorical columns (the only one
     * drives every row and its categories are drawn at the observed frequencies already).
     */
    static ConditionWeights fit(SynthLayout layout, SynthModel model, long seed) {
        return fit(layout, model::meanCategoryProbabilities, seed);
    }

    /** Where the fit reads the rows of a condition from ({@link SynthModel#meanCategoryProbabilities}'s shape). */
    interface ConditionRows {
        double[][] meanCategoryProbabilities(int column, int category, int rows, long seed);
    }

    static ConditionWeights fit(SynthLayout layout, ConditionRows model, long seed) {
        int nc = layout.catCols.length;
        if (nc < 2) {
            return null;
        }
        List<int[]> groups = new ArrayList<>();
        for (int c : layout.catCols) {
            for (int k = 0; k < layout.outWidth[c]; k++) {
                if (layout.freq[c][k] > 0) {
                    groups.add(new int[] {c, k});
                }
            }
        }
        int n = groups.size();
        int perCondition = Math.max(MIN_PER_CONDITION, Math.min(MAX_PER_CONDITION, FIT_ROWS / n));
        // probs[g][c] = mean category probabilities of column c in rows generated for condition g
        double[][][] probs = new double[n][][];
        double[] start = new double[n];
        for (int g = 0; g < n; g++) {
            int c = groups.get(g)[0];
            int k = groups.get(g)[1];
            probs[g] = model.meanCategoryProbabilities(c, k, perCondition, seed + 31L * g);
            start[g] = layout.freq[c][k] / nc;
        }
        // a condition may rise until its rows alone carry its category, and fall as far
        double limit = Math.max(4, 2.0 * nc);
        double[] w = start.clone();
        for (int round = 0; round < ROUNDS; round++) {
            for (int c : layout.catCols) {
                int wd = layout.outWidth[c];
                double[] share = new double[wd];
                for (int g = 0; g < n; g++) {
                    for (int k = 0; k < wd; k++) {
                        share[k] += w[g] * probs[g][c][k];
                    }
                }
                double total = 0;
                for (int g = 0; g < n; g++) {
                    double factor = 0;
                    for (int k = 0; k < wd; k++) {
                        if (share[k] > 0 && probs[g][c][k] > 0) {
                            factor += probs[g][c][k] * layout.freq[c][k] / share[k];
                        }
                    }
                    w[g] = Math.max(start[g] / limit, Math.min(start[g] * limit, w[g] * factor));
                    total += w[g];
                }
                for (int g = 0; g < n; g++) {
                    w[g] /= total;
                }
            }
        }
        int[] column = new int[n];
        int[] category = new int[n];
        for (int g = 0; g < n; g++) {
            column[g] = groups.get(g)[0];
            category[g] = groups.get(g)[1];
        }
        return new ConditionWeights(column, category, w);
    }

    /** Draws a condition: {@code into[0]} receives its column, {@code into[1]} its category. */
    void draw(SplittableRandom rng, int[] into) {
        int g = Arrays.binarySearch(cumulative, rng.nextDouble());
        g = Math.min(cumulative.length - 1, g < 0 ? -g - 1 : g);
        into[0] = column[g];
        into[1] = category[g];
    }

    /** The share of unconditioned rows generated for category {@code k} of column {@code c}. */
    double weight(int c, int k) {
        for (int g = 0; g < column.length; g++) {
            if (column[g] == c && category[g] == k) {
                return weight[g];
            }
        }
        return 0;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(column.length);
        for (int g = 0; g < column.length; g++) {
            out.writeInt(column[g]);
            out.writeInt(category[g]);
            out.writeDouble(weight[g]);
        }
    }

    /** Reads what {@link #write} wrote ({@link #fits} checks it against the generator's layout). */
    static ConditionWeights read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > 1 << 20) {
            throw new IOException("condition weights over " + n + " conditions");
        }
        int[] column = new int[n];
        int[] category = new int[n];
        double[] weight = new double[n];
        double sum = 0;
        for (int g = 0; g < n; g++) {
            column[g] = in.readInt();
            category[g] = in.readInt();
            weight[g] = in.readDouble();
            if (column[g] < 0 || category[g] < 0 || !(weight[g] >= 0)) {
                throw new IOException("condition weight " + g + " is malformed");
            }
            sum += weight[g];
        }
        if (!(sum > 0)) {
            throw new IOException("condition weights sum to " + sum);
        }
        return new ConditionWeights(column, category, weight);
    }

    /** Whether every condition names a category of {@code layout}'s categorical columns. */
    boolean fits(SynthLayout layout) {
        for (int g = 0; g < column.length; g++) {
            if (column[g] >= layout.columns || !layout.categorical[column[g]]
                    || category[g] >= layout.outWidth[column[g]]) {
                return false;
            }
        }
        return true;
    }
}
