package io.ganstream.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.kafka.ClientMeters;
import io.ganstream.kafka.KafkaConnection;
import io.ganstream.metrics.GanstreamMetrics;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.RecordCodec;
import io.ganstream.stream.OutputHeaders;
import io.ganstream.stream.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes synthetic records to {@code D.synthetic}: JSON objects of the modeled columns, in the schema's
 * formats, with the {@code ganstream.model} header. Synthetic records are not part of the raw → imputed
 * invariant, so they go through a plain idempotent producer rather than the exactly-once transaction.
 */
@Singleton
public class SyntheticPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticPublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final ClientMeters meters;
    private final GanstreamMetrics metrics;

    public SyntheticPublisher(KafkaConnection connection, GanstreamMetrics metrics) {
        Map<String, Object> props = new HashMap<>(connection.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.meters = ClientMeters.of(producer, metrics.registry());
        this.metrics = metrics;
    }

    /** Publishes rows of cells as synthetic records of the dataset, made by model {@code version}. */
    public void publish(DatasetSchema schema, double[][] rows, String version) {
        byte[] model = version.getBytes(StandardCharsets.UTF_8);
        String topic = Topics.synthetic(schema.name());
        for (double[] row : rows) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, toJson(schema, row));
            record.headers().add(OutputHeaders.MODEL, model);
            producer.send(record, (meta, e) -> {
                if (e != null) {
                    LOG.warn("Synthetic record of {} not written: {}", schema.name(), e.toString());
                }
            });
        }
        metrics.recordsSynthetic(schema.name()).increment(rows.length);
    }

    /** A row of cells as the dataset's JSON record (modeled columns only). */
    public static byte[] toJson(DatasetSchema schema, double[] row) {
        try {
            return RecordCodec.mapper().writeValueAsBytes(toObject(schema, row));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    public static ObjectNode toObject(DatasetSchema schema, double[] row) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        // every cell counts as missing: fill writes each column (a vector as its array) in the schema's format
        RecordCodec.fill(schema, json, schema.spec().emptyRow(), row);
        return json;
    }

    @Override
    @PreDestroy
    public void close() {
        meters.closeWith(() -> producer.close(Duration.ofSeconds(10)));
    }
}
