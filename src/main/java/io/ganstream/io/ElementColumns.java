package io.ganstream.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CSV columns named {@code name[k]}: element k of the array field {@code name} (one column per pixel of an
 * image). Elements are numbers (whole ones as integers; an empty field is {@code null}, a missing element); a header name that is
 * itself a property of the schema is never taken apart.
 */
final class ElementColumns {
    private static final Pattern ELEMENT = Pattern.compile("(.+)\\[(\\d+)]");

    /** Whole numbers stay integers (a pixel 255 is written 255, not 255.0), others are decimals. */
    private static final JsonNode WHOLE_OR_DECIMAL = TextNode.valueOf("integer");

    private final String[] arrayOf;
    private final int[] index;
    private final Map<String, Integer> widths;

    private ElementColumns(String[] arrayOf, int[] index, Map<String, Integer> widths) {
        this.arrayOf = arrayOf;
        this.index = index;
        this.widths = widths;
    }

    static ElementColumns of(String[] header, JsonNode properties) {
        String[] arrayOf = new String[header.length];
        int[] index = new int[header.length];
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
            Matcher m = ELEMENT.matcher(header[i]);
            if (!m.matches() || (properties != null && properties.has(header[i])) || m.group(2).length() > 6) {
                continue;
            }
            arrayOf[i] = m.group(1);
            index[i] = Integer.parseInt(m.group(2));
            widths.merge(arrayOf[i], index[i] + 1, Math::max);
        }
        return new ElementColumns(arrayOf, index, widths);
    }

    boolean isElement(int column) {
        return arrayOf[column] != null;
    }

    /** Writes the field of CSV column {@code column} into its array, creating the array (all nulls) first. */
    void set(ObjectNode record, int column, String field) {
        String name = arrayOf[column];
        JsonNode existing = record.get(name);
        ArrayNode array;
        if (existing instanceof ArrayNode a) {
            array = a;
        } else {
            array = record.putArray(name);
            for (int k = 0; k < widths.get(name); k++) {
                array.addNull();
            }
        }
        array.set(index[column], RecordFiles.typed(field, WHOLE_OR_DECIMAL));
    }
}
