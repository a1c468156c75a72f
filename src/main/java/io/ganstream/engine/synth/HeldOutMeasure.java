package io.ganstream.engine.synth;

import io.ganstream.engine.quality.Coverage;
import io.ganstream.engine.quality.Detection;
import io.ganstream.engine.quality.Privacy;
import io.ganstream.engine.quality.PrivacyFilter;
import io.ganstream.engine.quality.QualityReport;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Random;

/**
 * The synthesizer's held-out rows (a ring of the newest rows it never trains on) and what is measured
 * on them: fresh samples against the held-out rows (quality, detection AUC, coverage) and against as many
 * training rows (privacy), and which calibration of a new generator fits a sample of the training rows best.
 * Apart from {@link SynthLearner} because measuring is not training: it reads the learner's replay buffer and
 * changes nothing of it. One owner thread.
 */
final class HeldOutMeasure {
    /** Held-out rows kept (the newest). */
    static final int HELD_OUT_ROWS = 400;
    /** Fewest held-out rows a measurement is made on. */
    static final int MIN_MEASURED = 40;
    /** Training rows, and generated rows, {@link #bestOnTraining} measures on. */
    static final int KEY_ROWS = 2000;
    /**
     * How much better a fit without class marginals must measure, on average, than the best fit with them to be
     * served. Why: the measure pools the classes (each column's shape, each pair's trend), so it hardly sees
     * whether each class has its own distribution, which is what a model trained on the synthetic rows needs; on
     * sonar it measured the two within 0.0005 at every version, where the fit with class marginals gave the
     * better TSTR on each of five generators.
     */
    static final double CLASS_MARGINALS_TOLERANCE = 0.001;
    /** Held-out rows that drift is judged on. */
    static final int RECENT_ROWS = 100;
    /** Draws of {@value #RECENT_ROWS} held-out rows {@link #evaluateDraws} measures. */
    static final int DRIFT_DRAWS = 8;
    /** Figures of {@link #figures()}: quality, shapes, pairs, detection AUC, then privacy and coverage. */
    static final int FIGURES = 11;

    private final double[][] heldOut = new double[HELD_OUT_ROWS][];
    private long heldOutCount;
    private double[] figures = nanFigures();
    private final SmoothedChoice calibrations = new SmoothedChoice();

    /** Holds out {@code row} (the array is kept), in place of the oldest when the ring is full. */
    void hold(double[] row) {
        heldOut[(int) (heldOutCount++ % heldOut.length)] = row;
    }

    /** Held-out rows kept. */
    int rows() {
        return (int) Math.min(heldOutCount, heldOut.length);
    }

    /**
     * 1 − quality of {@code model}'s fresh rows against all held-out rows (NaN with fewer than
     * {@value #MIN_MEASURED}); records the {@link #figures()}, privacy against rows of the replay buffer
     * ({@code replay[0..size)}).
     */
    double evaluate(TableSpec spec, long seed, SynthModel model, double[][] replay, int size) {
        double[][] real = heldOut(HELD_OUT_ROWS);
        if (real.length < MIN_MEASURED) {
            return Double.NaN;
        }
        double[][] fresh = model.sample(real.length, seed * 31 + 5);
        QualityReport q = QualityReport.evaluate(spec, real, fresh);
        double auc = Detection.logisticAuc(spec, real, fresh, 3, seed);
        // the generator itself (unfiltered rows) against as many training rows as held-out ones (fewer rows of a
        // wide table: the distances are brute force)
        int pn = PrivacyFilter.measuredRows(spec, real.length);
        Privacy p = Privacy.measure(spec, Arrays.copyOf(fresh, pn), trainingSample(replay, size, pn, seed * 13 + 7),
                Arrays.copyOf(real, pn));
        Coverage cov = Coverage.measure(spec, real, fresh);
        figures = new double[] {q.overall(), q.columnShapes(), q.columnPairTrends(), auc,
                p.dcrShare(), p.copyShare(), p.medianSyntheticToTrain(), p.medianHoldoutToTrain(),
                cov.categories(), cov.modes(), cov.minVarianceRatio()};
        return 1 - trainingQuality(spec, seed, model, real, q);
    }

    /**
     * The quality that decides when training stops: that of the generator with its columns calibrated one by one.
     * The correlation and category calibrations are refitted at every snapshot and make up for what the generator
     * has not learned yet; measured with them, training would stop before the generator learned it.
     * {@code served}: the served model's report on the same rows when already computed (null: none).
     */
    private static double trainingQuality(TableSpec spec, long seed, SynthModel model, double[][] real,
                                          QualityReport served) {
        SynthModel trained = model.marginalsOnly();
        if (trained == model && served != null) {
            return served.overall();
        }
        return QualityReport.evaluate(spec, real, trained.sample(real.length, seed * 31 + 5)).overall();
    }

    /**
     * Which of {@code models} (calibrations of one generator) fits a sample of up to {@value #KEY_ROWS} training
     * rows ({@code replay[0..size)}) best: the quality of each one's calibration of the same {@value #KEY_ROWS}
     * generated rows (of the first model's generator and category calibration), averaged over the versions each
     * was measured at ({@link SmoothedChoice}); the first of the best on a tie, 0 with fewer than
     * {@value #MIN_MEASURED} rows. The training rows and not the held-out ones: the calibrations differ by a few thousandths of quality, and the
     * {@value #HELD_OUT_ROWS} held-out rows are too few to tell them apart (they picked the wrong one on diamonds
     * and telco, docs/benchmarks.md).
     */
    int bestOnTraining(TableSpec spec, long seed, List<SynthModel> models, double[][] replay, int size) {
        if (size < MIN_MEASURED) {
            return 0;
        }
        // one set of the generator's rows (its categories as served) for every candidate's calibration
        int[][] driving = new int[2][KEY_ROWS];
        double[][] decoded = models.get(0).sampleDecoded(KEY_ROWS, seed * 0x632BE59BD9B4E019L + 1, driving);
        return bestOnTraining(spec, seed, models, decoded, driving, replay, size);
    }

    /** As above, on given generated rows ({@code decoded}, {@code driving}: as {@link SynthModel#sampleDecoded}). */
    int bestOnTraining(TableSpec spec, long seed, List<SynthModel> models, double[][] decoded, int[][] driving,
                       double[][] replay, int size) {
        if (size < MIN_MEASURED) {
            return 0;
        }
        QualityReport.Reference real = QualityReport.against(spec,
                trainingSample(replay, size, KEY_ROWS, seed * 17 + 3));
        double[] quality = new double[models.size()];
        boolean[] classMarginals = new boolean[models.size()];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            quality[i] = real.evaluate(models.get(i).calibrate(decoded, driving)).overall();
            names.add(models.get(i).calibrationFit());
            classMarginals[i] = models.get(i).hasClassMarginals();
        }
        return calibrations.choose(names, quality, classMarginals, CLASS_MARGINALS_TOLERANCE);
    }

    /** 1 − quality against the newest {@value #RECENT_ROWS} held-out rows (NaN with too few), for drift. */
    double evaluateRecent(TableSpec spec, long seed, SynthModel model) {
        double[][] real = heldOut(RECENT_ROWS);
        if (real.length < MIN_MEASURED) {
            return Double.NaN;
        }
        return 1 - trainingQuality(spec, seed, model, real, null);
    }

    /**
     * 1 − quality against the {@value #RECENT_ROWS} held-out rows before the newest ones (fewer when fewer are held;
     * NaN with too few), to confirm drift on rows {@link #evaluateRecent} did not measure.
     */
    double evaluatePrevious(TableSpec spec, long seed, SynthModel model) {
        double[][] real = heldOut(RECENT_ROWS, RECENT_ROWS);
        if (real.length < MIN_MEASURED) {
            return Double.NaN;
        }
        return 1 - trainingQuality(spec, seed, model, real, null);
    }

    /**
     * 1 − quality on {@value #DRIFT_DRAWS} seeded draws (with replacement) of {@value #RECENT_ROWS} held-out rows (NaN
     * with too few): how much the drift measure moves between sets of rows from one distribution.
     */
    double[] evaluateDraws(TableSpec spec, long seed, SynthModel model) {
        double[][] all = heldOut(rows());
        int n = Math.min(RECENT_ROWS, all.length);
        if (n < MIN_MEASURED) {
            return new double[] {Double.NaN};
        }
        Random r = new Random(seed * 31 + all.length);
        double[] out = new double[DRIFT_DRAWS];
        for (int d = 0; d < DRIFT_DRAWS; d++) {
            double[][] real = new double[n][];
            for (int i = 0; i < n; i++) {
                real[i] = all[r.nextInt(all.length)];
            }
            out[d] = 1 - trainingQuality(spec, seed, model, real, null);
        }
        return out;
    }

    /**
     * Of the last measurement: {quality, column shapes, column pair trends, detection AUC, DCR share, copy share,
     * median distance synthetic → training, median distance held-out → training, category coverage, mode coverage,
     * minimum variance ratio}; NaN before the first.
     */
    double[] figures() {
        return figures;
    }

    private static double[] nanFigures() {
        double[] f = new double[FIGURES];
        Arrays.fill(f, Double.NaN);
        return f;
    }

    /** {@code n} distinct rows of {@code replay[0..size)} (all when it holds fewer), drawn with {@code seed}. */
    private static double[][] trainingSample(double[][] replay, int size, int n, long seed) {
        int k = Math.min(n, size);
        Random r = new Random(seed);
        // Floyd's algorithm: k distinct indexes of [0, size) without an index array
        LinkedHashSet<Integer> chosen = new LinkedHashSet<>();
        for (int j = size - k; j < size; j++) {
            int t = r.nextInt(j + 1);
            if (!chosen.add(t)) {
                chosen.add(j);
            }
        }
        double[][] out = new double[k][];
        int i = 0;
        for (int index : chosen) {
            out[i++] = replay[index];
        }
        return out;
    }

    /** The newest {@code n} held-out rows (fewer when fewer were held out). */
    private double[][] heldOut(int n) {
        return heldOut(0, n);
    }

    /** {@code n} held-out rows, newest first, after skipping the {@code skip} newest (fewer when fewer are held). */
    private double[][] heldOut(int skip, int n) {
        int have = (int) Math.min(heldOutCount, heldOut.length);
        int k = Math.max(0, Math.min(n, have - skip));
        double[][] out = new double[k][];
        for (int i = 0; i < k; i++) {
            out[i] = heldOut[(int) Math.floorMod(heldOutCount - 1 - skip - i, (long) heldOut.length)];
        }
        return out;
    }
}
