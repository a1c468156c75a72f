package io.ganstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Instance-wide training switches under {@code ganstream.training.*}; per-dataset settings live in each
 * schema's {@code "x-ganstream"} keyword.
 */
@ConfigurationProperties("ganstream.training")
public class TrainingConfig {
    /** Off: every dataset keeps the fallback imputer (for a serving-only instance, or to compare). */
    private boolean enabled = true;
    /** Windows waiting for a busy trainer; beyond this, windows are dropped and counted. */
    private int queueWindows = 4;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getQueueWindows() {
        return queueWindows;
    }

    public void setQueueWindows(int queueWindows) {
        this.queueWindows = queueWindows;
    }
}
