package io.ganstream.stream;

/** Header names of the public contract. */
public final class OutputHeaders {
    /** On {@code D.imputed}: comma-separated names of the filled columns. */
    public static final String IMPUTED = "ganstream.imputed";
    /** On {@code D.imputed} and {@code D.synthetic}: the model version. */
    public static final String MODEL = "ganstream.model";
    /** On {@code D.dlq}: why the record was rejected. */
    public static final String ERROR = "ganstream.error";
    /** On {@code D.dlq}: {@code topic/partition/offset} of the input record. */
    public static final String SOURCE = "ganstream.source";

    private OutputHeaders() {
    }
}
