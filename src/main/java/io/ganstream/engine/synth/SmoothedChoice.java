package io.ganstream.engine.synth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses among named candidates by an exponential moving average of their measured quality over the versions
 * they were measured at, not by one version's measure: the calibrations of one generator differ by a few
 * thousandths of quality, about what one measurement on 2,000 rows moves by, and the generator changes little
 * from one version to the next, so the average tells them apart where one measure picks a worse one a third of the
 * time (docs/benchmarks.md). A candidate measured for the first time starts at its measure. Deterministic; one
 * owner thread.
 */
final class SmoothedChoice {
    /** Weight of the newest measure: about the last ten versions count. */
    static final double WEIGHT = 0.2;

    private final Map<String, Double> averages = new HashMap<>();

    /**
     * Records each candidate's newest {@code quality} and returns the index of the one with the highest average
     * (the first of the best on a tie).
     */
    int choose(List<String> names, double[] quality) {
        boolean[] all = new boolean[quality.length];
        java.util.Arrays.fill(all, true);
        return choose(names, quality, all, 0);
    }

    /**
     * As {@link #choose(List, double[])}, except that a candidate not {@code favoured} is chosen only when its
     * average beats every favoured candidate's by more than {@code tolerance}; else the best favoured one is.
     */
    int choose(List<String> names, double[] quality, boolean[] favoured, double tolerance) {
        if (names.size() != quality.length || favoured.length != quality.length) {
            throw new IllegalArgumentException(names.size() + " names for " + quality.length + " measures");
        }
        int best = 0;
        double bestAverage = Double.NEGATIVE_INFINITY;
        int bestFavoured = -1;
        double bestFavouredAverage = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < quality.length; i++) {
            double q = quality[i];
            double average = averages.merge(names.get(i), q, (old, now) -> (1 - WEIGHT) * old + WEIGHT * now);
            if (average > bestAverage) {
                best = i;
                bestAverage = average;
            }
            if (favoured[i] && average > bestFavouredAverage) {
                bestFavoured = i;
                bestFavouredAverage = average;
            }
        }
        return favoured[best] || bestFavoured < 0 || bestAverage - bestFavouredAverage > tolerance ? best
                : bestFavoured;
    }
}
