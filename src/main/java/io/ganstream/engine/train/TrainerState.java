package io.ganstream.engine.train;

import java.util.Locale;

/** Where a model's training stands, as {@code GET /datasets/{name}} and the metrics show it. */
public enum TrainerState {
    /** No rows to learn from yet. */
    WAITING,
    /** Taking steps while its held-out measure improves. */
    LEARNING,
    /** The held-out measure stopped improving: resting until enough new rows arrive or drift is seen. */
    CONVERGED;

    /** The contract's name: {@code waiting}, {@code learning}, {@code converged}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A number for a gauge: 0 waiting, 1 learning, 2 converged. */
    public int code() {
        return ordinal();
    }
}
