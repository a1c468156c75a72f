package io.ganstream.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads records from CSV (header row; empty field = missing), JSON lines or a JSON array, optionally gzipped.
 * CSV fields are typed with the dataset's JSON Schema when one is given (so "8" becomes the integer 8 for an
 * integer column and stays the string "8" for a string column); without one, what parses as a number is a number.
 * A CSV column named {@code name[k]} is element k of the array (vector) field {@code name}: a CSV row of an image
 * dataset carries one column per pixel and becomes {@code {"name": [p0, p1, ...]}}; an empty field is a
 * {@code null} element (a missing pixel).
 */
public final class RecordFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private RecordFiles() {
    }

    /** All records of a file. */
    public static List<ObjectNode> read(Path file, JsonNode schema) throws IOException {
        try (InputStream in = open(file)) {
            return read(in, formatOf(file), schema);
        }
    }

    /** All records of a stream in the given format: {@code csv}, {@code jsonl} or {@code json}. */
    public static List<ObjectNode> read(InputStream in, String format, JsonNode schema) throws IOException {
        return switch (format) {
            case "csv" -> readCsv(in, schema);
            case "jsonl" -> readJsonLines(in);
            case "json" -> readJsonArray(in);
            default -> throw new IllegalArgumentException("unknown format " + format);
        };
    }

    /** {@code csv}, {@code jsonl} or {@code json}, from the file name (a trailing .gz is ignored). */
    public static String formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv")) {
            return "csv";
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return "jsonl";
        }
        if (name.endsWith(".json")) {
            return "json";
        }
        throw new IllegalArgumentException("cannot tell the format of " + file
                + ": use .csv, .jsonl, .ndjson or .json (optionally .gz)");
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static List<ObjectNode> readCsv(InputStream in, JsonNode schema) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        JsonNode properties = schema == null ? null : schema.get("properties");
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).with(CsvSchema.emptySchema())
                .readValues(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (!rows.hasNext()) {
                return out;
            }
            String[] header = rows.next();
            ElementColumns elements = ElementColumns.of(header, properties);
            while (rows.hasNext()) {
                String[] fields = rows.next();
                if (fields.length == 1 && fields[0].isEmpty()) {
                    continue;
                }
                ObjectNode record = JsonNodeFactory.instance.objectNode();
                for (int i = 0; i < header.length; i++) {
                    String field = i < fields.length ? fields[i] : "";
                    if (elements.isElement(i)) {
                        elements.set(record, i, field);
                        continue;
                    }
                    JsonNode type = properties == null ? null : properties.path(header[i]).get("type");
                    record.set(header[i], typed(field, type));
                }
                out.add(record);
            }
        }
        return out;
    }

    /** One CSV field as JSON, by the declared type of its column (or by its looks when none is declared). */
    static JsonNode typed(String field, JsonNode declaredType) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (field.isEmpty()) {
            return f.nullNode();
        }
        String type = declaredType == null ? null : declaredType.isArray()
                ? firstNonNull(declaredType) : declaredType.asText();
        if (type == null) {
            JsonNode number = number(field, false);
            return number != null ? number : f.textNode(field);
        }
        switch (type) {
            case "number", "integer" -> {
                JsonNode number = number(field, "integer".equals(type));
                return number != null ? number : f.textNode(field);
            }
            case "boolean" -> {
                return "true".equalsIgnoreCase(field) || "false".equalsIgnoreCase(field)
                        ? f.booleanNode(Boolean.parseBoolean(field.toLowerCase())) : f.textNode(field);
            }
            case "array", "object" -> {
                try {
                    return JSON.readTree(field);
                } catch (IOException e) {
                    return f.textNode(field);
                }
            }
            default -> {
                return f.textNode(field);
            }
        }
    }

    private static String firstNonNull(JsonNode types) {
        for (JsonNode t : types) {
            if (!"null".equals(t.asText())) {
                return t.asText();
            }
        }
        return null;
    }

    private static JsonNode number(String field, boolean integral) {
        try {
            double d = Double.parseDouble(field);
            if (integral && d == Math.rint(d) && Math.abs(d) < 9e15) {
                return JsonNodeFactory.instance.numberNode((long) d);
            }
            return Double.isFinite(d) ? JsonNodeFactory.instance.numberNode(d) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<ObjectNode> readJsonLines(InputStream in) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = reader.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            if (!(node instanceof ObjectNode o)) {
                throw new IOException("line " + n + " is not a JSON object");
            }
            out.add(o);
        }
        return out;
    }

    private static List<ObjectNode> readJsonArray(InputStream in) throws IOException {
        JsonNode node = JSON.readTree(in);
        if (node == null || !node.isArray()) {
            throw new IOException("expected a JSON array of records");
        }
        List<ObjectNode> out = new ArrayList<>();
        Iterator<JsonNode> it = node.elements();
        int i = 0;
        while (it.hasNext()) {
            JsonNode e = it.next();
            if (!(e instanceof ObjectNode o)) {
                throw new IOException("element " + i + " is not a JSON object");
            }
            out.add(o);
            i++;
        }
        return out;
    }
}
