package io.ganstream.engine.impute;

import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.ColumnKind;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import io.ganstream.engine.train.DistinctRows;
import io.ganstream.engine.train.Learner;
import io.ganstream.engine.train.ReplayBuffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The GAIN imputer as a {@link Learner}: streaming column statistics, a {@link ReplayBuffer}, the G/D pair, and
 * a bounded ring of held-out rows it never trains on ({@code heldOutFraction} of the rows).
 *
 * <p>Measure: 20% of the observed numeric cells of the held-out rows (a fixed seeded pattern) are masked and
 * imputed; the RMSE in [0,1] units of the current min-max ranges, beside the column means' RMSE on the same
 * cells. Drift is judged on the newest {@value #RECENT_ROWS} held-out rows.
 */
public final class GainLearner implements Learner<GainModel> {
    /** Held-out rows that drift is judged on. */
    static final int RECENT_ROWS = 100;
    /** Fewest held-out rows a drift measure takes. */
    static final int MIN_RECENT = 20;
    /** Draws of {@value #RECENT_ROWS} held-out rows {@link #evaluateDraws} measures. */
    static final int DRIFT_DRAWS = 8;
    /** Patience steps per hidden unit of G. */
    static final int PATIENCE_PER_UNIT = 40;
    /** Most patience a grown net asks for. */
    static final long MAX_PATIENCE = 5_120;
    /** Share of each mini-batch drawn from recent rows after drift. */
    static final double RECENT_AFTER_DRIFT = 0.8;
    /** Buffered rows the refiner is fitted on (a uniform sample of the reservoir beyond that). */
    static final int REFINER_ROWS = 5_000;
    /** Multiply-adds one refiner fit may take (~1-2 s on one core), which bounds its rows for wider tables. */
    static final long REFINER_COST = 2_000_000_000L;
    /** Fewer rows than this within the cost: no refiner. */
    static final int REFINER_MIN_ROWS = 200;
    /**
     * Steps one fit of the trees may take (histogram additions and the split search's looks, ~5-8 s on one core),
     * which bounds its rows and leaves tables too wide for the search without trees.
     */
    static final long TREES_COST = 4_000_000_000L;
    /** Most row copies the twins are judged on: each held-out row once per numeric cell. */
    static final int ONE_CELL_ROWS = 20_000;

    private final TableSpec spec;
    private final GainConfig config;
    private final ColumnStats stats;
    private final ReplayBuffer replay;
    private GainNet net;
    /** Fitted when it last converged ({@link #complete}); blended into every snapshot after; null before. */
    private LinearRefiner refiner;
    /** {@link #scaling} of the encoder the refiner was fitted with. */
    private double[] refinerScaling;
    /** Trees fitted with the refiner, on the rows as the refined generator fills them; null when none. */
    private BoostedRefiner boosted;
    /** Reference rows kept with the refiners when their share beats the served model on held-out rows; or null. */
    private TwinRefiner twins;
    private final double[][] heldOut;
    private int heldOutSize;
    private int heldOutNext;
    private long rounds;
    private long rowsSeenBefore;
    private long added;
    /** The rows taken in this life told apart by content (held-out split, growth). */
    private final DistinctRows distinct;
    /** Rows added that were not copies of earlier ones ({@link #novelRows()}). */
    private long novel;
    private long version;
    private Encoder encoder;
    private double[] figures = {Double.NaN, Double.NaN, 0};

    public GainLearner(TableSpec spec, GainConfig config) {
        this(spec, config, null);
    }

    private GainLearner(TableSpec spec, GainConfig config, byte[] state) {
        this.spec = Objects.requireNonNull(spec);
        this.config = Objects.requireNonNull(config);
        this.distinct = new DistinctRows(config.seed() * 0x9E3779B97F4A7C15L + 1,
                (int) Math.max(GainConfig.LARGE_ROWS, config.replayCapacity()));
        this.replay = new ReplayBuffer(config.replayCapacity(), config.recentFraction(), config.seed() + 17);
        this.heldOut = new double[config.heldOutCapacity()][];
        if (state == null) {
            this.stats = new ColumnStats(spec);
            this.net = new GainNet(stats.snapshot().dims(), config);
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            this.version = in.readLong();
            this.rounds = in.readLong();
            this.stats = ColumnStats.fromBytes(spec, in.readNBytes(in.readInt()));
            this.net = GainNet.fromBytes(in.readNBytes(in.readInt()), config);
            if (in.available() > 0) {
                this.rowsSeenBefore = in.readLong();
                double g = in.readDouble();
                double d = in.readDouble();
                double r = in.readDouble();
                this.figures = new double[] {in.readDouble(), in.readDouble(), 0};
                this.restoredLosses = new double[] {g, d, r};
                this.refiner = readRefiner(in, net.dims(), spec.cellCount());
                this.boosted = refiner == null ? null : readBoosted(in, net.dims(), spec.cellCount());
                this.twins = refiner == null ? null : readTwins(in, spec.cellCount());
                this.refinerScaling = scaling(stats.snapshot());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Losses read from a checkpoint, shown until the first step after a restore. */
    private double[] restoredLosses;

    /** A learner resumed from {@link #checkpoint()} bytes; its replay and held-out buffers start empty. */
    public static GainLearner restore(TableSpec spec, GainConfig config, byte[] state) {
        return new GainLearner(spec, config, state);
    }

    /** The served model of {@link #checkpoint()} bytes, without a learner (how every instance serves). */
    public static GainModel modelFrom(TableSpec spec, GainConfig config, byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            long version = in.readLong();
            in.readLong();
            ColumnStats stats = ColumnStats.fromBytes(spec, in.readNBytes(in.readInt()));
            GainNet net = GainNet.fromBytes(in.readNBytes(in.readInt()), config);
            LinearRefiner r = null;
            BoostedRefiner b = null;
            TwinRefiner t = null;
            if (in.available() > 0) {
                in.skipNBytes(Long.BYTES + 5L * Double.BYTES); // rows seen, losses, figures
                r = readRefiner(in, net.dims(), spec.cellCount());
                b = r == null ? null : readBoosted(in, net.dims(), spec.cellCount());
                t = r == null ? null : readTwins(in, spec.cellCount());
            }
            return net.snapshot(stats.snapshot(), version).withRefiner(r).withBoosted(b).withTwins(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model a restored learner serves until it learns again, null when it never trained. */
    public GainModel restoredModel() {
        return version == 0 ? null : withRefiner(net.snapshot(encoder(), version));
    }

    /** The refiner section of a checkpoint (absent before refiners existed, or empty), when it fits the net. */
    private static LinearRefiner readRefiner(DataInputStream in, int dims, int cells) throws IOException {
        byte[] bytes = readSection(in);
        LinearRefiner r = bytes == null ? null : LinearRefiner.fromBytes(bytes);
        return r != null && r.fits(dims, cells) ? r : null;
    }

    /** The trees' section of a checkpoint (absent before trees existed, or empty), when it fits the net. */
    private static BoostedRefiner readBoosted(DataInputStream in, int dims, int cells) throws IOException {
        byte[] bytes = readSection(in);
        BoostedRefiner b = bytes == null ? null : BoostedRefiner.fromBytes(bytes);
        return b != null && b.fits(dims, cells) ? b : null;
    }

    /** The twins' section of a checkpoint (absent before twins existed, or empty), when it fits the table. */
    private static TwinRefiner readTwins(DataInputStream in, int cells) throws IOException {
        byte[] bytes = readSection(in);
        TwinRefiner t = bytes == null ? null : TwinRefiner.fromBytes(bytes);
        return t != null && t.fits(cells) ? t : null;
    }

    /** A length-prefixed section of a checkpoint; null when the checkpoint ends before it or it is empty. */
    private static byte[] readSection(DataInputStream in) throws IOException {
        if (in.available() < Integer.BYTES) {
            return null;
        }
        int length = in.readInt();
        return length <= 0 ? null : in.readNBytes(length);
    }

    /**
     * {@code model} with the refiner when it still applies: fitted for this layout, and the encoder still scales
     * every numeric cell as it did when it was fitted (its coefficients are in those units; a range that moved,
     * as new data does, would make them wrong).
     */
    private GainModel withRefiner(GainModel model) {
        return refiner != null && refiner.fits(model.encoder().dims(), spec.cellCount())
                && Arrays.equals(refinerScaling, scaling(model.encoder()))
                ? model.withRefiner(refiner).withBoosted(boosted).withTwins(twins) : model;
    }

    /** Each numeric cell's raw value at 0 and at 1 in the encoder's units (its scaling). */
    private double[] scaling(Encoder enc) {
        double[] out = new double[2 * spec.cellCount()];
        for (int cell = 0; cell < spec.cellCount(); cell++) {
            if (enc.cellCategories(cell) == 0) {
                out[2 * cell] = enc.unscale(cell, 0);
                out[2 * cell + 1] = enc.unscale(cell, 1);
            }
        }
        return out;
    }

    /**
     * Fits the {@link LinearRefiner} on the buffered rows as the converged generator fills them and picks its
     * share on the held-out rows (the lowest held-out RMSE; the generator alone on a tie).
     */
    @Override
    public GainModel complete(GainModel model) {
        if (heldOutSize == 0 || !ready()) {
            return model;
        }
        GainModel generator = model.withRefiner(null);
        int fitRows = LinearRefiner.rowsWithin(REFINER_COST, REFINER_ROWS, model.encoder());
        if (fitRows < REFINER_MIN_ROWS) {
            return model; // an image-wide table: a regression per pixel on every other pixel costs too much
        }
        LinearRefiner fitted = LinearRefiner.fit(generator, replay.rows(fitRows));
        int[] rows = allHeldOut();
        double bestRmse = heldOutQuality(generator, rows)[0];
        if (Double.isNaN(bestRmse)) {
            return model;
        }
        LinearRefiner best = fitted.withShare(0);
        for (double share : LinearRefiner.SHARES) {
            if (share == 0) {
                continue;
            }
            LinearRefiner candidate = fitted.withShare(share);
            double rmse = heldOutQuality(generator.withRefiner(candidate), rows)[0];
            if (rmse < bestRmse) {
                bestRmse = rmse;
                best = candidate;
            }
        }
        refiner = best;
        refinerScaling = scaling(generator.encoder());
        boosted = fitBoosted(generator.withRefiner(best), rows);
        GainModel served = generator.withRefiner(best).withBoosted(boosted);
        twins = keptTwins(served, rows);
        return served.withTwins(twins);
    }

    /**
     * Per cell, the share of {@code judged} whose held-out squared error falls most below {@code served}'s among
     * those whose absolute error falls by {@link TwinRefiner#EVIDENCE} standard errors or more
     * ({@link #oneCellErrors}); 0 where none does; null when no cell has a share.
     */
    private double[] evidencedShares(GainModel served, TwinRefiner judged, int[] rows) {
        HeldOutErrors base = oneCellErrors(served, rows);
        if (base == null) {
            return null;
        }
        int cells = spec.cellCount();
        double[] gain = new double[cells];
        double[] chosen = new double[cells];
        boolean any = false;
        for (double s : TwinRefiner.SHARES) {
            if (s == 0) {
                continue;
            }
            double[] z = new double[cells];
            double[] mean = TwinRefiner.pairedGain(base.each(),
                    oneCellErrors(served.withTwins(judged.withShare(s)), rows).each(), base.cellOf(), cells, z);
            for (int c = 0; c < cells; c++) {
                if (z[c] >= TwinRefiner.EVIDENCE && mean[c] > gain[c]) {
                    gain[c] = mean[c];
                    chosen[c] = s;
                    any = true;
                }
            }
        }
        return any ? chosen : null;
    }

    /**
     * Twins among the buffered rows, each numeric cell with the share {@link #evidencedShares} gives it, kept when
     * they also beat {@code served} on the numeric cells that are not flags; then with the held-out rows as
     * references too (records received as much as the others). Null when no cell gains, or when the table's values
     * reach too many rows per lookup.
     */
    private TwinRefiner keptTwins(GainModel served, int[] rows) {
        int cells = spec.cellCount();
        int fitRows = TwinRefiner.rowsWithin(cells, Integer.MAX_VALUE);
        double[][] buffered = replay.rows(Math.max(0, fitRows - heldOutSize));
        if (buffered.length < REFINER_MIN_ROWS) {
            return null;
        }
        TwinRefiner judged = TwinRefiner.of(buffered, cells);
        if (judged.lookupCost() > TwinRefiner.LOOKUP_BUDGET) {
            return null;
        }
        double[] shares = evidencedShares(served, judged, rows);
        if (shares == null
                || judgedError(served.withTwins(judged.withShares(shares)), rows) >= judgedError(served, rows)) {
            return null;
        }
        double[][] all = Arrays.copyOf(buffered, buffered.length + heldOutSize);
        System.arraycopy(heldOut, 0, all, buffered.length, heldOutSize);
        return TwinRefiner.of(all, cells).withShares(shares);
    }

    /**
     * Trees fitted on the buffered rows as {@code served} fills them, with the share of lowest held-out error on the
     * numeric cells that are not flags ({@link #flagCells}); null when no share beats {@code served} there, or the
     * table is too wide to fit.
     */
    private BoostedRefiner fitBoosted(GainModel served, int[] rows) {
        int fitRows = BoostedRefiner.rowsWithin(TREES_COST, REFINER_ROWS, served.encoder());
        if (fitRows < REFINER_MIN_ROWS) {
            return null;
        }
        BoostedRefiner fitted = BoostedRefiner.fit(served, replay.rows(fitRows));
        BoostedRefiner best = null;
        double bestError = judgedError(served, rows);
        for (double share : BoostedRefiner.SHARES) {
            if (share == 0) {
                continue;
            }
            BoostedRefiner candidate = fitted.withShare(share);
            double error = judgedError(served.withBoosted(candidate), rows);
            if (error < bestError) {
                bestError = error;
                best = candidate;
            }
        }
        return best;
    }

    /**
     * The held-out squared error the trees' share is chosen on: over the numeric cells that are not flags, or over
     * all numeric cells when every one is a flag.
     */
    double judgedError(GainModel model) {
        return judgedError(model, allHeldOut());
    }

    private double judgedError(GainModel model, int[] rows) {
        double[] errors = heldOutCellErrors(model, rows);
        boolean[] flags = flagCells(model.encoder());
        boolean allFlags = true;
        for (int c = 0; c < errors.length; c++) {
            allFlags &= flags[c] || model.encoder().cellCategories(c) > 0;
        }
        double t = 0;
        for (int c = 0; c < errors.length; c++) {
            t += allFlags || !flags[c] ? errors[c] : 0;
        }
        return t;
    }

    /**
     * Integer cells whose values span at most 1 (0/1 flags). Their held-out errors are whole units where the cells
     * that matter differ by hundredths, so a table's flags would decide the share by themselves (telco's six flags
     * kept trees from its total charges, a product of two other columns, which they halve the error of).
     */
    private boolean[] flagCells(Encoder enc) {
        boolean[] flags = new boolean[spec.cellCount()];
        for (int c = 0; c < flags.length; c++) {
            flags[c] = enc.cellCategories(c) == 0
                    && spec.column(spec.columnOfCell(c)).kind() == ColumnKind.INTEGER
                    && enc.unscale(c, 1) - enc.unscale(c, 0) <= 1;
        }
        return flags;
    }

    public GainConfig config() {
        return config;
    }

    @Override
    public void add(double[] row) {
        spec.requireRow(row);
        added++;
        encoder = null;
        long hash = distinct.hash(row);
        if (distinct.add(hash)) {
            novel++;
        }
        // by content, not by draw: every copy of a row lands on the same side of the split
        boolean hold = heldOut.length > 0 && DistinctRows.unit(hash) < config.heldOutFraction();
        if (hold) {
            stats.observeRange(row);
            heldOut[heldOutNext] = row;
            heldOutNext = (heldOutNext + 1) % heldOut.length;
            heldOutSize = Math.min(heldOutSize + 1, heldOut.length);
        } else {
            stats.observe(row);
            replay.add(row);
        }
    }

    /**
     * Grows an auto-sized net once the distinct rows taken in this life call for a wider one
     * ({@link GainConfig#hiddenFor(int, long)}): a table replayed five times is still its own size.
     */
    @Override
    public boolean adapt() {
        int target = config.hiddenFor(net.dims(), distinct.count());
        if (target <= net.hidden()) {
            return false;
        }
        net = new GainNet(net.dims(), config, target);
        return true;
    }

    /**
     * {@value #PATIENCE_PER_UNIT} steps per hidden unit, at most {@value #MAX_PATIENCE}: the small net keeps the
     * trainer's 1,500, a grown one (128 or 256 units) waits 5,120 steps for progress.
     */
    @Override
    public long patienceSteps(long configured) {
        return Math.max(configured, Math.min(MAX_PATIENCE, (long) PATIENCE_PER_UNIT * net.hidden()));
    }

    @Override
    public boolean ready() {
        return replay.seen() > 0;
    }

    @Override
    public void step(int steps) {
        if (!ready()) {
            return;
        }
        Encoder enc = encoder();
        double[][] batch = new double[config.batchSize()][];
        for (int s = 0; s < steps; s++) {
            replay.sample(batch);
            net.trainStep(batch, enc);
        }
        restoredLosses = null;
    }

    @Override
    public GainModel snapshot() {
        rounds++;
        version++;
        return withRefiner(net.snapshot(encoder(), version));
    }

    /**
     * The windowed schedule in one call, for evaluation programs and tests: adds the rows, trains
     * {@code stepsPerWindow} steps, returns the next version measured on the held-out rows.
     */
    public GainModel trainWindow(List<double[]> rows) {
        for (double[] r : rows) {
            add(r);
        }
        step(config.stepsPerWindow());
        GainModel model = snapshot();
        evaluate(model);
        return model;
    }

    @Override
    public double evaluate(GainModel model) {
        figures = heldOutQuality(model, allHeldOut());
        return figures[0];
    }

    @Override
    public double evaluateRecent(GainModel model) {
        int n = recentRows();
        return n == 0 ? Double.NaN : heldOutQuality(model, newestHeldOut(0, n))[0];
    }

    @Override
    public double evaluatePrevious(GainModel model) {
        int n = recentRows();
        int m = Math.min(n, heldOutSize - n);
        return n == 0 || m < MIN_RECENT ? Double.NaN : heldOutQuality(model, newestHeldOut(n, m))[0];
    }

    /** Ring indices of {@code count} held-out rows, newest first, after skipping the {@code skip} newest. */
    private int[] newestHeldOut(int skip, int count) {
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) {
            rows[i] = Math.floorMod(heldOutNext - 1 - skip - i, heldOut.length);
        }
        return rows;
    }

    @Override
    public double[] evaluateDraws(GainModel model) {
        int n = recentRows();
        if (n == 0) {
            return new double[] {Double.NaN};
        }
        // the held rows are heldOut[0..heldOutSize) whether the ring is full or not
        Random r = new Random(config.seed() * 31 + heldOutSize);
        double[] out = new double[DRIFT_DRAWS];
        for (int d = 0; d < DRIFT_DRAWS; d++) {
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = r.nextInt(heldOutSize);
            }
            out[d] = heldOutQuality(model, rows)[0];
        }
        return out;
    }

    /** Held-out rows a drift measure takes: up to {@value #RECENT_ROWS}, 0 when fewer than {@value #MIN_RECENT}. */
    private int recentRows() {
        int n = Math.min(RECENT_ROWS, heldOutSize);
        return n < MIN_RECENT ? 0 : n;
    }

    @Override
    public void forgetOlderRows() {
        replay.dropSetAside();
    }

    /**
     * On: mini-batches mostly from the recent ring, the rest from a reservoir of the rows that arrive from now on
     * (the older ones set aside, so that a batch is nearly all new rows); off: the configured share, and the older
     * rows back unless {@link #forgetOlderRows()} dropped them.
     */
    @Override
    public void favourRecent(boolean on) {
        replay.favourRecent(on ? RECENT_AFTER_DRIFT : Double.NaN);
        if (on) {
            replay.setAsideReservoir();
            refiner = null; // fitted on the old regime: the generator alone until it converges on the new one
            boosted = null;
            twins = null;
        } else {
            replay.restoreReservoir();
        }
    }

    /** Indices of every held-out row held now. */
    private int[] allHeldOut() {
        int[] rows = new int[heldOutSize];
        for (int i = 0; i < heldOutSize; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** {held-out RMSE of the model, of the column means, masked cells}. */
    @Override
    public double[] figures() {
        return figures;
    }

    @Override
    public double[] losses() {
        if (restoredLosses != null) {
            return restoredLosses;
        }
        return new double[] {net.lastGeneratorLoss(), net.lastDiscriminatorLoss(), net.lastReconstructionLoss()};
    }

    @Override
    public int batchSize() {
        return config.batchSize();
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public long steps() {
        return net.steps();
    }

    @Override
    public long novelRows() {
        return novel;
    }

    @Override
    public long rowsSeen() {
        return rowsSeenBefore + added;
    }

    @Override
    public int rowsInBuffer() {
        return (int) Math.min(replay.seen(), replay.size());
    }

    @Override
    public int heldOutRows() {
        return heldOutSize;
    }

    /** Version, rounds, encoder statistics, G/D weights and Adam state, rows seen, last losses and figures. */
    @Override
    public byte[] checkpoint() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.writeLong(version);
            out.writeLong(rounds);
            byte[] s = stats.toBytes();
            byte[] n = net.toBytes();
            out.writeInt(s.length);
            out.write(s);
            out.writeInt(n.length);
            out.write(n);
            double[] l = losses();
            out.writeLong(rowsSeen());
            out.writeDouble(l[0]);
            out.writeDouble(l[1]);
            out.writeDouble(l[2]);
            out.writeDouble(figures[0]);
            out.writeDouble(figures[1]);
            if (refiner != null) { // absent until the first convergence: the state is then what it was before
                byte[] r = refiner.toBytes();
                out.writeInt(r.length);
                out.write(r);
                byte[] t = boosted == null ? new byte[0] : boosted.toBytes();
                out.writeInt(t.length);
                out.write(t);
                byte[] tw = twins == null ? new byte[0] : twins.toBytes();
                out.writeInt(tw.length);
                out.write(tw);
            }
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Encoder encoder() {
        if (encoder == null) {
            encoder = stats.snapshot();
        }
        return encoder;
    }

    /** {model RMSE, mean RMSE, cells} on a fixed 20% mask of the given held-out rows' observed numeric cells. */
    private double[] heldOutQuality(GainModel model, int[] which) {
        HeldOutErrors e = heldOutErrors(model, which);
        if (e == null) {
            return new double[] {Double.NaN, Double.NaN, 0};
        }
        double se = 0;
        for (double v : e.model) {
            se += v;
        }
        return new double[] {Math.sqrt(se / e.cells), Math.sqrt(e.mean / e.cells), e.cells};
    }

    /** The model's squared error per cell on {@link #heldOutQuality}'s masked cells (all 0 when none). */
    private double[] heldOutCellErrors(GainModel model, int[] which) {
        HeldOutErrors e = heldOutErrors(model, which);
        return e == null ? new double[spec.cellCount()] : e.model;
    }

    /**
     * Squared errors on the masked held-out cells: summed per cell ({@code model}), of the column means summed
     * ({@code mean}), and the errors one by one in masking order ({@code each}, signed, with {@code cellOf} its
     * cell), the same cells in the same order for every model.
     */
    private record HeldOutErrors(double[] model, double mean, int cells, double[] each, int[] cellOf) {
    }

    /**
     * Held-out errors with each numeric cell of each held-out row masked in a copy of its own (other numeric cells
     * masked as {@link #heldOutErrors} masks them), so that every cell is judged on as many rows as are held out
     * rather than on the fifth the shared mask takes; rows taken in order up to {@link #ONE_CELL_ROWS} copies.
     */
    private HeldOutErrors oneCellErrors(GainModel model, int[] which) {
        Encoder enc = encoder();
        int numeric = enc.numericCells();
        int take = Math.min(which.length, ONE_CELL_ROWS / Math.max(1, numeric));
        Random mr = new Random(config.seed() ^ 0x2545F4914F6CDD1DL);
        double[][] rows = new double[take * numeric][];
        int[] truthOf = new int[rows.length];
        int[] cellOf = new int[rows.length];
        int n = 0;
        for (int i = 0; i < take; i++) {
            double[] truth = heldOut[which[i]];
            for (int cell = 0; cell < truth.length; cell++) {
                if (enc.cellCategories(cell) > 0 || Double.isNaN(truth[cell])) {
                    continue;
                }
                double[] row = truth.clone();
                row[cell] = Double.NaN;
                for (int other = 0; other < row.length; other++) {
                    if (other != cell && enc.cellCategories(other) == 0 && mr.nextDouble() < 0.2) {
                        row[other] = Double.NaN;
                    }
                }
                rows[n] = row;
                truthOf[n] = which[i];
                cellOf[n++] = cell;
            }
        }
        if (n == 0) {
            return null;
        }
        double[][] filled = Arrays.copyOf(rows, n);
        model.imputeInPlace(filled);
        int[] rowOf = new int[n];
        Arrays.setAll(rowOf, t -> t);
        return scored(filled, rowOf, Arrays.copyOf(truthOf, n), Arrays.copyOf(cellOf, n));
    }

    private HeldOutErrors heldOutErrors(GainModel model, int[] which) {
        if (which.length == 0) {
            return null;
        }
        Encoder enc = encoder();
        Random mr = new Random(config.seed() ^ 0x5DEECE66DL);
        double[][] rows = new double[which.length][];
        int[] rowOf = new int[which.length * spec.cellCount()];
        int[] truthOf = new int[rowOf.length];
        int[] cellOf = new int[rowOf.length];
        int cells = 0;
        for (int i = 0; i < which.length; i++) {
            double[] row = heldOut[which[i]].clone();
            for (int cell = 0; cell < row.length; cell++) {
                boolean pick = mr.nextDouble() < 0.2;
                if (pick && enc.cellCategories(cell) == 0 && !Double.isNaN(row[cell])) {
                    row[cell] = Double.NaN;
                    rowOf[cells] = i;
                    truthOf[cells] = which[i];
                    cellOf[cells++] = cell;
                }
            }
            rows[i] = row;
        }
        if (cells == 0) {
            return null;
        }
        model.imputeInPlace(rows);
        return scored(rows, Arrays.copyOf(rowOf, cells), Arrays.copyOf(truthOf, cells), Arrays.copyOf(cellOf, cells));
    }

    /**
     * The errors of the masked cells {@code cellOf[k]} of {@code filled[rowOf[k]]} against held-out row
     * {@code truthOf[k]}, in that order.
     */
    private HeldOutErrors scored(double[][] filled, int[] rowOf, int[] truthOf, int[] cellOf) {
        Encoder enc = encoder();
        double[] se = new double[spec.cellCount()];
        double seMean = 0;
        double[] each = new double[cellOf.length];
        for (int k = 0; k < cellOf.length; k++) {
            int cell = cellOf[k];
            double truth = enc.scale(cell, heldOut[truthOf[k]][cell]);
            double e = enc.scale(cell, filled[rowOf[k]][cell]) - truth;
            double em = enc.scale(cell, enc.meanValue(cell)) - truth;
            se[cell] += e * e;
            seMean += em * em;
            each[k] = e;
        }
        return new HeldOutErrors(se, seMean, cellOf.length, each, cellOf);
    }
}
