package io.ganstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Instance-wide training settings under {@code ganstream.training.*}; per-dataset settings live in each
 * schema's {@code "x-ganstream"} keyword.
 */
@ConfigurationProperties("ganstream.training")
public class TrainingConfig {
    /** Off: every dataset keeps the fallback imputer (for a serving-only instance, or to compare). */
    private boolean enabled = true;
    /** Training threads all datasets share; 0 = the cores less one (at least 1). */
    private int threads;
    /** Unprocessed raw records (consumer lag) beyond which trainers back off to leave the cores to the stream. */
    private long backoffLagRecords = 2_000;
    /** While the stream lags, a trainer sleeps this many times as long as each chunk of steps took. */
    private double backoffFactor = 3.0;
    /** Least time between two published model versions while a model learns. */
    private long publishEveryMillis = 5_000;
    /** Most steps a model takes in one stretch of learning before it rests (a dataset's own budget wins). */
    private long stepBudget = 200_000;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public long getBackoffLagRecords() {
        return backoffLagRecords;
    }

    public void setBackoffLagRecords(long backoffLagRecords) {
        this.backoffLagRecords = backoffLagRecords;
    }

    public double getBackoffFactor() {
        return backoffFactor;
    }

    public void setBackoffFactor(double backoffFactor) {
        this.backoffFactor = backoffFactor;
    }

    public long getPublishEveryMillis() {
        return publishEveryMillis;
    }

    public void setPublishEveryMillis(long publishEveryMillis) {
        this.publishEveryMillis = publishEveryMillis;
    }

    public long getStepBudget() {
        return stepBudget;
    }

    public void setStepBudget(long stepBudget) {
        this.stepBudget = stepBudget;
    }
}
