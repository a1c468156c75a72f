package io.ganstream.engine;

/**
 * Sizes for datasets with many cells (an image column: 784 pixels + a label). The defaults were tuned on
 * tables of a few columns: their auto hidden width shrinks as the input grows (32 units for 784 pixels, too
 * few to carry a digit's shape) and their replay buffers hold 20,000 rows (125 MB of doubles at 785 cells).
 * Here a wide dataset gets a fixed hidden width and replay buffers capped by bytes.
 */
public final class WideInputs {
    /** A dataset with more cells than this is wide. */
    public static final int WIDE_CELLS = 128;
    /** What one replay buffer of a wide dataset may hold. */
    static final long REPLAY_BYTES = 64L << 20;
    /** GAIN hidden width for wide datasets (the seed example's 128 for 784 outputs, doubled: G sees x and m). */
    static final int GAIN_HIDDEN = 256;

    private WideInputs() {
    }

    public static boolean isWide(TableSpec spec) {
        return spec.cellCount() > WIDE_CELLS;
    }

    /** At most {@code requested} rows, fewer when they would not fit {@link #REPLAY_BYTES} (never below 1,000). */
    public static int replayRows(TableSpec spec, int requested) {
        if (!isWide(spec)) {
            return requested;
        }
        long fit = REPLAY_BYTES / (8L * spec.cellCount());
        return (int) Math.min(requested, Math.max(1000, fit));
    }

    /** The imputer's configuration for {@code spec}: unchanged unless the dataset is wide. */
    public static GainConfig gain(GainConfig base, TableSpec spec) {
        if (!isWide(spec)) {
            return base;
        }
        int hidden = base.hidden() > 0 ? base.hidden() : GAIN_HIDDEN;
        return base.withNetwork(hidden, base.alpha(), base.hintRate(), base.learningRate(), base.lrHalfLife())
                .withReplay(replayRows(spec, base.replayCapacity()), base.recentFraction());
    }
}
