package io.ganstream.engine.impute;

/**
 * Fills the missing cells of rows laid out by a {@link TableSpec}.
 *
 * <p>Implementations must never change an observed (non-NaN) cell, must leave no NaN behind, must keep
 * categorical cells valid category indices and must respect column bounds ({@link Column#conform}).
 * They must be safe to call from several threads at once: the stream threads and HTTP share one instance.
 */
public interface Imputer {

    /** Fills every NaN cell of every row in place. Batching many rows in one call is cheaper. */
    void imputeInPlace(double[][] rows);

    /** The model version written to the {@code ganstream.model} header, e.g. {@code fallback} or {@code gain-12}. */
    String version();
}
