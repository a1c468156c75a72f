package io.ganstream.engine.synth;

/**
 * How many decimal digits a column's observed values need, so that generated values are rounded the same way
 * (whole numbers come out whole, prices with two decimals keep two).
 */
final class Decimals {
    private Decimals() {
    }

    /** Decimal digits (0..6) needed to write v, or a negative number (never round) when it needs more. */
    static int of(double v) {
        double scale = 1;
        for (int d = 0; d <= 6; d++) {
            double x = v * scale;
            if (Math.abs(x - Math.rint(x)) < 1e-6 * Math.max(1, Math.abs(x))) {
                return d;
            }
            scale *= 10;
        }
        return Integer.MIN_VALUE / 2;
    }

    /** The decimals a column needs once it has also seen {@code v}: -1 (never round) stays -1. */
    static int widen(int decimals, double v) {
        if (decimals < 0) {
            return decimals;
        }
        int dv = of(v);
        return dv < 0 ? -1 : Math.max(decimals, dv);
    }
}
