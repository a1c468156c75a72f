package io.ganstream.stream;

import io.ganstream.schema.SchemaCache;

import java.util.regex.Pattern;

/**
 * Everything the topology needs from outside: it is a pure function of a {@code StreamsBuilder} and these.
 *
 * @param schemas        parse cache for schema texts read from the global schema store
 * @param models         imputers and learners
 * @param events         metrics hooks
 * @param outputTopics   creates a dataset's topics when a record of an unregistered dataset arrives
 * @param maxRecordBytes larger records are dead-lettered
 * @param rawTopics      the raw topics this deployment serves
 * @param trainingPartitions partitions of the internal training topic: at most this many instances train
 */
public record PipelineDependencies(SchemaCache schemas, ImputationModels models, PipelineEvents events,
                                   OutputTopics outputTopics, int maxRecordBytes, Pattern rawTopics,
                                   int trainingPartitions) {

    public PipelineDependencies(SchemaCache schemas, ImputationModels models, PipelineEvents events,
                                OutputTopics outputTopics, int maxRecordBytes) {
        this(schemas, models, events, outputTopics, maxRecordBytes, Topics.RAW, 3);
    }
}
