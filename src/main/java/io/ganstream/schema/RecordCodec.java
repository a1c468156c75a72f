package io.ganstream.schema;

import com.fasterxml.jackson.core.JsonParser;
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

    private RecordCodec() {
    }

    /** The mapper used for records everywhere, so parsing and writing agree. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses raw bytes; the checks that need no schema come first. */
    public static ObjectNode parseObject(byte[] value) throws InvalidRecordException {
        if (value == null || value.length == 0) {
            throw CellReader.empty();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(value);
        } catch (IOException e) {
            throw CellReader.notJson(e);
        }
        if (node == null || node.isMissingNode()) {
            throw CellReader.empty();
        }
        if (!node.isObject()) {
            throw new InvalidRecordException("not_object", "not a JSON object: got " + kindOf(node));
        }
        return (ObjectNode) node;
    }

    /** Checks a parsed object against the schema and extracts its modeled cells. */
    public static ParsedRecord read(DatasetSchema schema, ObjectNode json) throws InvalidRecordException {
        return new ParsedRecord(json, CellReader.read(schema, json.traverse(MAPPER), null));
    }

    /**
     * Checks a record's bytes against the schema without building a JSON tree: the stream's way, whose output
     * is these bytes with the filled values spliced in ({@link RecordBytes#fill}).
     */
    public static RecordBytes readBytes(DatasetSchema schema, byte[] value) throws InvalidRecordException {
        if (value == null || value.length == 0) {
            throw CellReader.empty();
        }
        CellReader.Positions positions = new CellReader.Positions(schema.modeled().size());
        try (JsonParser p = MAPPER.createParser(value)) {
            // CellReader refuses duplicate properties itself, with a flag per modeled column instead of a hash
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            return new RecordBytes(value, CellReader.read(schema, p, positions), positions);
        } catch (IOException e) {
            throw CellReader.notJson(e);
        }
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
            } else if (Double.isNaN(original[offset]) && Double.isNaN(filled[offset])) {
                json.putNull(c.name()); // left missing: a synthetic record's cell, as real records miss it
            } else if (Double.isNaN(original[offset])) {
                json.set(c.name(), toJson(json, mc, filled[offset]));
                names.add(c.name());
            }
        }
        return names;
    }

    /** The JSON value of one scalar cell, as the schema wants it written. */
    public static JsonNode toJson(ObjectNode factorySource, ModeledColumn mc, double cell) {
        Object v = scalarValue(mc, cell);
        if (v instanceof Double d) {
            return factorySource.numberNode(d);
        }
        if (v instanceof Long l) {
            return factorySource.numberNode(l);
        }
        return v instanceof Boolean b ? factorySource.booleanNode(b) : factorySource.textNode((String) v);
    }

    /**
     * What one scalar cell is written as: a {@code Double} (continuous), {@code Long} (integer), {@code Boolean}
     * (a boolean category) or {@code String} (a category label, an ISO-8601 date or date-time); the tree writer
     * ({@link #toJson}) and the byte splice ({@link RecordBytes}) both write this.
     */
    static Object scalarValue(ModeledColumn mc, double cell) {
        Column c = mc.column();
        double v = c.conform(cell);
        return switch (c.kind()) {
            case CONTINUOUS -> v;
            case INTEGER -> (long) v;
            case CATEGORICAL -> {
                int k = (int) Math.max(0, Math.min(c.categories().size() - 1, Math.rint(v)));
                String label = c.categories().get(k);
                yield mc.boolean_() ? (Object) Boolean.parseBoolean(label) : label;
            }
            case DATETIME -> mc.dateFormat() == DateFormat.DATE
                    ? LocalDate.ofEpochDay((long) v).toString()
                    : Instant.ofEpochSecond((long) v).toString();
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
}
