package io.ganstream.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr, redrawn at most a few times a second: done/total, the rate since the start
 * (items per second), the time left at that rate, and an optional status after it.
 */
final class Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;
    private final String label;
    private final String unit;
    private long total;
    private final LongSupplier nanoClock;
    private final long start;
    private final PrintStream out;
    private long lastDraw;
    private boolean drawn;
    private int lastLength;

    Progress(String label, long total) {
        this(label, total, "rec", System::nanoTime, System.err);
    }

    /** A bar counting {@code unit}s (shown as {@code unit/s}). */
    Progress(String label, long total, String unit) {
        this(label, total, unit, System::nanoTime, System.err);
    }

    /**
     * @param unit what is counted, shown in the rate ({@code rec} gives {@code rec/s})
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}; a fake one in tests)
     */
    Progress(String label, long total, String unit, LongSupplier nanoClock, PrintStream out) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.out = out;
    }

    /**
     * Changes the total (when the most work left is only known as it goes); a negative total draws an open-ended
     * count (done, rate, time so far) for work whose end cannot be foreseen, such as training until it converges.
     */
    void total(long total) {
        this.total = total;
    }

    void update(long done) {
        update(done, "");
    }

    /** Redraws the bar with {@code status} after it, unless it was drawn less than 0.2 s ago. */
    void update(long done, String status) {
        long now = nanoClock.getAsLong();
        if (!drawn || now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            drawn = true;
            draw(line(done, now), status);
        }
    }

    void done(long done) {
        done(done, "");
    }

    void done(long done, String status) {
        draw(line(done, nanoClock.getAsLong()), status);
        out.println();
        out.flush();
    }

    private void draw(String bar, String status) {
        String line = status.isEmpty() ? bar : bar + "  " + status;
        // pad over what a longer previous line left on the terminal
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
        out.flush();
    }

    /** The bar as drawn at time {@code now} (of the clock) with {@code done} items done. */
    String line(long done, long now) {
        long elapsed = Math.max(0, now - start);
        if (total < 0) {
            double rate = rate(done, elapsed);
            return String.format(Locale.ROOT, "%-28s %d %ss  %s %s/s  %s", label, done, unit,
                    Double.isNaN(rate) ? "--" : rate(rate), unit, duration(elapsed / 1e9));
        }
        double fraction = total <= 0 ? 1 : Math.min(1, Math.max(0, (double) done / total));
        int filled = (int) Math.round(fraction * WIDTH);
        double rate = rate(done, elapsed);
        String tail = done >= total
                ? "in " + duration(elapsed / 1e9)
                : "ETA " + (Double.isNaN(eta(done, total, elapsed)) ? "--" : duration(eta(done, total, elapsed)));
        return String.format(Locale.ROOT, "%-28s [%s%s] %d/%d  %s %s/s  %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, Double.isNaN(rate) ? "--" : rate(rate), unit, tail);
    }

    /** Items per second over {@code elapsedNanos}; NaN before any time has passed. */
    static double rate(long done, long elapsedNanos) {
        return elapsedNanos <= 0 ? Double.NaN : done / (elapsedNanos / 1e9);
    }

    /** Seconds left for the rest of {@code total} at the rate so far; NaN while nothing is done yet. */
    static double eta(long done, long total, long elapsedNanos) {
        if (done >= total) {
            return 0;
        }
        double rate = rate(done, elapsedNanos);
        return Double.isNaN(rate) || rate <= 0 ? Double.NaN : (total - done) / rate;
    }

    /** A rate with the digits that matter: {@code 1234}, {@code 12.3}, {@code 0.42}. */
    static String rate(double perSecond) {
        if (perSecond >= 100) {
            return String.format(Locale.ROOT, "%.0f", perSecond);
        }
        return String.format(Locale.ROOT, perSecond >= 10 ? "%.1f" : "%.2f", perSecond);
    }

    /** {@code 7s}, {@code 2m05s}, {@code 1h02m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
