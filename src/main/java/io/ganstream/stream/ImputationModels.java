package io.ganstream.stream;

import io.ganstream.engine.impute.Imputer;
import io.ganstream.schema.DatasetSchema;

import java.util.Collection;

/**
 * What the stream needs from the models. Every instance imputes and keeps the fallback statistics of the
 * records it sees; training samples of a dataset are routed (by dataset key) to exactly one instance of the
 * group, which trains. Implementations must never block the calling stream thread.
 */
public interface ImputationModels {

    /** The imputer for this dataset right now: its latest published model, or the fallback. */
    Imputer imputerFor(DatasetSchema schema);

    /** Every valid record, on the instance that imputes it: feeds the fallback statistics. */
    void observe(DatasetSchema schema, double[] cells);

    /** A training sample, on the one instance that owns the dataset's training partition. */
    void train(DatasetSchema schema, double[] cells);

    /** This instance no longer owns these datasets' training (rebalance or shutdown): stop and checkpoint. */
    void releaseTraining(Collection<String> datasets);
}
