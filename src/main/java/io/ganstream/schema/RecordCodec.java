package io.ganstream.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.table.Column;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads records of a dataset from JSON bytes into cells, checking every modeled value against the schema,
 * and writes filled cells back into the JSON. Carried properties are never touched.
 */
public final class RecordCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Numbers are most of a record: Jackson's FastDoubleParser and Schubfach writer parse and print
            // doubles several times faster than the JDK's (same values; the writer prints the shortest form).
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();
    private static final int MAX_SHOWN = 40;

    private RecordCodec() {
    }

    /** The mapper used for records everywhere, so parsing and writing agree. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses raw bytes; the checks that need no schema come first. */
    public static ObjectNode parseObject(byte[] value) throws InvalidRecordException {
        if (value == null || value.length == 0) {
            throw new InvalidRecordException("empty", "empty value: expected a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("not_json", "not UTF-8 JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("not_json", "not UTF-8 JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidRecordException("empty", "empty value: expected a JSON object");
        }
        if (!node.isObject()) {
            throw new InvalidRecordException("not_object", "not a JSON object: got " + kindOf(node));
        }
        return (ObjectNode) node;
    }

    /** Checks a parsed object against the schema and extracts its modeled cells. */
    public static ParsedRecord read(DatasetSchema schema, ObjectNode json) throws InvalidRecordException {
        double[] cells = schema.spec().emptyRow();
        List<ModeledColumn> columns = schema.modeled();
        for (int i = 0; i < columns.size(); i++) {
            ModeledColumn mc = columns.get(i);
            JsonNode v = json.get(mc.name());
            if (v == null || v.isNull()) {
                continue;
            }
            int offset = schema.spec().offset(i);
            Column c = mc.column();
            switch (c.kind()) {
                case CONTINUOUS -> cells[offset] = number(c, v, c.name());
                case INTEGER -> cells[offset] = integer(c, v, c.name());
                case CATEGORICAL -> cells[offset] = category(mc, v);
                case DATETIME -> cells[offset] = datetime(mc, v);
                case VECTOR -> vector(c, v, cells, offset);
                default -> throw new IllegalStateException("unknown kind " + c.kind());
            }
        }
        return new ParsedRecord(json, cells);
    }

    /** Convenience: bytes to a checked record. */
    public static ParsedRecord read(DatasetSchema schema, byte[] value) throws InvalidRecordException {
        return read(schema, parseObject(value));
    }

    /**
     * Writes the cells that were missing in {@code original} from {@code filled} into the JSON, and returns the
     * names of the filled columns (a vector column reads {@code name[k]} with k elements filled).
     */
    public static List<String> fill(DatasetSchema schema, ObjectNode json, double[] original, double[] filled) {
        List<String> names = new ArrayList<>(2);
        List<ModeledColumn> columns = schema.modeled();
        for (int i = 0; i < columns.size(); i++) {
            ModeledColumn mc = columns.get(i);
            Column c = mc.column();
            int offset = schema.spec().offset(i);
            if (c.kind() == io.ganstream.engine.table.ColumnKind.VECTOR) {
                int count = fillVector(json, mc, original, filled, offset);
                if (count > 0) {
                    names.add(c.name() + "[" + count + "]");
                }
            } else if (Double.isNaN(original[offset])) {
                json.set(c.name(), toJson(json, mc, filled[offset]));
                names.add(c.name());
            }
        }
        return names;
    }

    /** The JSON value of one scalar cell, as the schema wants it written. */
    public static JsonNode toJson(ObjectNode factorySource, ModeledColumn mc, double cell) {
        var f = factorySource;
        Column c = mc.column();
        double v = c.conform(cell);
        return switch (c.kind()) {
            case CONTINUOUS -> f.numberNode(v);
            case INTEGER -> f.numberNode((long) v);
            case CATEGORICAL -> {
                int k = (int) Math.max(0, Math.min(c.categories().size() - 1, Math.rint(v)));
                String label = c.categories().get(k);
                yield mc.boolean_() ? f.booleanNode(Boolean.parseBoolean(label)) : f.textNode(label);
            }
            case DATETIME -> f.textNode(mc.dateFormat() == DateFormat.DATE
                    ? LocalDate.ofEpochDay((long) v).toString()
                    : Instant.ofEpochSecond((long) v).toString());
            case VECTOR -> throw new IllegalArgumentException("vector cells are written element by element");
        };
    }

    private static int fillVector(ObjectNode json, ModeledColumn mc, double[] original, double[] filled, int offset) {
        Column c = mc.column();
        int missing = 0;
        for (int k = 0; k < c.width(); k++) {
            if (Double.isNaN(original[offset + k])) {
                missing++;
            }
        }
        if (missing == 0) {
            return 0;
        }
        JsonNode existing = json.get(c.name());
        ArrayNode array = existing instanceof ArrayNode a ? a : json.arrayNode(c.width());
        if (array != existing) {
            for (int k = 0; k < c.width(); k++) {
                array.addNull();
            }
            json.set(c.name(), array);
        }
        for (int k = 0; k < c.width(); k++) {
            if (Double.isNaN(original[offset + k])) {
                array.set(k, json.numberNode(c.conform(filled[offset + k])));
            }
        }
        return missing;
    }

    private static double number(Column c, JsonNode v, String where) throws InvalidRecordException {
        if (!v.isNumber()) {
            throw new InvalidRecordException("wrong_type", "column '" + where + "': expected a number, got " + kindOf(v));
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            throw new InvalidRecordException("non_finite", "column '" + where + "': non-finite number " + shown(v));
        }
        if (c.hasMin() && d < c.min()) {
            throw new InvalidRecordException("out_of_range", "column '" + where + "': " + shown(v) + " is below the minimum "
                    + plain(c.min()));
        }
        if (c.hasMax() && d > c.max()) {
            throw new InvalidRecordException("out_of_range", "column '" + where + "': " + shown(v) + " is above the maximum "
                    + plain(c.max()));
        }
        return d;
    }

    private static double integer(Column c, JsonNode v, String where) throws InvalidRecordException {
        double d = number(c, v, where);
        if (d != Math.rint(d)) {
            throw new InvalidRecordException("wrong_type", "column '" + where + "': expected an integer, got " + shown(v));
        }
        return d;
    }

    private static double category(ModeledColumn mc, JsonNode v) throws InvalidRecordException {
        Column c = mc.column();
        String label;
        if (mc.boolean_()) {
            if (!v.isBoolean()) {
                throw new InvalidRecordException("wrong_type", "column '" + c.name() + "': expected a boolean, got " + kindOf(v));
            }
            label = Boolean.toString(v.asBoolean());
        } else {
            if (!v.isTextual()) {
                throw new InvalidRecordException("wrong_type", "column '" + c.name() + "': expected a string, got " + kindOf(v));
            }
            label = v.asText();
        }
        int index = c.categories().indexOf(label);
        if (index < 0) {
            throw new InvalidRecordException("unknown_category", "column '" + c.name() + "': unknown category " + shown(v)
                    + ", expected one of " + abbreviate(c.categories().toString()));
        }
        return index;
    }

    private static double datetime(ModeledColumn mc, JsonNode v) throws InvalidRecordException {
        String name = mc.name();
        if (!v.isTextual()) {
            throw new InvalidRecordException("wrong_type", "column '" + name + "': expected a "
                    + (mc.dateFormat() == DateFormat.DATE ? "date" : "date-time") + " string, got " + kindOf(v));
        }
        try {
            return mc.dateFormat() == DateFormat.DATE
                    ? LocalDate.parse(v.asText()).toEpochDay()
                    : OffsetDateTime.parse(v.asText()).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException("bad_format", "column '" + name + "': " + shown(v) + " is not an ISO-8601 "
                    + (mc.dateFormat() == DateFormat.DATE ? "date (yyyy-mm-dd)" : "date-time with offset"));
        }
    }

    private static void vector(Column c, JsonNode v, double[] cells, int offset) throws InvalidRecordException {
        if (!v.isArray()) {
            throw new InvalidRecordException("wrong_type", "column '" + c.name() + "': expected an array of " + c.width()
                    + " numbers, got " + kindOf(v));
        }
        if (v.size() != c.width()) {
            throw new InvalidRecordException("wrong_length", "column '" + c.name() + "': expected " + c.width()
                    + " elements, got " + v.size());
        }
        for (int k = 0; k < c.width(); k++) {
            JsonNode e = v.get(k);
            if (!e.isNull()) {
                cells[offset + k] = number(c, e, c.name() + "[" + k + "]");
            }
        }
    }

    private static String kindOf(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> v.getNodeType().name().toLowerCase();
        };
    }

    private static String shown(JsonNode v) {
        return abbreviate(v.toString());
    }

    private static String abbreviate(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "…";
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

}
