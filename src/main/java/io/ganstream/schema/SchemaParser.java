package io.ganstream.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.ganstream.engine.table.Column;

import java.util.function.Function;
import java.util.function.Predicate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a JSON Schema (draft 2020-12) document into a {@link DatasetSchema}, following the column kinds of
 * the public contract. The document is first checked against the draft 2020-12 meta-schema with a real
 * validator, so a malformed schema is refused with the validator's own words.
 */
public final class SchemaParser {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final JsonSchema META_SCHEMA = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012));
    private static final Set<String> SETTINGS = Set.of("windowRecords", "stepsPerWindow", "batchSize",
            "replayCapacity", "syntheticPerRecord", "checkpointEveryWindows", "seed", "privacyFilter",
            "privacyQuantile", "stepBudget", "target", "syntheticMissing");
    private static final int MAX_VECTOR_WIDTH = 65_536;

    /** Parses and checks {@code text} as the schema of dataset {@code name}. */
    public DatasetSchema parse(String name, String text) throws InvalidSchemaException {
        if (!DatasetNames.isValid(name)) {
            throw new InvalidSchemaException("invalid dataset name '" + name + "'");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidSchemaException("schema is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidSchemaException("schema must be a JSON object");
        }
        Set<ValidationMessage> problems = META_SCHEMA.validate(node);
        if (!problems.isEmpty()) {
            throw new InvalidSchemaException("not a valid JSON Schema (draft 2020-12): " + problems.stream()
                    .map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
        }
        ObjectNode doc = (ObjectNode) node;
        if (!"object".equals(doc.path("type").asText())) {
            throw new InvalidSchemaException("a dataset schema describes one record: \"type\" must be \"object\"");
        }
        JsonNode properties = doc.get("properties");
        if (properties == null || !properties.isObject() || properties.isEmpty()) {
            throw new InvalidSchemaException("schema needs \"properties\" naming the record's columns");
        }
        List<ModeledColumn> modeled = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            ModeledColumn column = columnOf(field.getKey(), field.getValue());
            if (column != null) {
                index.put(column.name(), modeled.size());
                modeled.add(column);
            }
        }
        if (modeled.isEmpty()) {
            throw new InvalidSchemaException("schema has no modeled column (number, integer, enum, boolean, "
                    + "date, date-time or fixed-length numeric array)");
        }
        TrainingSettings settings = settingsOf(doc.get("x-ganstream"));
        if (settings.target() != null) {
            Integer t = index.get(settings.target());
            if (t == null || !modeled.get(t).column().isCategorical()) {
                throw new InvalidSchemaException("\"x-ganstream\".target must name a categorical column of the "
                        + "schema (enum or boolean); '" + settings.target() + "' is not one");
            }
        }
        return new DatasetSchema(name, doc.toString(), doc, modeled, index, settings);
    }

    private static ModeledColumn columnOf(String name, JsonNode prop) throws InvalidSchemaException {
        if (!prop.isObject() || "id".equals(prop.path("x-ganstream-role").asText())) {
            return null;
        }
        String type = typeOf(prop);
        if (type == null) {
            return null;
        }
        switch (type) {
            case "number":
                return new ModeledColumn(Column.continuous(name, bound(prop, "minimum"), bound(prop, "maximum")),
                        false, null);
            case "integer":
                return new ModeledColumn(Column.integer(name, bound(prop, "minimum"), bound(prop, "maximum")),
                        false, null);
            case "boolean":
                return new ModeledColumn(Column.categorical(name, List.of("true", "false")), true, null);
            case "string":
                return stringColumn(name, prop);
            case "array":
                return vectorColumn(name, prop);
            default:
                return null;
        }
    }

    /** The single non-null type of a property; {@code ["number", "null"]} counts as number. */
    private static String typeOf(JsonNode prop) {
        JsonNode type = prop.get("type");
        if (type == null) {
            return prop.has("enum") ? "string" : null;
        }
        if (type.isTextual()) {
            return type.asText();
        }
        if (type.isArray()) {
            List<String> types = new ArrayList<>();
            type.forEach(t -> {
                if (!"null".equals(t.asText())) {
                    types.add(t.asText());
                }
            });
            return types.size() == 1 ? types.get(0) : null;
        }
        return null;
    }

    private static ModeledColumn stringColumn(String name, JsonNode prop) throws InvalidSchemaException {
        JsonNode values = prop.get("enum");
        if (values != null) {
            List<String> categories = new ArrayList<>();
            for (JsonNode v : values) {
                if (v.isNull()) {
                    continue;
                }
                if (!v.isTextual()) {
                    throw new InvalidSchemaException("column '" + name + "': enum values must be strings");
                }
                categories.add(v.asText());
            }
            if (categories.isEmpty()) {
                throw new InvalidSchemaException("column '" + name + "': enum has no values");
            }
            return new ModeledColumn(Column.categorical(name, categories), false, null);
        }
        String format = prop.path("format").asText("");
        if ("date".equals(format)) {
            return new ModeledColumn(Column.datetime(name), false, DateFormat.DATE);
        }
        if ("date-time".equals(format)) {
            return new ModeledColumn(Column.datetime(name), false, DateFormat.DATE_TIME);
        }
        return null;
    }

    private static ModeledColumn vectorColumn(String name, JsonNode prop) throws InvalidSchemaException {
        JsonNode items = prop.get("items");
        JsonNode minItems = prop.get("minItems");
        JsonNode maxItems = prop.get("maxItems");
        if (items == null || minItems == null || maxItems == null || !minItems.canConvertToInt()
                || minItems.asInt() != maxItems.asInt()) {
            return null;
        }
        String itemType = typeOf(items);
        if (!"number".equals(itemType) && !"integer".equals(itemType)) {
            return null;
        }
        int width = minItems.asInt();
        if (width < 1 || width > MAX_VECTOR_WIDTH) {
            throw new InvalidSchemaException("column '" + name + "': vector length must be 1.." + MAX_VECTOR_WIDTH);
        }
        JsonNode image = prop.get("x-ganstream-image");
        if (image != null && (image.path("width").asInt() < 1 || image.path("height").asInt() < 1
                || image.path("width").asInt() * image.path("height").asInt() != width)) {
            throw new InvalidSchemaException("column '" + name + "': x-ganstream-image width × height must equal "
                    + width);
        }
        Column column = image == null
                ? Column.vector(name, width, bound(items, "minimum"), bound(items, "maximum"))
                : Column.image(name, image.path("height").asInt(), image.path("width").asInt(),
                        bound(items, "minimum"), bound(items, "maximum"));
        return new ModeledColumn(column, false, null);
    }

    private static double bound(JsonNode prop, String keyword) {
        JsonNode b = prop.get(keyword);
        return b != null && b.isNumber() ? b.asDouble() : Double.NaN;
    }

    private static TrainingSettings settingsOf(JsonNode node) throws InvalidSchemaException {
        TrainingSettings d = TrainingSettings.DEFAULTS;
        if (node == null) {
            return d;
        }
        if (!node.isObject()) {
            throw new InvalidSchemaException("\"x-ganstream\" must be an object");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!SETTINGS.contains(key)) {
                throw new InvalidSchemaException("unknown setting \"x-ganstream\"." + key + " (known: "
                        + SETTINGS.stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
        }
        return new TrainingSettings(
                positiveInt(node, "windowRecords", d.windowRecords()),
                positiveInt(node, "stepsPerWindow", d.stepsPerWindow()),
                positiveInt(node, "batchSize", d.batchSize()),
                positiveInt(node, "replayCapacity", d.replayCapacity()),
                nonNegative(node, "syntheticPerRecord", d.syntheticPerRecord()),
                positiveInt(node, "checkpointEveryWindows", d.checkpointEveryWindows()),
                node.has("seed") ? longValue(node, "seed") : d.seed(),
                booleanValue(node, "privacyFilter", d.privacyFilter()),
                quantile(node, "privacyQuantile", d.privacyQuantile()),
                node.has("stepBudget") ? positiveInt(node, "stepBudget", 0) : d.stepBudget(),
                setting(node, "target", d.target(), JsonNode::isTextual, "a column name", JsonNode::asText),
                booleanValue(node, "syntheticMissing", d.syntheticMissing()));
    }

    private static boolean booleanValue(JsonNode node, String key, boolean fallback) throws InvalidSchemaException {
        return setting(node, key, fallback, JsonNode::isBoolean, "true or false", JsonNode::asBoolean);
    }

    private static double quantile(JsonNode node, String key, double fallback) throws InvalidSchemaException {
        return setting(node, key, fallback,
                v -> v.isNumber() && v.asDouble() >= 0 && v.asDouble() <= TrainingSettings.MAX_PRIVACY_QUANTILE,
                "a number in 0.." + TrainingSettings.MAX_PRIVACY_QUANTILE, JsonNode::asDouble);
    }

    private static int positiveInt(JsonNode node, String key, int fallback) throws InvalidSchemaException {
        return setting(node, key, fallback, v -> v.canConvertToInt() && v.isIntegralNumber() && v.asInt() >= 1,
                "a positive integer", JsonNode::asInt);
    }

    private static double nonNegative(JsonNode node, String key, double fallback) throws InvalidSchemaException {
        return setting(node, key, fallback, v -> v.isNumber() && v.asDouble() >= 0 && Double.isFinite(v.asDouble()),
                "a number >= 0", JsonNode::asDouble);
    }

    /**
     * The {@code x-ganstream} setting {@code key} of {@code node} read by {@code value}, {@code fallback} when
     * absent; an {@link InvalidSchemaException} saying what it {@code must} be when {@code valid} refuses it.
     */
    private static <T> T setting(JsonNode node, String key, T fallback, Predicate<JsonNode> valid, String must,
                                 Function<JsonNode, T> value) throws InvalidSchemaException {
        JsonNode v = node.get(key);
        if (v == null) {
            return fallback;
        }
        if (!valid.test(v)) {
            throw new InvalidSchemaException("\"x-ganstream\"." + key + " must be " + must);
        }
        return value.apply(v);
    }

    private static long longValue(JsonNode node, String key) throws InvalidSchemaException {
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidSchemaException("\"x-ganstream\"." + key + " must be an integer");
        }
        return v.asLong();
    }
}
