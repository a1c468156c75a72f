package io.ganstream.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void rateIsItemsPerSecondSinceTheStart() {
        assertEquals(500.0, Progress.rate(1000, 2 * SECOND), 1e-9);
        assertEquals(0.25, Progress.rate(1, 4 * SECOND), 1e-9);
        assertTrue(Double.isNaN(Progress.rate(10, 0)), "no rate before any time has passed");
    }

    @Test
    void etaIsWhatIsLeftAtTheRateSoFar() {
        assertEquals(6.0, Progress.eta(250, 1000, 2 * SECOND), 1e-9); // 125/s, 750 left
        assertEquals(0.0, Progress.eta(1000, 1000, 2 * SECOND), 1e-9);
        assertTrue(Double.isNaN(Progress.eta(0, 1000, 2 * SECOND)), "unknown while nothing is done");
    }

    @Test
    void theBarShowsTheTrueRateAndEtaOnAFakeClock() {
        AtomicLong clock = new AtomicLong(42 * SECOND);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = new Progress("records streamed", 1176, "rec", clock::get,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertTrue(progress.line(0, clock.get()).endsWith("0/1176  -- rec/s  ETA --"), progress.line(0, clock.get()));
        clock.addAndGet(3 * SECOND);
        assertTrue(progress.line(392, clock.get()).endsWith("392/1176  131 rec/s  ETA 6s"),
                progress.line(392, clock.get()));
        clock.addAndGet(3 * SECOND);
        assertTrue(progress.line(784, clock.get()).endsWith("784/1176  131 rec/s  ETA 3s"));
        clock.addAndGet(64 * SECOND);
        assertTrue(progress.line(1176, clock.get()).endsWith("1176/1176  16.8 rec/s  in 1m10s"),
                progress.line(1176, clock.get()));

        progress.update(392);
        clock.addAndGet(SECOND / 10);
        progress.update(500); // within 200 ms of the last draw: not drawn
        clock.addAndGet(SECOND);
        progress.update(784);
        progress.done(1176);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(3, out.split("\r", -1).length - 1, "two redraws and the final line: " + out);
        assertTrue(out.endsWith(System.lineSeparator()));
    }

    @Test
    void anOpenEndedCountShowsNoBarAndNoEta() {
        AtomicLong clock = new AtomicLong(0);
        Progress progress = new Progress("converging", 100, "step", clock::get,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        progress.total(-1);
        clock.addAndGet(125 * SECOND);
        String line = progress.line(5000, clock.get());
        assertEquals(String.format("%-28s 5000 steps  40.0 step/s  2m05s", "converging"), line);
    }

    @Test
    void slowRatesKeepTheirDigits() {
        assertEquals("0.35", Progress.rate(0.35));
        assertEquals("12.5", Progress.rate(12.5));
        assertEquals("1234", Progress.rate(1234.4));
        assertEquals("2m05s", Progress.duration(125));
        assertEquals("1h02m", Progress.duration(3720));
    }
}
