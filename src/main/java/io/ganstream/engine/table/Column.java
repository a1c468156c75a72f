package io.ganstream.engine.table;

import java.util.List;
import java.util.Objects;

/**
 * One modeled column as the engine sees it.
 *
 * @param name       column name
 * @param kind       how it is modeled
 * @param min        inclusive lower bound, or {@code NaN} when the schema declares none
 * @param max        inclusive upper bound, or {@code NaN} when the schema declares none
 * @param categories category labels in schema order (categorical only, else empty)
 * @param width      number of cells: n for a vector, 1 otherwise
 * @param imageHeight rows of the image when the vector is a grey image stored row by row
 *                    ({@code x-ganstream-image}), else 0; lets training hide image-shaped holes
 * @param imageWidth  pixels per image row, else 0 ({@code imageHeight * imageWidth == width} for an image)
 */
public record Column(String name, ColumnKind kind, double min, double max, List<String> categories, int width,
                     int imageHeight, int imageWidth) {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        categories = List.copyOf(categories);
        if (kind == ColumnKind.CATEGORICAL && categories.isEmpty()) {
            throw new IllegalArgumentException("categorical column " + name + " needs categories");
        }
        if (width < 1 || (kind != ColumnKind.VECTOR && width != 1)) {
            throw new IllegalArgumentException("column " + name + ": bad width " + width);
        }
        if (imageHeight != 0 || imageWidth != 0) {
            if (kind != ColumnKind.VECTOR || imageHeight < 1 || imageWidth < 1
                    || (long) imageHeight * imageWidth != width) {
                throw new IllegalArgumentException("column " + name + ": bad image shape " + imageHeight + " x "
                        + imageWidth + " for " + width + " cells");
            }
        }
    }

    /** A column that is not an image. */
    public Column(String name, ColumnKind kind, double min, double max, List<String> categories, int width) {
        this(name, kind, min, max, categories, width, 0, 0);
    }

    public static Column continuous(String name, double min, double max) {
        return new Column(name, ColumnKind.CONTINUOUS, min, max, List.of(), 1);
    }

    public static Column integer(String name, double min, double max) {
        return new Column(name, ColumnKind.INTEGER, min, max, List.of(), 1);
    }

    public static Column categorical(String name, List<String> categories) {
        return new Column(name, ColumnKind.CATEGORICAL, Double.NaN, Double.NaN, categories, 1);
    }

    public static Column datetime(String name) {
        return new Column(name, ColumnKind.DATETIME, Double.NaN, Double.NaN, List.of(), 1);
    }

    public static Column vector(String name, int width, double min, double max) {
        return new Column(name, ColumnKind.VECTOR, min, max, List.of(), width);
    }

    /** A grey image of {@code height} rows of {@code width} pixels, stored row by row as one vector column. */
    public static Column image(String name, int height, int width, double min, double max) {
        return new Column(name, ColumnKind.VECTOR, min, max, List.of(), height * width, height, width);
    }

    /** Whether the column is a vector known to be an image ({@link #imageHeight()} x {@link #imageWidth()}). */
    public boolean isImage() {
        return imageHeight > 0;
    }

    public boolean isCategorical() {
        return kind == ColumnKind.CATEGORICAL;
    }

    public boolean hasMin() {
        return !Double.isNaN(min);
    }

    public boolean hasMax() {
        return !Double.isNaN(max);
    }

    /** Clamps a value into the declared bounds and rounds it when the kind is emitted as a whole number. */
    public double conform(double value) {
        double v = value;
        if (hasMin() && v < min) {
            v = min;
        }
        if (hasMax() && v > max) {
            v = max;
        }
        if (kind == ColumnKind.INTEGER || kind == ColumnKind.DATETIME) {
            v = Math.rint(v);
        }
        return v;
    }
}
