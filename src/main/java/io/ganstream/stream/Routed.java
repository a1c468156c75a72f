package io.ganstream.stream;

/**
 * A record value together with the topic it goes to: the processor decides the destination (imputed or
 * dead-letter topic of the record's dataset) and one sink writes it there.
 *
 * @param topic destination topic
 * @param value value bytes as written
 */
public record Routed(String topic, byte[] value) {
}
