package io.ganstream.engine.synth;

import io.ganstream.engine.quality.Coverage;
import io.ganstream.engine.quality.Privacy;
import io.ganstream.engine.quality.PrivacyFilter;
import io.ganstream.engine.table.ColumnKind;
import io.ganstream.engine.table.TableSpec;
import io.ganstream.engine.train.DistinctRows;
import io.ganstream.engine.train.Learner;
import io.ganstream.engine.train.StateBytes;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The synthesizer as a {@link Learner} (one owner thread): replay reservoir with a per-category index
 * (training-by-sampling), streaming mode mixtures + ranges + category counts, the DL4J GAN, counters, and a ring
 * of held-out rows (every {@value #HELD_OUT_EVERY}th) that fresh samples are compared with: the measure
 * is 1 − quality (column shapes and pair trends), detection AUC beside it. {@link #trainWindow} is the windowed
 * schedule in one call (no rows held out) for evaluation programs and tests. Never restarts: every step
 * continues from the current weights, Adam state and mixtures.
 */
public final class SynthLearner implements Learner<SynthModel> {
    /** About one row in this many is held out for measuring (which ones: by content). */
    static final int HELD_OUT_EVERY = 10;
    /** The held-out rows and the figures measured on them. */
    private final HeldOutMeasure measure = new HeldOutMeasure();
    private long offered;
    /** The rows told apart by content (held-out split, {@link #novelRows()}). */
    private final DistinctRows distinct;
    /** Rows of a rare target class trained on though their content would hold them out ({@link #rareTarget}). */
    private final DistinctRows keptRare;
    private long novel;
    private long addedSincePrep;
    private long addedSinceRefit;
    private boolean favourRecent;
    private long windowsFailed;
    /** The privacy filter of a restored checkpoint (copies only), until the next snapshot builds a full one. */
    private PrivacyFilter restoredPrivacy;
    private double[] restoredLosses;
    private final TableSpec spec;
    private final SynthConfig cfg;
    private final ModeMixture[] mix;
    private final double[] min;
    private final double[] max;
    private final long[][] counts;
    private final int[] decimals;
    private final double[][] replay;
    /**
     * {@link PrivacyFilter#hash}es of the newest complete rows held out (a ring as long as the replay buffer): the
     * privacy filter refuses copies of them as of the rows trained on.
     */
    private final long[] heldOutHashes;
    private long heldOutHashed;
    private final Random replayRng;
    private final Random rng;
    private final SynthNet net;
    private int size;
    private long seen;
    /** Rows counted as seen but not in {@code seen}: those of a restored checkpoint, and held-out rows. */
    private long rowsBefore;
    private long windows;
    private long version;
    private SynthLayout layout;
    private SynthModel latest;
    private MarginalCalibration calibration;
    /** Null until fitted, or when fewer than two numeric columns are mapped. */
    private CorrelationCalibration correlation;
    /** Null until fitted, or when no categorical column is drawn from the generator's softmax. */
    private CategoryCalibration categories;
    /** Null until fitted, or when the rows it was fitted on missed no cell. */
    private MissingCells missing;
    /** Rows seen when {@link #missing} was last fitted (0: not since this learner started). */
    private long seenAtMissingFit;
    /** Training-by-sampling over the replay buffer, its category index rebuilt when rows arrived. */
    private final ConditionalBatches batches = new ConditionalBatches();

    public SynthLearner(TableSpec spec, SynthConfig cfg) {
        this(spec, cfg, null);
    }

    private SynthLearner(TableSpec spec, SynthConfig cfg, DataInputStream state) {
        this.spec = spec;
        this.cfg = cfg;
        this.distinct = new DistinctRows(cfg.seed() * 0x9E3779B97F4A7C15L + 3, Math.max(5_000, cfg.replayCapacity()));
        this.keptRare = new DistinctRows(cfg.seed() * 0x9E3779B97F4A7C15L + 5, Math.max(5_000, cfg.replayCapacity()));
        int cols = spec.columnCount();
        this.mix = new ModeMixture[cols];
        this.min = new double[cols];
        this.max = new double[cols];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        this.counts = new long[cols][];
        this.decimals = new int[cols];
        for (int c = 0; c < cols; c++) {
            if (spec.column(c).isCategorical()) {
                counts[c] = new long[spec.column(c).categories().size()];
            } else if (spec.column(c).kind() != ColumnKind.VECTOR) {
                mix[c] = new ModeMixture(cfg.maxModes());
            }
        }
        this.replay = new double[cfg.replayCapacity()][];
        this.heldOutHashes = new long[cfg.replayCapacity()];
        this.replayRng = new Random(cfg.seed() + 17);
        this.rng = new Random(cfg.seed() * 0x9E3779B97F4A7C15L + 3);
        this.layout = new SynthLayout(spec, cfg.maxModes(), mix, min, max, counts, decimals);
        if (state == null) {
            this.net = new SynthNet(layout.outDims, layout.condDims, cfg);
        } else {
            try {
                version = state.readLong();
                windows = state.readLong();
                rowsBefore = state.readLong();
                for (int c = 0; c < cols; c++) {
                    min[c] = state.readDouble();
                    max[c] = state.readDouble();
                    decimals[c] = state.readInt();
                    if (counts[c] != null) {
                        for (int k = 0; k < counts[c].length; k++) {
                            counts[c][k] = state.readLong();
                        }
                    } else if (mix[c] != null) {
                        mix[c] = ModeMixture.read(state);
                    }
                }
                calibration = MarginalCalibration.read(state, cols);
                byte[] nb = state.readNBytes(state.readInt());
                this.net = SynthNet.fromBytes(nb, cfg);
                // optional trailing sections (absent in checkpoints written before they existed)
                while (state.available() >= 4) {
                    int section = state.readInt();
                    if (section == PRIVACY_SECTION) {
                        restoredPrivacy = PrivacyFilter.read(state);
                    } else if (section == CORRELATION_SECTION) {
                        correlation = CorrelationCalibration.read(state, cols);
                    } else if (section == CLASS_MARGINALS_SECTION && correlation != null) {
                        correlation = correlation.withClassMarginals(state, cols);
                    } else if (section == RAKING_SECTION && correlation != null) {
                        correlation = correlation.withRaking(state, spec);
                    } else if (section == ANCHORS_SECTION && correlation != null) {
                        correlation = correlation.withAnchors(state, cols);
                    } else if (section == KEY_SECTION && correlation != null) {
                        correlation = correlation.keyedOn(state.readInt(), spec);
                    } else if (section == MISSING_SECTION) {
                        missing = MissingCells.read(state);
                    } else if (section == CATEGORY_SECTION) {
                        categories = CategoryCalibration.read(state, net.generatorSizes()[net.generatorSizes().length - 1]);
                    } else if (section == CLASS_CATEGORY_SECTION && categories != null) {
                        categories = categories.withClasses(state, layout);
                    } else {
                        throw new IOException("unknown synthesizer state section " + Integer.toHexString(section));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.layout = new SynthLayout(spec, cfg.maxModes(), mix, min, max, counts, decimals);
            if (version > 0) {
                latest = restoredSnapshot();
            }
        }
    }

    public static SynthLearner fromBytes(TableSpec spec, SynthConfig cfg, byte[] bytes) {
        return new SynthLearner(spec, cfg, new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    /** Marks the optional privacy-filter section after the nets' bytes (hashes only: no training rows). */
    private static final int PRIVACY_SECTION = 0x50524956;
    /** Marks the optional correlation calibration after it. */
    private static final int CORRELATION_SECTION = 0x434F5252;
    /** Marks the correlation calibration's optional per-class marginals, right after it. */
    private static final int CLASS_MARGINALS_SECTION = 0x434C4153;
    /** Marks the categorical column the correlation calibration's maps are keyed on, when not the driving one. */
    private static final int KEY_SECTION = 0x4B455943;
    /** Marks the correlation calibration's per-category shifts of the mapped scores ({@link MeanRaking}). */
    private static final int RAKING_SECTION = 0x52414B45;
    /**
     * Marks the correlation calibration's anchors of small classes ({@link ClassAnchors}: midpoints of their observed
     * rows, in values).
     */
    private static final int ANCHORS_SECTION = 0x414E4348;
    /** Marks the optional category calibration after it. */
    private static final int CATEGORY_SECTION = 0x43415453;
    /** Marks the category calibration's optional offsets per class of its key column, right after it. */
    private static final int CLASS_CATEGORY_SECTION = 0x43434154;
    /** Marks the optional model of which cells the training rows missed ({@link MissingCells}). */
    private static final int MISSING_SECTION = 0x4D495353;

    /**
     * Normalizer state (ranges, counts, mixtures), marginal calibration, counters, weights and Adam state. Not the
     * replay buffer.
     */
    public byte[] toBytes() {
        return toBytes(false);
    }

    /** As {@link #toBytes()}; with {@code servingOnly} the nets' part is {@link SynthNet#toBytes(boolean)}'s. */
    public byte[] toBytes(boolean servingOnly) {
        return StateBytes.write(out -> {
            out.writeLong(version);
            out.writeLong(windows);
            out.writeLong(rowsSeen());
            for (int c = 0; c < spec.columnCount(); c++) {
                out.writeDouble(min[c]);
                out.writeDouble(max[c]);
                out.writeInt(decimals[c]);
                if (counts[c] != null) {
                    for (long x : counts[c]) {
                        out.writeLong(x);
                    }
                } else if (mix[c] != null) {
                    mix[c].write(out);
                }
            }
            (calibration == null ? MarginalCalibration.identity(spec.columnCount()) : calibration).write(out);
            byte[] nb = net.toBytes(servingOnly);
            out.writeInt(nb.length);
            out.write(nb);
            PrivacyFilter privacy = latest != null ? latest.privacy() : restoredPrivacy;
            if (privacy != null) {
                out.writeInt(PRIVACY_SECTION);
                privacy.write(out);
            }
            if (correlation != null) {
                out.writeInt(CORRELATION_SECTION);
                correlation.write(out);
                if (correlation.hasClassMarginals()) {
                    out.writeInt(CLASS_MARGINALS_SECTION);
                    correlation.writeClassMarginals(out);
                }
                if (correlation.hasRaking()) {
                    out.writeInt(RAKING_SECTION);
                    correlation.writeRaking(out);
                }
                if (correlation.hasAnchors()) {
                    out.writeInt(ANCHORS_SECTION);
                    correlation.writeAnchors(out);
                }
                if (correlation.keyColumn() >= 0) {
                    out.writeInt(KEY_SECTION);
                    out.writeInt(correlation.keyColumn());
                }
            }
            if (categories != null) {
                out.writeInt(CATEGORY_SECTION);
                categories.write(out);
                if (categories.hasClasses()) {
                    out.writeInt(CLASS_CATEGORY_SECTION);
                    categories.writeClasses(out);
                }
            }
            if (missing != null) {
                out.writeInt(MISSING_SECTION);
                missing.write(out);
            }
        });
    }

    public SynthConfig config() {
        return cfg;
    }

    public SynthNet net() {
        return net;
    }

    @Override
    public long version() {
        return version;
    }

    public long windows() {
        return windows;
    }

    @Override
    public long novelRows() {
        return novel;
    }

    @Override
    public long rowsSeen() {
        return rowsBefore + seen;
    }

    public SynthModel latestModel() {
        return latest;
    }

    public SynthLayout layout() {
        return layout;
    }

    /** Adds the window's rows (the arrays are kept: pass copies), trains, returns the new model. */
    public SynthModel trainWindow(List<double[]> rows) {
        for (double[] r : rows) {
            spec.requireRow(r);
            addTraining(r);
        }
        windows++;
        boolean anyData = size > 0;
        if (anyData && (needsFirstFit() || windows % cfg.refitEvery() == 0)) {
            ModeMixture.refit(mix, spec, replay, size);
        }
        layout = new SynthLayout(spec, cfg.maxModes(), mix, min, max, counts, decimals);
        if (anyData) {
            batches.index(spec, layout, replay, size);
            batches.train(net, spec, layout, replay, size, rng, cfg.batchSize(), cfg.stepsPerWindow());
        }
        version++;
        latest = calibratedSnapshot();
        return latest;
    }

    /**
     * Takes a row: every {@value #HELD_OUT_EVERY}th is held out, the others (and every row of a rare target class,
     * {@link #rareTarget}) are trained on.
     */
    @Override
    public void add(double[] row) {
        spec.requireRow(row);
        offered++;
        long hash = distinct.hash(row);
        boolean isNew = distinct.add(hash);
        if (isNew) {
            novel++;
        }
        // by content: every copy of a held-out row is held out too (a replay never trains on one), every copy of a
        // rare class's row kept for training is trained on (its first copy decides). Incomplete rows
        // too: every measure skips missing cells, and a dataset whose every row misses something (images with
        // holes) would otherwise never be measured and stop after its unmeasured steps
        if (DistinctRows.unit(hash) * HELD_OUT_EVERY < 1 && !keptRare.contains(hash)
                && !(isNew && rareTarget(row, hash))) {
            measure.hold(row);
            if (TableSpec.isComplete(row)) {
                heldOutHashes[(int) (heldOutHashed++ % heldOutHashes.length)] = PrivacyFilter.hash(row);
            }
            rowsBefore++;
            return;
        }
        addTraining(row);
        addedSincePrep++;
        addedSinceRefit++;
    }

    /**
     * Whether {@code row} belongs to a class of the target column that has at most {@link ClassAnchors#RARE} of the
     * rows so far; such a row is trained on (and its copies after it, by {@code hash}). Why: a rare class's
     * calibration (its map, marginals, anchors) is fitted on its training rows, and with one in ten held out by
     * content a class of a few rows loses one of its clusters (shuttle's {@code Fpv.Close}, docs/benchmarks.md);
     * the held-out measure judges the whole table and does not need them.
     */
    private boolean rareTarget(double[] row, long hash) {
        int target = cfg.targetColumn();
        if (target < 0 || counts[target] == null) {
            return false;
        }
        double v = row[spec.offset(target)];
        if (Double.isNaN(v) || v < 0 || v >= counts[target].length
                || counts[target][(int) v] + 1 > ClassAnchors.RARE * (rowsBefore + seen + 1)) {
            return false;
        }
        keptRare.add(hash);
        return true;
    }

    @Override
    public boolean ready() {
        return size > 0;
    }

    /**
     * Trains {@code steps} steps; first, when rows arrived, refits the mode mixtures (on the first data and then
     * every {@code refitEvery} × 256 new rows) and rebuilds the layout and category index.
     */
    @Override
    public void step(int steps) {
        if (size == 0) {
            return;
        }
        if (addedSincePrep > 0 || !batches.indexed()) {
            if (needsFirstFit() || addedSinceRefit >= (long) cfg.refitEvery() * 256) {
                ModeMixture.refit(mix, spec, replay, size);
                addedSinceRefit = 0;
            }
            layout = new SynthLayout(spec, cfg.maxModes(), mix, min, max, counts, decimals);
            batches.index(spec, layout, replay, size);
            addedSincePrep = 0;
        }
        batches.train(net, spec, layout, replay, size, rng, cfg.batchSize(), steps);
        restoredLosses = null;
    }

    @Override
    public SynthModel snapshot() {
        windows++;
        version++;
        latest = calibratedSnapshot();
        return latest;
    }

    @Override
    public double evaluate(SynthModel model) {
        return measure.evaluate(spec, cfg.seed(), model, replay, size);
    }

    @Override
    public double evaluateRecent(SynthModel model) {
        return measure.evaluateRecent(spec, cfg.seed(), model);
    }

    @Override
    public double evaluatePrevious(SynthModel model) {
        return measure.evaluatePrevious(spec, cfg.seed(), model);
    }

    @Override
    public double[] evaluateDraws(SynthModel model) {
        return measure.evaluateDraws(spec, cfg.seed(), model);
    }

    /** Its synthetic records are published for every row learned, late or not: it yields to a lagging stream. */
    @Override
    public boolean servesStream() {
        return false;
    }

    @Override
    public void favourRecent(boolean on) {
        favourRecent = on;
    }

    /**
     * Of the last measurement: {quality, column shapes, column pair trends, detection AUC, DCR share, copy share,
     * median distance synthetic → training, median distance held-out → training, category coverage, mode coverage,
     * minimum variance ratio} ({@link Privacy} of fresh rows against as many training rows as held-out rows;
     * {@link Coverage} of fresh rows against the held-out rows).
     */
    @Override
    public double[] figures() {
        return measure.figures();
    }

    @Override
    public double[] losses() {
        return restoredLosses != null ? restoredLosses : net.losses();
    }

    @Override
    public int batchSize() {
        return cfg.batchSize();
    }

    @Override
    public long steps() {
        return net.steps();
    }

    @Override
    public int rowsInBuffer() {
        return size;
    }

    /** {@link ConditionalBatches#minimumSteps} (rows: the buffer's, a replay's copies not counted twice). */
    @Override
    public long minimumSteps() {
        return ConditionalBatches.minimumSteps(spec, Math.min(size, novel), cfg.batchSize());
    }

    @Override
    public int heldOutRows() {
        return measure.rows();
    }

    /** The resumable state (what a model checkpoint carries for the synthesizer). */
    @Override
    public byte[] checkpoint() {
        return checkpoint(false);
    }

    /**
     * The checkpointed state: failures, the last losses, then {@link #toBytes(boolean)}; with
     * {@code servingOnly} only what serves samples and warm-starts a learner ({@link SynthNet#toBytes(boolean)}).
     */
    public byte[] checkpoint(boolean servingOnly) {
        return StateBytes.write(out -> {
            out.writeLong(windowsFailed);
            for (double loss : losses()) {
                out.writeDouble(loss);
            }
            byte[] lb = toBytes(servingOnly);
            out.writeInt(lb.length);
            out.write(lb);
        });
    }

    /** A learner resumed from {@link #checkpoint()} bytes (its buffers start empty). */
    public static SynthLearner restore(TableSpec spec, SynthConfig cfg, byte[] checkpoint) {
        return StateBytes.read(checkpoint, in -> {
            long failed = in.readLong();
            double[] losses = {in.readDouble(), in.readDouble(), in.readDouble()};
            SynthLearner learner = fromBytes(spec, cfg, in.readNBytes(in.readInt()));
            learner.windowsFailed = failed;
            learner.restoredLosses = losses;
            return learner;
        });
    }

    /** The served model of {@link #checkpoint()} bytes, null when it has no trained version. */
    public static SynthModel modelFrom(TableSpec spec, SynthConfig cfg, byte[] checkpoint) {
        return restore(spec, cfg, checkpoint).latestModel();
    }

    private boolean needsFirstFit() {
        for (int c = 0; c < mix.length; c++) {
            if (mix[c] != null && !mix[c].fitted() && max[c] >= min[c]) {
                return true;
            }
        }
        return false;
    }

    private void addTraining(double[] row) {
        for (int c = 0; c < spec.columnCount(); c++) {
            if (spec.column(c).kind() == ColumnKind.VECTOR) {
                VectorScale.observe(row, spec.offset(c), spec.column(c), min, max, decimals, c);
                continue;
            }
            double v = row[spec.offset(c)];
            if (Double.isNaN(v)) {
                continue;
            }
            if (counts[c] != null) {
                int k = (int) v;
                if (k >= 0 && k < counts[c].length) {
                    counts[c][k]++;
                }
            } else {
                min[c] = Math.min(min[c], v);
                max[c] = Math.max(max[c], v);
                decimals[c] = Decimals.widen(decimals[c], v);
            }
        }
        seen++;
        if (size < replay.length) {
            replay[size++] = row;
        } else if (favourRecent) {
            // After drift every new row takes a random slot: the reservoir turns over to the new regime.
            replay[replayRng.nextInt(replay.length)] = row;
        } else {
            long j = (long) (replayRng.nextDouble() * seen);
            if (j < replay.length) {
                replay[(int) j] = row;
            }
        }
    }

    /** Rows of a new generator that its calibrations are fitted on while it learns. */
    static final int CALIBRATION_ROWS = 4096;
    /** Most rows of a converged generator that its calibrations are fitted on ({@link #complete}). */
    static final int MAX_CALIBRATION_ROWS = 16_384;

    /**
     * Generated rows the calibrations of a converged model of {@code realRows} held rows are fitted on: as many as
     * the rows they are mapped to, within [{@value #CALIBRATION_ROWS}, {@value #MAX_CALIBRATION_ROWS}]. Why: each
     * class map compares a class's generated rows with its observed ones and the smaller side sets its noise; on a
     * large table a class's few hundred generated rows in 4,096 are the smaller side.
     */
    static int calibrationRows(int realRows) {
        return Math.max(CALIBRATION_ROWS, Math.min(realRows, MAX_CALIBRATION_ROWS));
    }

    /**
     * The converged version recalibrated on {@link #calibrationRows} generated rows when its table holds more rows
     * than the versions before it were calibrated on. Why only then: every version is calibrated while the model
     * learns, and four times the rows doubled a large table's time to converge; once costs about a second.
     */
    @Override
    public SynthModel complete(SynthModel model) {
        int rows = calibrationRows(size);
        if (model != latest || rows <= CALIBRATION_ROWS) {
            return model;
        }
        // the same rows and seed as the version it completes: its privacy filter and missing cells stand as they are
        latest = calibrated(rows).withPrivacy(model.privacy()).withMissingCells(model.missingCells());
        return latest;
    }

    private SynthModel calibratedSnapshot() {
        SynthModel calibrated = calibrated(CALIBRATION_ROWS);
        // rows learned before a restore stay guarded against copies (the restored buffer starts empty)
        PrivacyFilter privacy = PrivacyFilter.build(spec, replay, size, heldOutHashes,
                (int) Math.min(heldOutHashed, heldOutHashes.length), cfg.seed() * 0x5DEECE66DL + version)
                .alsoGuarding(restoredPrivacy, 2 * replay.length + heldOutHashes.length);
        // refitted as the rows grow by a quarter: which cells are missing changes slowly, and a fit reads every row
        if (seenAtMissingFit == 0 || seen >= seenAtMissingFit + seenAtMissingFit / 4) {
            missing = MissingCells.fit(spec, replay, size, cfg.seed() * 0x27BB2EE687B0B0FDL + version);
            seenAtMissingFit = Math.max(1, seen);
        }
        return calibrated.withPrivacy(privacy).withMissingCells(missing);
    }

    /** The generator as it stands, its calibrations fitted (into this learner's fields) on {@code rows} rows. */
    private SynthModel calibrated(int rows) {
        SynthModel raw = uncalibratedSnapshot();
        int[][] driving = new int[2][rows];
        categories = CategoryCalibration.fit(layout,
                raw.rawOutputs(rows, cfg.seed() * 0x9E3779B97F4A7C15L + version, driving), driving,
                cfg.targetColumn(), replay, size);
        // the categories as served: a class's maps are fitted on the rows that are served as that class
        CalibrationSample generated = CalibrationSample.draw(raw.withCategoriesOnly(categories), spec, replay, size,
                rows, cfg.seed() * 0x2545F4914F6CDD1DL + version);
        calibration = MarginalCalibration.fit(spec, replay, size, generated.unconditioned());
        correlation = CorrelationCalibration.fitChoosing(spec, calibration, replay, size, generated,
                cfg.targetColumn(), fits -> measure.bestOnTraining(spec, cfg.seed() + version,
                        fits.stream().map(fit -> raw.withCalibration(calibration, fit, categories)).toList(),
                        replay, size));
        return raw.withCalibration(calibration, correlation, categories);
    }

    /** After a restore: the checkpointed calibration (the replay buffer it was fitted on is not checkpointed). */
    private SynthModel restoredSnapshot() {
        return uncalibratedSnapshot().withCalibration(calibration, correlation, categories)
                .withPrivacy(restoredPrivacy).withMissingCells(missing);
    }

    private SynthModel uncalibratedSnapshot() {
        return new SynthModel(layout, version, cfg.noiseDim(), net.generatorSizes(), net.generatorLayers());
    }
}
