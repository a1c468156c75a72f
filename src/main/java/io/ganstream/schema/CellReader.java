package io.ganstream.schema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;

import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks one JSON object against a dataset's schema token by token and reads its modeled values into a row of
 * cells, without building a tree; optionally notes where in the bytes each missing value sits, so that filled
 * values can be spliced into the record as it came ({@link RecordBytes}). The one place that decides whether a
 * record is valid, for bytes from Kafka and for trees from HTTP and files alike.
 *
 * <p>What is reported when a record has several faults does not depend on the order of its properties: a
 * syntax error first (the whole value is read even after a fault), then not-an-object, then the fault of the
 * modeled column that comes first in the schema.
 */
final class CellReader {
    private static final int MAX_SHOWN = 40;

    /** Where the missing values and the closing brace of a record sit in its bytes. */
    static final class Positions {
        /** Byte offset of the object's closing brace. */
        int close = -1;
        /** Top-level properties in the object (an inserted one needs a comma before it when there are any). */
        int properties;
        /** Per modeled column: byte offset of its {@code null} value, -1 when it is absent or not null. */
        final int[] nullAt;
        /** Per vector column whose array is present: byte offsets of its {@code null} elements, in order. */
        final int[][] elementNulls;

        Positions(int columns) {
            nullAt = new int[columns];
            Arrays.fill(nullAt, -1);
            elementNulls = new int[columns][];
        }
    }

    private CellReader() {
    }

    /**
     * Reads the one JSON value {@code p} holds as a record of {@code schema}. {@code positions}, when not null,
     * receives the byte offsets of the missing values (meaningful only for a parser over bytes).
     */
    static double[] read(DatasetSchema schema, JsonParser p, Positions positions) throws InvalidRecordException {
        try {
            return readObject(schema, p, positions);
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /** The reason for a value with no JSON in it. */
    static InvalidRecordException empty() {
        return new InvalidRecordException("empty", "empty value: expected a JSON object");
    }

    /** The reason for bytes the JSON parser refused (the parser's own words, without its location dump). */
    static InvalidRecordException notJson(IOException e) {
        return new InvalidRecordException("not_json", "not UTF-8 JSON: "
                + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }

    private static double[] readObject(DatasetSchema schema, JsonParser p, Positions positions)
            throws IOException, InvalidRecordException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw empty();
        }
        if (t != JsonToken.START_OBJECT) {
            String kind = kindOf(t);
            skipValue(p, t);
            requireEnd(p);
            throw new InvalidRecordException("not_object", "not a JSON object: got " + kind);
        }
        TableSpec spec = schema.spec();
        double[] cells = spec.emptyRow();
        InvalidRecordException fault = null;
        int faultColumn = Integer.MAX_VALUE;
        int properties = 0;
        Names names = new Names(schema.modeled().size());
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            properties++;
            String name = p.currentName();
            int i = schema.indexOf(name);
            names.add(i, name);
            t = p.nextToken();
            if (i < 0) {
                skipValue(p, t);
                continue;
            }
            if (t == JsonToken.VALUE_NULL) {
                if (positions != null) {
                    positions.nullAt[i] = offset(p);
                }
                continue;
            }
            ModeledColumn mc = schema.modeled().get(i);
            try {
                readValue(mc, p, t, cells, spec.offset(i), positions, i);
            } catch (InvalidRecordException e) {
                if (i < faultColumn) {
                    fault = e;
                    faultColumn = i;
                }
            }
        }
        if (positions != null) {
            positions.close = offset(p);
            positions.properties = properties;
        }
        requireEnd(p);
        if (fault != null) {
            throw fault;
        }
        return cells;
    }

    /** Reads one present, non-null modeled value; a fault leaves the parser after the value. */
    private static void readValue(ModeledColumn mc, JsonParser p, JsonToken t, double[] cells, int offset,
                                  Positions positions, int column) throws IOException, InvalidRecordException {
        Column c = mc.column();
        switch (c.kind()) {
            case CONTINUOUS -> cells[offset] = number(c, p, t, c.name());
            case INTEGER -> cells[offset] = integer(c, p, t);
            case CATEGORICAL -> cells[offset] = category(mc, p, t);
            case DATETIME -> cells[offset] = datetime(mc, p, t);
            case VECTOR -> vector(c, p, t, cells, offset, positions, column);
            default -> throw new IllegalStateException("unknown kind " + c.kind());
        }
    }

    private static double number(Column c, JsonParser p, JsonToken t, String where)
            throws IOException, InvalidRecordException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            skipValue(p, t);
            throw new InvalidRecordException("wrong_type", "column '" + where + "': expected a number, got "
                    + kindOf(t));
        }
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) {
            throw new InvalidRecordException("non_finite", "column '" + where + "': non-finite number " + shown(p, t));
        }
        if (c.hasMin() && d < c.min()) {
            throw new InvalidRecordException("out_of_range", "column '" + where + "': " + shown(p, t)
                    + " is below the minimum " + plain(c.min()));
        }
        if (c.hasMax() && d > c.max()) {
            throw new InvalidRecordException("out_of_range", "column '" + where + "': " + shown(p, t)
                    + " is above the maximum " + plain(c.max()));
        }
        return d;
    }

    private static double integer(Column c, JsonParser p, JsonToken t) throws IOException, InvalidRecordException {
        double d = number(c, p, t, c.name());
        if (d != Math.rint(d)) {
            throw new InvalidRecordException("wrong_type", "column '" + c.name() + "': expected an integer, got "
                    + shown(p, t));
        }
        return d;
    }

    private static double category(ModeledColumn mc, JsonParser p, JsonToken t)
            throws IOException, InvalidRecordException {
        Column c = mc.column();
        String label;
        if (mc.boolean_()) {
            if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                skipValue(p, t);
                throw new InvalidRecordException("wrong_type", "column '" + c.name() + "': expected a boolean, got "
                        + kindOf(t));
            }
            label = Boolean.toString(t == JsonToken.VALUE_TRUE);
        } else {
            if (t != JsonToken.VALUE_STRING) {
                skipValue(p, t);
                throw new InvalidRecordException("wrong_type", "column '" + c.name() + "': expected a string, got "
                        + kindOf(t));
            }
            label = p.getText();
        }
        int index = c.categories().indexOf(label);
        if (index < 0) {
            throw new InvalidRecordException("unknown_category", "column '" + c.name() + "': unknown category "
                    + shown(p, t) + ", expected one of " + abbreviate(c.categories().toString()));
        }
        return index;
    }

    private static double datetime(ModeledColumn mc, JsonParser p, JsonToken t)
            throws IOException, InvalidRecordException {
        String name = mc.name();
        boolean date = mc.dateFormat() == DateFormat.DATE;
        if (t != JsonToken.VALUE_STRING) {
            skipValue(p, t);
            throw new InvalidRecordException("wrong_type", "column '" + name + "': expected a "
                    + (date ? "date" : "date-time") + " string, got " + kindOf(t));
        }
        try {
            return date ? LocalDate.parse(p.getText()).toEpochDay() : OffsetDateTime.parse(p.getText()).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException("bad_format", "column '" + name + "': " + shown(p, t)
                    + " is not an ISO-8601 " + (date ? "date (yyyy-mm-dd)" : "date-time with offset"));
        }
    }

    private static void vector(Column c, JsonParser p, JsonToken t, double[] cells, int offset, Positions positions,
                               int column) throws IOException, InvalidRecordException {
        if (t != JsonToken.START_ARRAY) {
            skipValue(p, t);
            throw new InvalidRecordException("wrong_type", "column '" + c.name() + "': expected an array of "
                    + c.width() + " numbers, got " + kindOf(t));
        }
        int width = c.width();
        int[] nulls = positions == null ? null : new int[4];
        int nullCount = 0;
        InvalidRecordException fault = null;
        int k = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_NULL) {
                if (nulls != null) {
                    if (nullCount == nulls.length) {
                        nulls = Arrays.copyOf(nulls, nulls.length * 2);
                    }
                    nulls[nullCount++] = offset(p);
                }
            } else {
                try {
                    double d = number(c, p, t, c.name() + "[" + k + "]");
                    if (k < width) {
                        cells[offset + k] = d;
                    }
                } catch (InvalidRecordException e) {
                    fault = fault == null ? e : fault;
                }
            }
            k++;
        }
        if (k != width) {
            throw new InvalidRecordException("wrong_length", "column '" + c.name() + "': expected " + width
                    + " elements, got " + k);
        }
        if (fault != null) {
            throw fault;
        }
        if (nulls != null) {
            positions.elementNulls[column] = Arrays.copyOf(nulls, nullCount);
        }
    }

    /**
     * Steps over a value (and everything inside it). Strings are decoded on the way, so that a record whose
     * carried properties are not valid UTF-8 is refused like one whose modeled values are not.
     */
    private static void skipValue(JsonParser p, JsonToken t) throws IOException, InvalidRecordException {
        if (t == JsonToken.VALUE_STRING) {
            p.getTextCharacters();
            return;
        }
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return;
        }
        // one set of names per open object (null for an array), to refuse duplicate properties at any depth
        ArrayDeque<Object> open = new ArrayDeque<>();
        open.push(t == JsonToken.START_OBJECT ? new HashSet<String>() : NOT_AN_OBJECT);
        while (!open.isEmpty()) {
            JsonToken n = p.nextToken();
            if (n == null) {
                return;
            }
            switch (n) {
                case START_OBJECT -> open.push(new HashSet<String>());
                case START_ARRAY -> open.push(NOT_AN_OBJECT);
                case END_OBJECT, END_ARRAY -> open.pop();
                case FIELD_NAME -> {
                    @SuppressWarnings("unchecked")
                    Set<String> names = (Set<String>) open.peek();
                    if (!names.add(p.currentName())) {
                        throw duplicate(p.currentName());
                    }
                }
                case VALUE_STRING -> p.getTextCharacters();
                default -> {
                }
            }
        }
    }

    private static final Object NOT_AN_OBJECT = new Object();

    /**
     * The top-level names seen so far: a flag per modeled column and a set for the rest. Cheaper than the parser's
     * own duplicate detection, which hashes every name; the parser over a record's bytes runs without it.
     */
    private static final class Names {
        private final boolean[] modeled;
        private Set<String> carried;

        Names(int columns) {
            modeled = new boolean[columns];
        }

        void add(int column, String name) throws InvalidRecordException {
            boolean fresh;
            if (column >= 0) {
                fresh = !modeled[column];
                modeled[column] = true;
            } else {
                carried = carried == null ? new HashSet<>(4) : carried;
                fresh = carried.add(name);
            }
            if (!fresh) {
                throw duplicate(name);
            }
        }
    }

    private static InvalidRecordException duplicate(String name) {
        return new InvalidRecordException("not_json", "not UTF-8 JSON: Duplicate field '" + name + "'");
    }

    private static void requireEnd(JsonParser p) throws IOException, InvalidRecordException {
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw new InvalidRecordException("not_json", "not UTF-8 JSON: trailing " + kindOf(trailing)
                    + " after the record's object");
        }
    }

    private static int offset(JsonParser p) {
        return (int) p.currentTokenLocation().getByteOffset();
    }

    private static String kindOf(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name().toLowerCase();
        };
    }

    /** The value as the record wrote it (a string quoted as in JSON), abbreviated. */
    private static String shown(JsonParser p, JsonToken t) throws IOException {
        String text = p.getText();
        if (t == JsonToken.VALUE_STRING) {
            text = "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
        }
        return abbreviate(text);
    }

    private static String abbreviate(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "…";
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
