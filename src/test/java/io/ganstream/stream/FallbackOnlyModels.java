package io.ganstream.stream;

import io.ganstream.engine.impute.Imputer;
import io.ganstream.engine.impute.MeanModeImputer;
import io.ganstream.schema.DatasetSchema;

import java.util.HashMap;
import java.util.Map;

/** Models for topology tests: the fallback imputer only, so outputs are exact and known. */
final class FallbackOnlyModels implements ImputationModels {
    private final Map<String, MeanModeImputer> imputers = new HashMap<>();

    @Override
    public Imputer imputerFor(DatasetSchema schema) {
        return of(schema);
    }

    final java.util.List<String> trained = new java.util.ArrayList<>();

    @Override
    public void observe(DatasetSchema schema, double[] cells) {
        of(schema).observe(cells);
    }

    @Override
    public void train(DatasetSchema schema, double[] cells) {
        trained.add(schema.name());
    }

    @Override
    public void releaseTraining(java.util.Collection<String> datasets) {
    }

    private MeanModeImputer of(DatasetSchema schema) {
        return imputers.computeIfAbsent(schema.name() + schema.hash(), k -> new MeanModeImputer(schema.spec()));
    }
}
