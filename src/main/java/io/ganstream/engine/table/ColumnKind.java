package io.ganstream.engine.table;

/** How a dataset column is modeled. Carried (unmodeled) columns never reach the engine. */
public enum ColumnKind {
    /** A real number, optionally bounded. */
    CONTINUOUS,
    /** A whole number: modeled as continuous, emitted rounded. */
    INTEGER,
    /** One of a fixed list of categories; a cell holds the category index. */
    CATEGORICAL,
    /** A date or date-time: a cell holds epoch days (date) or epoch seconds (date-time). */
    DATETIME,
    /** A fixed-length array of numbers (an image, a sensor window): {@link Column#width()} cells. */
    VECTOR
}
