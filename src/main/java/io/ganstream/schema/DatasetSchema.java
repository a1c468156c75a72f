package io.ganstream.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.table.TableSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A registered dataset: its JSON Schema document, the columns it models and its training settings.
 * Immutable; a new registration makes a new instance.
 */
public final class DatasetSchema {
    private final String name;
    private final String text;
    private final ObjectNode document;
    private final List<ModeledColumn> modeled;
    private final Map<String, Integer> indexByName;
    private final TableSpec spec;
    private final TrainingSettings settings;
    private final String hash;

    DatasetSchema(String name, String text, ObjectNode document, List<ModeledColumn> modeled,
                  Map<String, Integer> indexByName, TrainingSettings settings) {
        this.name = name;
        this.text = text;
        this.document = document;
        this.modeled = List.copyOf(modeled);
        this.indexByName = Map.copyOf(indexByName);
        this.spec = new TableSpec(this.modeled.stream().map(ModeledColumn::column).toList());
        this.settings = settings;
        this.hash = sha256(text);
    }

    public String name() {
        return name;
    }

    /** The schema document as registered (compact JSON). */
    public String text() {
        return text;
    }

    /** A copy of the schema document, safe to modify. */
    public ObjectNode document() {
        return document.deepCopy();
    }

    public List<ModeledColumn> modeled() {
        return modeled;
    }

    /** Index of a modeled column by name, or -1 when the name is not a modeled column. */
    public int indexOf(String column) {
        return indexByName.getOrDefault(column, -1);
    }

    public TableSpec spec() {
        return spec;
    }

    public TrainingSettings settings() {
        return settings;
    }

    /** SHA-256 of the schema text: model checkpoints record it to detect an incompatible schema. */
    public String hash() {
        return hash;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
