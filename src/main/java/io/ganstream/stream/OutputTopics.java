package io.ganstream.stream;

/**
 * Makes sure a dataset's output topics exist before the stream writes to them. A record can arrive on
 * {@code D.raw} before {@code D} is registered (or after a schema was written to the topic by another tool);
 * its output topics must then be created on the spot, or the exactly-once producer would block on a missing
 * topic. Called for every record: implementations remember what they ensured.
 */
@FunctionalInterface
public interface OutputTopics {
    void ensureOutputTopics(String dataset);

    OutputTopics NONE = dataset -> {
    };
}
