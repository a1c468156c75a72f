package io.ganstream.engine.impute;

/**
 * Training configuration of one dataset's GAIN imputer.
 *
 * @param seed            seeds weight init, mini-batch sampling, masks and hints (same seed + same windows
 *                        = same weights)
 * @param batchSize       rows per mini-batch
 * @param stepsPerWindow  mini-batch steps (one D + one G update each) trained per accepted window
 * @param replayCapacity  rows kept by the replay buffer (reservoir over everything seen + recent rows)
 * @param hidden          hidden width of G (and of D unless {@code discHidden} says otherwise); 0 = auto
 *                        ({@code clamp(2048 / encodedDims, 32, 64)}: 64 up to 32 encoded dims, then narrower so
 *                        that inference keeps >= 300k records/s)
 * @param alpha           weight of the reconstruction loss against the adversarial loss
 * @param hintRate        probability that a mask entry is revealed to D through the hint
 * @param learningRate    Adam learning rate (G and D)
 * @param queueCapacity   windows waiting for the trainer thread before {@code offerWindow} drops
 * @param denoiseRate     fraction of observed cells additionally hidden from G in every training batch
 *                        (their true values are reconstruction targets); 0 = plain GAIN
 * @param denoiseWeight   reconstruction weight of those hidden-but-known cells (shown cells weigh 1)
 * @param heldOutFraction fraction of each window's rows kept aside (never trained on) for quality stats
 * @param heldOutCapacity max held-out rows kept (most recent)
 * @param recentFraction  share of each mini-batch drawn from the recent-rows part of the replay buffer
 * @param lrHalfLife      steps after which the learning rate is halved ({@code lr / (1 + t / h)}); 0 = constant
 * @param emaDecay        published generator = exponential moving average of G weights with this decay
 *                        per step (e.g. 0.99); 0 = publish the raw weights
 * @param hiddenLayers    hidden layers of G (2 = GAIN's {@code 2d -> h -> h -> d}); D always has 2
 * @param discHidden      hidden width of D; 0 = the same as G's
 * @param categoricalFirst when a row misses categorical and numeric cells, fill the categorical ones first and
 *                        then the numeric ones with those decisions given (two generator passes), rather than
 *                        all from one pass that blends the categories
 */
public record GainConfig(long seed, int batchSize, int stepsPerWindow, int replayCapacity, int hidden,
                         double alpha, double hintRate, double learningRate, int queueCapacity,
                         double denoiseRate, double denoiseWeight, double heldOutFraction,
                         int heldOutCapacity, double recentFraction, int lrHalfLife,
                         double emaDecay, int hiddenLayers, int discHidden,
                         boolean categoricalFirst) {

    public GainConfig {
        if (batchSize < 1 || stepsPerWindow < 0 || replayCapacity < 2 || hidden < 0 || queueCapacity < 1
                || heldOutCapacity < 0 || hiddenLayers < 1 || discHidden < 0) {
            throw new IllegalArgumentException("bad GainConfig " + this);
        }
        if (hintRate < 0 || hintRate > 1 || denoiseRate < 0 || denoiseRate >= 1 || heldOutFraction < 0
                || heldOutFraction >= 1 || emaDecay < 0 || emaDecay >= 1 || recentFraction < 0 || recentFraction > 1 || learningRate <= 0) {
            throw new IllegalArgumentException("bad GainConfig " + this);
        }
    }

    /** Defaults tuned on cars / penguins / seattle-weather (README, "The GAN imputer"). */
    public static GainConfig defaults() {
        return new GainConfig(42L, 128, 100, 10_000, 0, 300.0, 0.9, 2e-3, 4,
                0.3, 1.0, 0.1, 1000, 0.25, 0, 0.99, 2, 0, false);
    }

    public GainConfig withSeed(long s) {
        return new GainConfig(s, batchSize, stepsPerWindow, replayCapacity, hidden, alpha, hintRate, learningRate,
                queueCapacity, denoiseRate, denoiseWeight, heldOutFraction, heldOutCapacity, recentFraction,
                lrHalfLife, emaDecay, hiddenLayers, discHidden, categoricalFirst);
    }

    public GainConfig withSteps(int batch, int steps) {
        return new GainConfig(seed, batch, steps, replayCapacity, hidden, alpha, hintRate, learningRate,
                queueCapacity, denoiseRate, denoiseWeight, heldOutFraction, heldOutCapacity, recentFraction,
                lrHalfLife, emaDecay, hiddenLayers, discHidden, categoricalFirst);
    }

    public GainConfig withQueueCapacity(int q) {
        return new GainConfig(seed, batchSize, stepsPerWindow, replayCapacity, hidden, alpha, hintRate,
                learningRate, q, denoiseRate, denoiseWeight, heldOutFraction, heldOutCapacity, recentFraction,
                lrHalfLife, emaDecay, hiddenLayers, discHidden, categoricalFirst);
    }

    public GainConfig withNetwork(int h, double a, double hint, double lr, int halfLife) {
        return new GainConfig(seed, batchSize, stepsPerWindow, replayCapacity, h, a, hint, lr, queueCapacity,
                denoiseRate, denoiseWeight, heldOutFraction, heldOutCapacity, recentFraction, halfLife, emaDecay,
                hiddenLayers, discHidden, categoricalFirst);
    }

    public GainConfig withDenoise(double rate, double weight) {
        return new GainConfig(seed, batchSize, stepsPerWindow, replayCapacity, hidden, alpha, hintRate,
                learningRate, queueCapacity, rate, weight, heldOutFraction, heldOutCapacity, recentFraction,
                lrHalfLife, emaDecay, hiddenLayers, discHidden, categoricalFirst);
    }

    public GainConfig withHeldOut(double fraction, int capacity) {
        return new GainConfig(seed, batchSize, stepsPerWindow, replayCapacity, hidden, alpha, hintRate,
                learningRate, queueCapacity, denoiseRate, denoiseWeight, fraction, capacity, recentFraction,
                lrHalfLife, emaDecay, hiddenLayers, discHidden, categoricalFirst);
    }

    public GainConfig withReplay(int capacity, double recent) {
        return new GainConfig(seed, batchSize, stepsPerWindow, capacity, hidden, alpha, hintRate,
                learningRate, queueCapacity, denoiseRate, denoiseWeight, heldOutFraction, heldOutCapacity, recent,
                lrHalfLife, emaDecay, hiddenLayers, discHidden, categoricalFirst);
    }

    public GainConfig withEma(double decay) {
        return new GainConfig(seed, batchSize, stepsPerWindow, replayCapacity, hidden, alpha, hintRate,
                learningRate, queueCapacity, denoiseRate, denoiseWeight, heldOutFraction, heldOutCapacity,
                recentFraction, lrHalfLife, decay, hiddenLayers, discHidden, categoricalFirst);
    }

    /** G with {@code layers} hidden layers and D {@code dHidden} wide (0 = as wide as G). */
    public GainConfig withArchitecture(int layers, int dHidden) {
        return new GainConfig(seed, batchSize, stepsPerWindow, replayCapacity, hidden, alpha, hintRate,
                learningRate, queueCapacity, denoiseRate, denoiseWeight, heldOutFraction, heldOutCapacity,
                recentFraction, lrHalfLife, emaDecay, layers, dHidden, categoricalFirst);
    }

    /** The same with {@link #categoricalFirst()} set to {@code first}. */
    public GainConfig withCategoricalFirst(boolean first) {
        return new GainConfig(seed, batchSize, stepsPerWindow, replayCapacity, hidden, alpha, hintRate,
                learningRate, queueCapacity, denoiseRate, denoiseWeight, heldOutFraction, heldOutCapacity,
                recentFraction, lrHalfLife, emaDecay, hiddenLayers, discHidden, first);
    }

    /** D's hidden width for {@code dims} encoded dims. */
    public int discHiddenFor(int dims) {
        return discHidden > 0 ? discHidden : hiddenFor(dims);
    }

    /** Rows from which an auto-sized net grows to {@link #GROWN_HIDDEN} units. */
    public static final long GROW_ROWS = 1_000;
    /** Rows from which an auto-sized net grows to {@link #LARGE_HIDDEN} units. */
    public static final long LARGE_ROWS = 5_000;
    /** The width of a net that has seen rows but fewer than {@link #GROW_ROWS}, whatever its encoded dims. */
    public static final int SMALL_HIDDEN = 64;
    public static final int GROWN_HIDDEN = 128;
    public static final int LARGE_HIDDEN = 256;

    /**
     * The hidden width for {@code dims} encoded dims once {@code rows} rows have been seen: the configured width
     * when set; else {@link #SMALL_HIDDEN} below {@link #GROW_ROWS} rows (a few hundred rows cannot support a
     * larger net: it overfits; nor a narrower one for wide tables: sonar's 60 columns at 34 units did worse),
     * {@link #GROWN_HIDDEN} from there, {@link #LARGE_HIDDEN} from {@link #LARGE_ROWS}.
     * Measured on the public suite: docs/benchmarks.md, "Capacity".
     */
    public int hiddenFor(int dims, long rows) {
        if (hidden > 0) {
            return hidden;
        }
        int auto = hiddenFor(dims);
        return rows >= LARGE_ROWS ? Math.max(auto, LARGE_HIDDEN) : rows >= GROW_ROWS ? Math.max(auto, GROWN_HIDDEN)
                : rows > 0 ? Math.max(auto, SMALL_HIDDEN) : auto;
    }

    /** The hidden width used for {@code dims} encoded dims before any row is seen. */
    public int hiddenFor(int dims) {
        if (hidden > 0) {
            return hidden;
        }
        // inference cost ~ 2*dims*h + h*h: cap the first layer at ~4096 weights (64 wide up to 32 dims,
        // 48 at 42 dims, never below 32)
        return Math.max(32, Math.min(64, 2048 / Math.max(1, dims)));
    }
}
