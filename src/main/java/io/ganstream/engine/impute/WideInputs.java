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
     * the rest of the record (column statistics, header, key). At 256 hidden units with a D as wide as G,
     * MNIST's checkpoint was 37.9 MB of doubles (19 MB as floats) and never got written
     * (RecordTooLargeException), so no other instance could serve the model and the demo waited for it.
     */
    static final long CHECKPOINT_BYTES = 14L << 20;
    /**
     * Hidden layers of the imputer's G for datasets with an image column (tables keep GAIN's 2). On MNIST the
     * dense G underfits (centre 10×10 RMSE on trained digits 0.294 against 0.306 on test digits, hidden 256, 2
     * passes): a third 160-wide layer took the centre RMSE from 0.317 to 0.312 where more passes or another
     * loss (cross-entropy on pixels: 0.318, fewer scattered drops: 0.319) did not.
     */
    static final int IMAGE_G_LAYERS = 3;
    /**
     * D's hidden width for datasets with an image column. With the reconstruction weighing alpha = 300, D barely
     * steers G on images (alpha 3,000: centre RMSE 0.317 as at 300); at 64 units instead of 256 the centre RMSE
     * was 0.307 against 0.306, and D's share of the checkpoint drops from 43% to 14%, which is what lets G be
     * 256 wide and three layers deep within {@link #CHECKPOINT_BYTES}.
     */
    static final int IMAGE_D_HIDDEN = 64;
    /*
     * Datasets with an image column also impute categorical-first (GainConfig.categoricalFirst): a digit missing
     * its centre and its label was filled as a blend of the digits it might be; given the label G itself chose
     * first (right for 90.1% of MNIST's centre-masked test digits), the centre RMSE went from 0.297 to 0.295 and
     * the classifier recognized 89.5% of the filled digits instead of 87.6%.
     */

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
