package io.ganstream.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnKind;

import java.util.Optional;

/**
 * A vector column marked {@code "x-ganstream-image": {"width": w, "height": h}}: a w×h grey image stored row by
 * row. Its items' {@code minimum}/{@code maximum} (or 0..255 when undeclared) map to black..white.
 *
 * @param name   column name
 * @param cell   first cell of the image in a row of cells
 * @param width  pixels per image row
 * @param height image rows
 * @param black  value drawn black
 * @param white  value drawn white
 */
public record ImageColumn(String name, int cell, int width, int height, double black, double white) {

    /** The dataset's first image column, if it has one. */
    public static Optional<ImageColumn> of(DatasetSchema schema) {
        JsonNode properties = schema.document().path("properties");
        for (int i = 0; i < schema.modeled().size(); i++) {
            Column c = schema.modeled().get(i).column();
            JsonNode image = properties.path(c.name()).get("x-ganstream-image");
            if (c.kind() != ColumnKind.VECTOR || image == null) {
                continue;
            }
            int w = image.path("width").asInt();
            int h = image.path("height").asInt();
            return Optional.of(new ImageColumn(c.name(), schema.spec().offset(i), w, h,
                    c.hasMin() ? c.min() : 0, c.hasMax() ? c.max() : 255));
        }
        return Optional.empty();
    }

    /** Grey level 0..255 of pixel {@code k} of the image in {@code row}; -1 for a missing pixel. */
    public int grey(double[] row, int k) {
        double g = level(row, k);
        return Double.isNaN(g) ? -1 : (int) Math.round(255 * g);
    }

    /** Pixel {@code k} of the image in {@code row} in [0, 1] (black..white, clamped); NaN for a missing pixel. */
    public double level(double[] row, int k) {
        double v = row[cell + k];
        if (Double.isNaN(v)) {
            return Double.NaN;
        }
        double g = white > black ? (v - black) / (white - black) : 0;
        return Math.max(0, Math.min(1, g));
    }
}
