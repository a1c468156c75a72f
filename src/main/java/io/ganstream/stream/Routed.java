package io.ganstream.stream;

/**
 * What the validating processor emits: either an output record for a topic (imputed or dead-letter topic of
 * the record's dataset), or a training sample for the dataset's trainer.
 *
 * @param topic    destination topic of an output record, {@code null} for a training sample
 * @param value    value bytes as written
 * @param dataset  the record's dataset
 * @param training whether this is a training sample
 */
public record Routed(String topic, byte[] value, String dataset, boolean training) {

    public static Routed output(String topic, byte[] value, String dataset) {
        return new Routed(topic, value, dataset, false);
    }

    public static Routed trainingSample(String dataset, TrainingSample sample) {
        return new Routed(null, sample.toBytes(), dataset, true);
    }
}
