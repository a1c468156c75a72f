package io.ganstream.engine.impute;

import io.ganstream.engine.nn.Dl4j;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;

/**
 * Sizes for datasets with many cells (an image column: 784 pixels + a label). The defaults were tuned on
 * tables of a few columns: their auto hidden width shrinks as the input grows (32 units for 784 pixels, too
 * few to carry a digit's shape) and their replay buffers hold 20,000 rows (125 MB of doubles at 785 cells).
 * Here a wide dataset gets the widest hidden layer (up to 256) whose imputer checkpoint still fits one Kafka
 * message of the model topic, and replay buffers capped by bytes; one with an image column also a deeper G and
 * a narrower D.
 */
public final class WideInputs {
    /** Widest GAIN hidden layer for wide datasets (the seed example's 128 for 784 outputs, doubled: G sees x, m). */
    static final int GAIN_HIDDEN = 256;
    /**
     * What the imputer's state may take in a checkpoint: the model topic's 16 MiB message limit less 2 MiB for
     * the rest of the record (column statistics, header, key); a larger one is never written, so no other
     * instance could serve the model (docs/models.md, "Why the wide settings").
     */
    static final long CHECKPOINT_BYTES = 14L << 20;
    /**
     * Hidden layers of the imputer's G for datasets with an image column (tables keep GAIN's 2): on digits the
     * dense G underfits, and depth helped where more passes or other losses did not (docs/models.md).
     */
    static final int IMAGE_G_LAYERS = 3;
    /**
     * D's hidden width for datasets with an image column: with the reconstruction weighing alpha = 300, D barely
     * steers G on images, so a narrow D costs nothing and leaves G the room within {@link #CHECKPOINT_BYTES}.
     */
    static final int IMAGE_D_HIDDEN = 64;
    /*
     * Datasets with an image column also impute categorical-first (GainConfig.categoricalFirst): one pass fills a
     * digit missing its centre and its label as a blend of the digits it might be; given the label G chose first,
     * it draws that digit.
     */

    /**
     * Reconstruction weight of the cells that training hides from the generator (scattered drops and
     * {@link BlockDrops}' holes) in datasets with an image column, where the defaults weigh them 1 like the
     * shown cells: a shown pixel only has to be copied to the output, and that copying would take most of the
     * loss.
     */
    static final double IMAGE_DENOISE_WEIGHT = 8.0;

    private WideInputs() {
    }

    /**
     * The widest hidden layer (a multiple of 16, 32..256) whose GAIN state fits {@link #CHECKPOINT_BYTES}: G is
     * {@code 2d -> h (x layers) -> d} and D {@code 2d -> hd -> hd -> d} (d encoded dims: one per cell, one per
     * category; hd = {@code discHidden}, or h when 0); a checkpoint holds 4 values per parameter of G (weights,
     * Adam's two moments, the EMA) and 3 per parameter of D, each as wide as the nets' data type (4 bytes for the
     * default FLOAT since checkpoint format 3).
     */
    static int checkpointFitHidden(TableSpec spec, int layers, int discHidden) {
        return checkpointFitHidden(spec, layers, discHidden, Dl4j.bytesPerValue());
    }

    static int checkpointFitHidden(TableSpec spec, int layers, int discHidden, int bytesPerValue) {
        long d = 0;
        for (Column c : spec.columns()) {
            d += c.isCategorical() ? c.categories().size() : c.width();
        }
        int best = 32;
        for (int h = 32; h <= GAIN_HIDDEN; h += 16) {
            long hd = discHidden > 0 ? discHidden : h;
            long g = mlpParams(d, h, layers);
            long dn = mlpParams(d, hd, 2);
            if ((long) bytesPerValue * (4 * g + 3 * dn) <= CHECKPOINT_BYTES) {
                best = h;
            }
        }
        return best;
    }

    /** Parameters of a {@code 2d -> h (x layers) -> d} dense net. */
    static long mlpParams(long d, long h, int layers) {
        return 2 * d * h + (layers - 1) * h * h + h * d + layers * h + d;
    }

    /**
     * The imputer's configuration for {@code spec}: unchanged unless the dataset is wide; a wide one with an image
     * column also gets a deeper G and a narrower D ({@link #IMAGE_G_LAYERS}, {@link #IMAGE_D_HIDDEN}), weighs
     * its hidden training cells {@link #IMAGE_DENOISE_WEIGHT} and imputes categorical cells first.
     */
    public static GainConfig gain(GainConfig base, TableSpec spec) {
        if (!spec.isWide()) {
            return base;
        }
        boolean image = spec.columns().stream().anyMatch(Column::isImage);
        GainConfig shaped = image ? base.withArchitecture(IMAGE_G_LAYERS, IMAGE_D_HIDDEN) : base;
        int hidden = base.hidden() > 0 ? base.hidden()
                : checkpointFitHidden(spec, shaped.hiddenLayers(), shaped.discHidden());
        GainConfig wide = shaped.withNetwork(hidden, base.alpha(), base.hintRate(), base.learningRate(),
                base.lrHalfLife()).withReplay(spec.replayRows(base.replayCapacity()), base.recentFraction());
        return image ? wide.withDenoise(wide.denoiseRate(), IMAGE_DENOISE_WEIGHT).withCategoricalFirst(true) : wide;
    }
}
