package io.ganstream.stream;

import io.ganstream.engine.impute.Imputer;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.InvalidRecordException;
import io.ganstream.schema.InvalidSchemaException;
import io.ganstream.schema.RecordBytes;
import io.ganstream.schema.RecordCodec;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Routes every raw record to exactly one output: {@code D.imputed} (valid; missing modeled values filled, keys
 * and observed values unchanged) or {@code D.dlq} (invalid; original key and value bytes unchanged, reason and
 * source in headers). Nothing here throws for bad input, so one bad record never stops the stream.
 */
final class ValidateAndImputeProcessor implements Processor<byte[], byte[], byte[], Routed> {
    private static final Logger LOG = LoggerFactory.getLogger(ValidateAndImputeProcessor.class);

    private final PipelineDependencies deps;
    private ProcessorContext<byte[], Routed> context;
    private KeyValueStore<String, String> schemaTexts;

    ValidateAndImputeProcessor(PipelineDependencies deps) {
        this.deps = deps;
    }

    @Override
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
        this.schemaTexts = context.getStateStore(GanstreamTopology.SCHEMA_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        String dataset = Topics.datasetOfRaw(meta.topic());
        deps.events().received(dataset);
        deps.outputTopics().ensureOutputTopics(dataset);
        try {
            DatasetSchema schema = schemaOf(dataset, record.value());
            RecordBytes parsed = RecordCodec.readBytes(schema, record.value());
            forwardImputed(dataset, schema, parsed, record);
        } catch (InvalidRecordException e) {
            forwardDeadLetter(dataset, e.reasonClass(), e.getMessage(), record, meta);
        } catch (RuntimeException e) {
            // A defect of ours must not stop the stream nor lose the record: it is dead-lettered, and logged
            // without the record's contents.
            LOG.error("Internal error on {}/{}/{}", meta.topic(), meta.partition(), meta.offset(), e);
            forwardDeadLetter(dataset, "internal", "internal error: " + e.getClass().getSimpleName(), record, meta);
        }
    }

    private DatasetSchema schemaOf(String dataset, byte[] value) throws InvalidRecordException {
        if (value == null || value.length == 0) {
            throw new InvalidRecordException("empty", "empty value: expected a JSON object");
        }
        if (value.length > deps.maxRecordBytes()) {
            throw new InvalidRecordException("too_large", "record of " + value.length
                    + " bytes is larger than the limit of " + deps.maxRecordBytes() + " bytes");
        }
        String text = schemaTexts.get(dataset);
        if (text == null) {
            throw new InvalidRecordException("no_schema", "no schema registered for dataset '" + dataset
                    + "' (register it with PUT /datasets/" + dataset + ")");
        }
        try {
            return deps.schemas().resolve(dataset, text);
        } catch (InvalidSchemaException e) {
            throw new InvalidRecordException("no_schema", "the stored schema of dataset '" + dataset
                    + "' is unusable: " + e.getMessage());
        }
    }

    private void forwardImputed(String dataset, DatasetSchema schema, RecordBytes parsed,
                                Record<byte[], byte[]> record) {
        ImputationModels models = deps.models();
        models.observe(schema, parsed.cells());
        List<String> filled = List.of();
        byte[] value = parsed.value();
        Imputer imputer = models.imputerFor(schema);
        // A record with nothing to fill goes out byte for byte as it came in; so do the benchmark's identity's.
        if (parsed.hasMissing() && imputer != PassthroughImputation.IDENTITY) {
            double[] row = parsed.cells().clone();
            imputer.imputeInPlace(new double[][]{row});
            RecordBytes.Filled out = parsed.fill(schema, row);
            value = out.value();
            filled = out.names();
        }
        Headers headers = record.headers();
        headers.remove(OutputHeaders.IMPUTED).remove(OutputHeaders.MODEL);
        headers.add(OutputHeaders.IMPUTED, String.join(",", filled).getBytes(StandardCharsets.UTF_8));
        headers.add(OutputHeaders.MODEL, imputer.version().getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(record.key(), Routed.output(Topics.imputed(dataset), value, dataset),
                record.timestamp(), headers));
        // The training sample goes to the dataset's one trainer in the group, in the same transaction.
        context.forward(new Record<>(record.key(), Routed.trainingSample(dataset,
                new TrainingSample(schema.hash(), parsed.cells())), record.timestamp()));
        deps.events().imputed(dataset, filled, Math.max(0, System.currentTimeMillis() - record.timestamp()));
    }

    private void forwardDeadLetter(String dataset, String reasonClass, String reason, Record<byte[], byte[]> record,
                                   RecordMetadata meta) {
        Headers headers = record.headers();
        headers.remove(OutputHeaders.ERROR).remove(OutputHeaders.SOURCE);
        headers.add(OutputHeaders.ERROR, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(OutputHeaders.SOURCE, (meta.topic() + "/" + meta.partition() + "/" + meta.offset())
                .getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(record.key(), Routed.output(Topics.dlq(dataset), record.value(), dataset),
                record.timestamp(), headers));
        deps.events().deadLettered(dataset, reasonClass);
    }
}
