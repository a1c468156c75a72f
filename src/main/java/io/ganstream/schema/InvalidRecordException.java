package io.ganstream.schema;

/**
 * A record that does not fit its dataset's schema. The message is the dead-letter reason: it names the
 * column and the problem; {@link #reasonClass()} is a short label fit for a metric tag. No stack trace is
 * captured: invalid records are routine, not bugs.
 */
public class InvalidRecordException extends Exception {
    private final String reasonClass;

    public InvalidRecordException(String reasonClass, String reason) {
        super(reason, null, false, false);
        this.reasonClass = reasonClass;
    }

    /** One of: empty, too_large, not_json, not_object, no_schema, wrong_type, non_finite, out_of_range,
     * unknown_category, bad_format, wrong_length. */
    public String reasonClass() {
        return reasonClass;
    }
}
