package io.ganstream.stream;

import io.ganstream.engine.impute.Imputer;
import io.ganstream.schema.DatasetSchema;

import java.util.Collection;

/**
 * Imputation replaced by identity, for the {@code bench throughput} baseline only: records are parsed and
 * validated, re-serialized and routed exactly as in the real pipeline (same topology, same training samples on
 * the repartition topic, same exactly-once transactions), but no cell is filled, no statistics are kept and
 * nothing trains. The difference between the two runs is then what imputation itself costs the stream.
 * Selected by {@code ganstream.passthrough-imputation=true}, which only the benchmark sets.
 */
public final class PassthroughImputation implements ImputationModels {
    /** Leaves every row as it is; its records carry {@code ganstream.model = identity}. */
    static final Imputer IDENTITY = new Imputer() {
        @Override
        public void imputeInPlace(double[][] rows) {
            // identity: missing cells stay missing
        }

        @Override
        public String version() {
            return "identity";
        }
    };

    @Override
    public Imputer imputerFor(DatasetSchema schema) {
        return IDENTITY;
    }

    @Override
    public void observe(DatasetSchema schema, double[] cells) {
        // no fallback statistics: they are part of what imputation costs
    }

    @Override
    public void train(DatasetSchema schema, double[] cells) {
        // nothing learns
    }

    @Override
    public void releaseTraining(Collection<String> datasets) {
        // nothing to release
    }
}
