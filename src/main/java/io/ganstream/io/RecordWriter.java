package io.ganstream.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Writes records as {@link RecordFiles} reads them: CSV (a header row; {@code null} is an empty field), JSON lines
 * or a JSON array, gzipped when the name ends in {@code .gz}. In CSV, a vector column {@code name} is written as
 * the columns {@code name[0]}..{@code name[n-1]}; any other array or object is written as its JSON text.
 */
public final class RecordWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordWriter() {
    }

    /**
     * Writes {@code records} to {@code file}, in the format its name says.
     *
     * @param vectors the names of the vector columns (split into one CSV column per element)
     */
    public static void write(Path file, List<ObjectNode> records, Set<String> vectors) throws IOException {
        String format = RecordFiles.formatOf(file);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = file.getFileName().toString().endsWith(".gz")
                     ? new GZIPOutputStream(raw, 1 << 16) : raw;
             Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            switch (format) {
                case "csv" -> writeCsv(w, records, vectors);
                case "jsonl" -> {
                    for (ObjectNode r : records) {
                        w.write(JSON.writeValueAsString(r));
                        w.write('\n');
                    }
                }
                case "json" -> {
                    w.write('[');
                    for (int i = 0; i < records.size(); i++) {
                        w.write(i == 0 ? "\n" : ",\n");
                        w.write(JSON.writeValueAsString(records.get(i)));
                    }
                    w.write("\n]\n");
                }
                default -> throw new IllegalArgumentException("unknown format " + format);
            }
        }
    }

    private static void writeCsv(Writer w, List<ObjectNode> records, Set<String> vectors) throws IOException {
        // the header: every field in the order it first appears, a vector as wide as its longest array
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (ObjectNode r : records) {
            Iterator<Map.Entry<String, JsonNode>> fields = r.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                int width = vectors.contains(f.getKey()) && f.getValue().isArray() ? f.getValue().size() : -1;
                widths.merge(f.getKey(), width, Math::max);
            }
        }
        List<String> header = new ArrayList<>();
        widths.forEach((name, width) -> {
            if (width < 0) {
                header.add(name);
            } else {
                for (int k = 0; k < width; k++) {
                    header.add(name + "[" + k + "]");
                }
            }
        });
        writeLine(w, header);
        List<String> fields = new ArrayList<>(header.size());
        for (ObjectNode r : records) {
            fields.clear();
            for (Map.Entry<String, Integer> column : widths.entrySet()) {
                JsonNode v = r.get(column.getKey());
                int width = column.getValue();
                if (width < 0) {
                    fields.add(field(v));
                } else {
                    for (int k = 0; k < width; k++) {
                        fields.add(v != null && v.isArray() ? field(v.get(k)) : "");
                    }
                }
            }
            writeLine(w, fields);
        }
    }

    private static String field(JsonNode v) throws JsonProcessingException {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isContainerNode()) {
            return JSON.writeValueAsString(v);
        }
        return v.asText();
    }

    private static void writeLine(Writer w, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(quoted(fields.get(i)));
        }
        w.write('\n');
    }

    static String quoted(String field) {
        boolean quote = field.isEmpty() ? false : field.indexOf(',') >= 0 || field.indexOf('"') >= 0
                || field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0
                || Character.isWhitespace(field.charAt(0)) || Character.isWhitespace(field.charAt(field.length() - 1));
        return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
