package io.ganstream.engine.impute;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Rectangular training holes for image columns. GAIN's denoising drop hides scattered cells (MCAR), so an
 * imputer trained only on it learns to interpolate between neighbouring pixels but never to fill a hole whose
 * neighbours are all missing too (a scratched or occluded patch). Here each training row, with probability {@link #ROW_RATE}, additionally
 * hides from the generator one rectangle of every image column, sides drawn uniformly in
 * {@link #MIN_SIDE}..{@link #MAX_SIDE} pixels (clipped to the image) at a uniform position; the hidden pixels
 * stay reconstruction targets, as the denoising drop's do. A spec without image columns draws nothing, so
 * tabular training consumes the same random numbers as before and stays bit-identical.
 */
final class BlockDrops {
    /**
     * Share of training rows that get a hole in each image column: high enough for occluded patches to be
     * learnt, not so high that the scattered case goes untaught (docs/models.md has the measurements).
     */
    static final double ROW_RATE = 0.8;
    /** Smallest hole side (pixels): smaller holes are what the scattered drop already teaches. */
    static final int MIN_SIDE = 4;
    /** Largest hole side (pixels): covers a 10×10 occlusion with margin on 28×28 digits. */
    static final int MAX_SIDE = 16;

    private final TableSpec spec;
    private final int[] firstDim;
    private final int[] heights;
    private final int[] widths;

    private BlockDrops(TableSpec spec, int[] firstDim, int[] heights, int[] widths) {
        this.spec = spec;
        this.firstDim = firstDim;
        this.heights = heights;
        this.widths = widths;
    }

    /** The holes for {@code enc}'s image columns (none for a spec without images). */
    static BlockDrops of(Encoder enc) {
        TableSpec spec = enc.spec();
        List<Integer> cols = new ArrayList<>();
        for (int i = 0; i < spec.columnCount(); i++) {
            if (spec.column(i).isImage()) {
                cols.add(i);
            }
        }
        if (cols.isEmpty()) {
            return new BlockDrops(spec, new int[0], new int[0], new int[0]);
        }
        int[] first = new int[cols.size()];
        int[] h = new int[cols.size()];
        int[] w = new int[cols.size()];
        for (int k = 0; k < cols.size(); k++) {
            Column c = spec.column(cols.get(k));
            // a vector's cells are numeric, one encoded dim each and consecutive: pixel (y, x) is first + y*w + x
            first[k] = enc.cellDim(spec.offset(cols.get(k)));
            h[k] = c.imageHeight();
            w[k] = c.imageWidth();
        }
        return new BlockDrops(spec, first, h, w);
    }

    /** Whether these holes were drawn up for {@code other} (the encoder's spec of the current batch). */
    boolean isFor(TableSpec other) {
        return spec == other;
    }

    /**
     * Hides (sets to 0) one random rectangle of each image column in {@code shown}, the mask shown to G, for
     * the row whose encoded dims start at {@code base}; with probability {@link #ROW_RATE} per column, on top of
     * the scattered drop, which hides other pixels of the same row too (showing the rest of a holed image whole,
     * as a centre occlusion does at serving time, did no better: docs/models.md).
     */
    void drop(RandomGenerator rng, double[] shown, int base) {
        for (int k = 0; k < firstDim.length; k++) {
            if (rng.nextDouble() >= ROW_RATE) {
                continue;
            }
            int h = heights[k];
            int w = widths[k];
            int bh = Math.min(h, MIN_SIDE + rng.nextInt(MAX_SIDE - MIN_SIDE + 1));
            int bw = Math.min(w, MIN_SIDE + rng.nextInt(MAX_SIDE - MIN_SIDE + 1));
            int top = rng.nextInt(h - bh + 1);
            int left = rng.nextInt(w - bw + 1);
            for (int y = top; y < top + bh; y++) {
                int row = base + firstDim[k] + y * w;
                for (int x = left; x < left + bw; x++) {
                    shown[row + x] = 0.0;
                }
            }
        }
    }
}
