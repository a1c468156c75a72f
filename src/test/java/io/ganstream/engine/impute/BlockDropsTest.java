package io.ganstream.engine.impute;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnKind;
import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link BlockDrops}: rectangles inside image columns only, nothing drawn for tables. */
class BlockDropsTest {
    private static final int H = 12;
    private static final int W = 20;
    /** A label, a 12×20 image, then a plain (non-image) vector that must never be touched. */
    private static final TableSpec SPEC = new TableSpec(List.of(
            Column.categorical("label", List.of("a", "b", "c")),
            Column.image("img", H, W, 0, 255),
            Column.vector("v", 30, 0, 1)));

    private static Encoder encoder(TableSpec spec) {
        return new ColumnStats(spec).snapshot();
    }

    @Test
    void shouldHideOneRectangleOfTheImageInAboutTheConfiguredShareOfRows() {
        Encoder enc = encoder(SPEC);
        BlockDrops drops = BlockDrops.of(enc);
        int first = enc.cellDim(SPEC.offset(1));
        assertEquals(3, first, "the image's pixels follow the label's one-hot group");
        Random rng = new Random(1);
        int rows = 4000;
        int holed = 0;
        for (int r = 0; r < rows; r++) {
            double[] shown = new double[enc.dims()];
            Arrays.fill(shown, 1.0);
            drops.drop(rng, shown, 0);
            for (int j = 0; j < enc.dims(); j++) {
                if (j < first || j >= first + H * W) {
                    assertEquals(1.0, shown[j], "only image pixels are hidden (dim " + j + ")");
                }
            }
            int top = H;
            int bottom = -1;
            int left = W;
            int right = -1;
            int hidden = 0;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    if (shown[first + y * W + x] == 0.0) {
                        hidden++;
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                        left = Math.min(left, x);
                        right = Math.max(right, x);
                    }
                }
            }
            if (hidden == 0) {
                continue;
            }
            holed++;
            int bh = bottom - top + 1;
            int bw = right - left + 1;
            assertEquals(bh * bw, hidden, "the hidden pixels form one full rectangle");
            assertTrue(bh >= Math.min(H, BlockDrops.MIN_SIDE) && bh <= Math.min(H, BlockDrops.MAX_SIDE), "height " + bh);
            assertTrue(bw >= BlockDrops.MIN_SIDE && bw <= BlockDrops.MAX_SIDE, "width " + bw);
        }
        double share = holed / (double) rows;
        assertEquals(BlockDrops.ROW_RATE, share, 0.03, "share of rows with a hole");
    }

    @Test
    void shouldDrawNoRandomNumbersForATableWithoutImages() {
        TableSpec table = new TableSpec(List.of(Column.continuous("x", 0, 1), Column.vector("v", 16, 0, 1)));
        Encoder enc = encoder(table);
        BlockDrops drops = BlockDrops.of(enc);
        Random used = new Random(9);
        double[] shown = new double[enc.dims()];
        Arrays.fill(shown, 1.0);
        drops.drop(used, shown, 0);
        assertEquals(new Random(9).nextLong(), used.nextLong(), "the trainer's random sequence is untouched");
        assertTrue(Arrays.stream(shown).allMatch(v -> v == 1.0));
        assertTrue(drops.isFor(table));
    }

    @Test
    void shouldRejectAnImageShapeThatDoesNotMatchTheVector() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Column("img", ColumnKind.VECTOR, 0, 1, List.of(), 10, 3, 3));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Column("x", ColumnKind.CONTINUOUS, 0, 1, List.of(), 1, 1, 1));
    }
}
