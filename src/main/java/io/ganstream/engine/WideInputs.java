package io.ganstream.engine;

/**
 * Sizes for datasets with many cells (an image column: 784 pixels + a label). The defaults were tuned on
 * tables of a few columns: their auto hidden width shrinks as the input grows (32 units for 784 pixels, too
 * few to carry a digit's shape) and their replay buffers hold 20,000 rows (125 MB of doubles at 785 cells).
 * Here a wide dataset gets the widest hidden layer (up to 256) whose imputer checkpoint still fits one Kafka
 * message of the model topic, and replay buffers capped by bytes.
 */
public final class WideInputs {
    /** A dataset with more cells than this is wide. */
    public static final int WIDE_CELLS = 128;
    /** What one replay buffer of a wide dataset may hold. */
    static final long REPLAY_BYTES = 64L << 20;
    /** Widest GAIN hidden layer for wide datasets (the seed example's 128 for 784 outputs, doubled: G sees x, m). */
    static final int GAIN_HIDDEN = 256;
    /**
     * What the imputer's checkpoint may take: three quarters of the model topic's 16 MB message limit. At 256
     * hidden units MNIST's checkpoint was 37.9 MB of doubles (19 MB as floats) and never got written
     * (RecordTooLargeException), so no other instance could serve the model and the demo waited for it.
     */
    static final long CHECKPOINT_BYTES = 12L << 20;

    /**
     * Reconstruction weight of the cells that training hides from the generator (scattered drops and
     * {@link BlockDrops}' holes) in datasets with an image column, where the defaults weigh them 1 like the
     * shown cells. A shown pixel only has to be copied to the output, and with 785 outputs through a 160-unit
     * layer that copying took most of the loss: on MNIST (2 passes, holes in 80% of rows) the centre 10×10
     * RMSE was 0.319 at weight 4, 0.316 at 8, 0.315 at 32, and the 20% MCAR one 0.123, 0.125, 0.127.
     */
    static final double IMAGE_DENOISE_WEIGHT = 8.0;

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

    /**
     * The widest hidden layer (a multiple of 16, 32..256) whose GAIN checkpoint fits {@link #CHECKPOINT_BYTES}:
     * G and D are {@code 2d -> h -> h -> d} (d encoded dims: one per cell, one per category), and a checkpoint
     * holds 7 values per parameter of one net (G, D, Adam's two moments of each, the EMA of G), each as wide as
     * the nets' data type (4 bytes for the default FLOAT since checkpoint format 3: 160 units for MNIST, where
     * format 2's doubles allowed 80).
     */
    static int checkpointFitHidden(TableSpec spec) {
        return checkpointFitHidden(spec, Dl4j.DTYPE.width());
    }

    static int checkpointFitHidden(TableSpec spec, int bytesPerValue) {
        long d = 0;
        for (Column c : spec.columns()) {
            d += c.isCategorical() ? c.categories().size() : c.width();
        }
        int best = 32;
        for (int h = 32; h <= GAIN_HIDDEN; h += 16) {
            long params = 3 * d * h + (long) h * h + 2L * h + d;
            if (7L * bytesPerValue * params <= CHECKPOINT_BYTES) {
                best = h;
            }
        }
        return best;
    }

    /**
     * The imputer's configuration for {@code spec}: unchanged unless the dataset is wide; a wide one with an image
     * column also weighs its hidden training cells {@link #IMAGE_DENOISE_WEIGHT}.
     */
    public static GainConfig gain(GainConfig base, TableSpec spec) {
        if (!isWide(spec)) {
            return base;
        }
        int hidden = base.hidden() > 0 ? base.hidden() : checkpointFitHidden(spec);
        GainConfig wide = base.withNetwork(hidden, base.alpha(), base.hintRate(), base.learningRate(),
                base.lrHalfLife()).withReplay(replayRows(spec, base.replayCapacity()), base.recentFraction());
        boolean image = spec.columns().stream().anyMatch(Column::isImage);
        return image ? wide.withDenoise(wide.denoiseRate(), IMAGE_DENOISE_WEIGHT) : wide;
    }
}
