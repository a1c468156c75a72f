package io.ganstream.service;

import io.ganstream.engine.Imputer;
import io.ganstream.engine.MeanModeImputer;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.stream.ImputationModels;
import jakarta.inject.Singleton;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of every dataset on this instance. Until a trained model exists for a dataset, its imputer is the
 * fallback: running means and modes learned from the stream. A changed schema starts its models afresh, since
 * the columns they were learned for may no longer exist.
 */
@Singleton
public class DatasetModels implements ImputationModels {
    private final ConcurrentHashMap<String, Models> byDataset = new ConcurrentHashMap<>();

    /** The models of one dataset under one schema version. */
    private record Models(String schemaHash, MeanModeImputer fallback) {
    }

    @Override
    public Imputer imputerFor(DatasetSchema schema) {
        return modelsOf(schema).fallback();
    }

    @Override
    public void learnFrom(DatasetSchema schema, double[] cells) {
        modelsOf(schema).fallback().observe(cells);
    }

    /** The fallback imputer of a dataset: the baseline for quality figures. */
    public MeanModeImputer fallbackFor(DatasetSchema schema) {
        return modelsOf(schema).fallback();
    }

    private Models modelsOf(DatasetSchema schema) {
        Models m = byDataset.get(schema.name());
        if (m == null || !m.schemaHash().equals(schema.hash())) {
            m = byDataset.compute(schema.name(), (name, old) -> old != null && old.schemaHash().equals(schema.hash())
                    ? old : new Models(schema.hash(), new MeanModeImputer(schema.spec())));
        }
        return m;
    }
}
