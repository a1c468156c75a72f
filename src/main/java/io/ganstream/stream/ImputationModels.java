package io.ganstream.stream;

import io.ganstream.engine.Imputer;
import io.ganstream.schema.DatasetSchema;

/**
 * What the stream needs from the models: the imputer to use now for a dataset, and a place to hand every
 * valid record for learning. Implementations must never block the calling stream thread.
 */
public interface ImputationModels {

    /** The imputer for this dataset right now: its latest trained model, or the fallback. */
    Imputer imputerFor(DatasetSchema schema);

    /** Hands a valid record's cells (NaN = missing) to the learners; must return quickly. */
    void learnFrom(DatasetSchema schema, double[] cells);
}
