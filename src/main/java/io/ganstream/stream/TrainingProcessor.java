package io.ganstream.stream;

import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.InvalidSchemaException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.HashSet;
import java.util.Set;

/**
 * Hands training samples to the trainer of their dataset. It runs in the task that owns the dataset's
 * partition of the training topic, so one instance of the group trains each dataset; when the task moves
 * (rebalance, stop), its datasets' trainers stop and checkpoint, and the new owner resumes from there.
 */
final class TrainingProcessor implements Processor<String, byte[], Void, Void> {
    private final PipelineDependencies deps;
    private final Set<String> datasets = new HashSet<>();
    private KeyValueStore<String, String> schemaTexts;

    TrainingProcessor(PipelineDependencies deps) {
        this.deps = deps;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        schemaTexts = context.getStateStore(GanstreamTopology.SCHEMA_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String dataset = record.key();
        String text = dataset == null ? null : schemaTexts.get(dataset);
        if (text == null || record.value() == null) {
            return;
        }
        DatasetSchema schema;
        try {
            schema = deps.schemas().resolve(dataset, text);
        } catch (InvalidSchemaException e) {
            return;
        }
        TrainingSample sample = TrainingSample.fromBytes(record.value());
        // A sample read under an older schema version does not fit the current model's columns.
        if (!sample.schemaHash().equals(schema.hash()) || sample.cells().length != schema.spec().cellCount()) {
            return;
        }
        datasets.add(dataset);
        deps.models().train(schema, sample.cells());
    }

    @Override
    public void close() {
        deps.models().releaseTraining(datasets);
        datasets.clear();
    }
}
