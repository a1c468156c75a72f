package io.ganstream.cli;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most a few times a second. */
final class Progress {
    private static final int WIDTH = 30;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private final PrintStream out = System.err;
    private long lastDraw;

    Progress(String label, long total) {
        this.label = label;
        this.total = total;
    }

    void update(long done) {
        long now = System.nanoTime();
        if (now - lastDraw > 200_000_000L) {
            lastDraw = now;
            draw(done, "\r");
        }
    }

    void done(long done) {
        draw(done, "\r");
        out.println();
    }

    private void draw(long done, String prefix) {
        double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("%s%-28s [%s%s] %d/%d  %.0f rec/s", prefix, label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                done, total, seconds > 0 ? done / seconds : 0.0);
        out.flush();
    }
}
