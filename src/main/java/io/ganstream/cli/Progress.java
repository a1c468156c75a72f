package io.ganstream.cli;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most a few times a second, with an optional status after it. */
final class Progress {
    private static final int WIDTH = 30;
    private final String label;
    private long total;
    private final String unit;
    private final long start = System.nanoTime();
    private final PrintStream out = System.err;
    private long lastDraw;
    private int lastLength;

    Progress(String label, long total) {
        this(label, total, "rec");
    }

    /** A bar counting {@code unit}s (shown as {@code unit/s}). */
    Progress(String label, long total, String unit) {
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    /** Changes the total (when the most work left is only known as it goes). */
    void total(long total) {
        this.total = total;
    }

    void update(long done) {
        update(done, "");
    }

    /** Redraws the bar with {@code status} after it, unless it was drawn less than 0.2 s ago. */
    void update(long done, String status) {
        long now = System.nanoTime();
        if (now - lastDraw > 200_000_000L) {
            lastDraw = now;
            draw(done, status);
        }
    }

    void done(long done) {
        done(done, "");
    }

    void done(long done, String status) {
        draw(done, status);
        out.println();
    }

    private void draw(long done, String status) {
        double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = (System.nanoTime() - start) / 1e9;
        String line = String.format("%-28s [%s%s] %d/%d  %.0f %s/s%s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, seconds > 0 ? done / seconds : 0.0, unit,
                status.isEmpty() ? "" : "  " + status);
        // pad over what a longer previous line left on the terminal
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
        out.flush();
    }
}
