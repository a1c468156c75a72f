package io.ganstream.schema;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses schema texts once: the stream looks a dataset's schema text up for every record, and re-parsing it
 * each time would cost more than the imputation. A changed text is parsed again; so is a dataset whose stored
 * text was invalid, so a fix takes effect at once.
 */
public final class SchemaCache {
    private final SchemaParser parser = new SchemaParser();
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(String text, DatasetSchema schema, String error) {
    }

    /**
     * The parsed schema for {@code text}.
     *
     * @throws InvalidSchemaException when the text is not a usable schema
     */
    public DatasetSchema resolve(String dataset, String text) throws InvalidSchemaException {
        Entry e = entries.get(dataset);
        if (e == null || !e.text().equals(text)) {
            try {
                e = new Entry(text, parser.parse(dataset, text), null);
            } catch (InvalidSchemaException ex) {
                e = new Entry(text, null, ex.getMessage());
            }
            entries.put(dataset, e);
        }
        if (e.schema() == null) {
            throw new InvalidSchemaException(e.error());
        }
        return e.schema();
    }

    public SchemaParser parser() {
        return parser;
    }
}
