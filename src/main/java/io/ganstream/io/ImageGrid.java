package io.ganstream.io;

import io.ganstream.schema.ImageColumn;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Lays the images of rows out as a grid and writes it as PNG with the JDK's ImageIO: each image scaled by an
 * integer factor, {@link #GAP} dark-blue pixels between tiles, missing pixels drawn red (so a before/after grid
 * shows what was inpainted).
 */
public final class ImageGrid {
    /** Pixels between and around tiles. */
    public static final int GAP = 2;
    private static final int BACKDROP = 0x203050;
    private static final int MISSING = 0xD02020;

    private ImageGrid() {
    }

    /** Columns of a square-ish grid for {@code n} images. */
    public static int columnsFor(int n) {
        return Math.max(1, (int) Math.ceil(Math.sqrt(n)));
    }

    /** Pixel width (or height) of a grid of {@code tiles} tiles of {@code side} pixels scaled by {@code scale}. */
    public static int extent(int tiles, int side, int scale) {
        return tiles * (side * scale + GAP) + GAP;
    }

    /** The images of {@code rows}, {@code columns} to a grid row (a null row leaves its tile empty). */
    public static BufferedImage grid(List<double[]> rows, ImageColumn image, int columns, int scale) {
        int gridRows = Math.max(1, (rows.size() + columns - 1) / columns);
        BufferedImage out = new BufferedImage(extent(columns, image.width(), scale),
                extent(gridRows, image.height(), scale), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, BACKDROP);
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            double[] row = rows.get(i);
            if (row == null) {
                continue;
            }
            int x0 = GAP + (i % columns) * (image.width() * scale + GAP);
            int y0 = GAP + (i / columns) * (image.height() * scale + GAP);
            for (int k = 0; k < image.width() * image.height(); k++) {
                int g = image.grey(row, k);
                int rgb = g < 0 ? MISSING : (g << 16) | (g << 8) | g;
                int px = x0 + (k % image.width()) * scale;
                int py = y0 + (k / image.width()) * scale;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        out.setRGB(px + dx, py + dy, rgb);
                    }
                }
            }
        }
        return out;
    }

    public static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
    }

    public static void write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, png(image));
    }
}
