package io.ganstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ModeledColumn;
import io.ganstream.schema.RecordCodec;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Categorical conditions of the sample endpoints, from a JSON body or from query parameters, checked against the
 * dataset's schema: a 400 names what is wrong.
 */
final class Conditions {
    private Conditions() {
    }

    /**
     * The conditions of a samples request body ({@code {"conditions": {"column": "value"}}}, see
     * {@link SampleConditions}) as column index -> category index; none for an empty body; 400 when it is not
     * such a body.
     */
    static Map<Integer, Integer> parse(DatasetSchema schema, String body) {
        Map<Integer, Integer> out = new HashMap<>();
        if (body == null || body.isBlank()) {
            return out;
        }
        JsonNode json;
        try {
            json = RecordCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "body is not JSON: " + e.getMessage());
        }
        JsonNode given = json == null ? null : json.get("conditions");
        if (given == null || given.isNull()) {
            return out;
        }
        if (!given.isObject()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "\"conditions\" must be an object of column: value");
        }
        var fields = given.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            String label = e.getValue().isBoolean() ? Boolean.toString(e.getValue().asBoolean()) : e.getValue().asText();
            add(schema, e.getKey(), label, out);
        }
        return out;
    }

    /**
     * Adds the condition {@code column = label} as column index -> category index (what SynthModel takes, however
     * many cells the vector columns before it have); 400 when it is not one.
     */
    static void add(DatasetSchema schema, String column, String label, Map<Integer, Integer> out) {
        int index = schema.indexOf(column);
        if (index < 0 || !schema.modeled().get(index).column().isCategorical()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "column '" + column
                    + "' is not a categorical column of " + schema.name());
        }
        ModeledColumn mc = schema.modeled().get(index);
        int category = mc.column().categories().indexOf(label);
        if (category < 0) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "column '" + column + "': unknown category \""
                    + label + "\", expected one of " + mc.column().categories());
        }
        out.put(index, category);
    }
}
