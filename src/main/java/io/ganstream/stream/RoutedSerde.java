package io.ganstream.stream;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Writes a {@link Routed} value as its bytes; the topic part is used by the sink's topic extractor. */
final class RoutedSerde implements Serde<Routed> {
    @Override
    public Serializer<Routed> serializer() {
        return (topic, routed) -> routed == null ? null : routed.value();
    }

    @Override
    public Deserializer<Routed> deserializer() {
        return (topic, bytes) -> Routed.output(topic, bytes, null);
    }
}
