package io.ganstream.engine.train;

import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * What all trainers of an instance may use together: at most {@code threads} of them step at once, and each
 * backs off while {@code streamLagging} says the stream threads are behind (serving comes first).
 */
public final class TrainingBudget {
    private final int threads;
    private final Semaphore permits;
    private final BooleanSupplier streamLagging;

    public TrainingBudget(int threads, BooleanSupplier streamLagging) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads < 1");
        }
        this.threads = threads;
        this.permits = new Semaphore(threads, true);
        this.streamLagging = streamLagging == null ? () -> false : streamLagging;
    }

    /** One thread per trainer and no back-off: for offline fitting and engine tests. */
    public static TrainingBudget unlimited() {
        return new TrainingBudget(Integer.MAX_VALUE / 2, () -> false);
    }

    /** Cores − 1, at least 1: the default. */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    public int threads() {
        return threads;
    }

    void acquire() throws InterruptedException {
        permits.acquire();
    }

    void release() {
        permits.release();
    }

    boolean streamLagging() {
        return streamLagging.getAsBoolean();
    }
}
