package io.ganstream.schema;

/** The two JSON Schema string formats ganstream models as datetimes, and how each maps to a number. */
public enum DateFormat {
    /** {@code "format": "date"}: a cell holds epoch days. */
    DATE,
    /** {@code "format": "date-time"}: a cell holds epoch seconds. */
    DATE_TIME
}
