package io.ganstream.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordCodecTest {
    private final DatasetSchema schema;

    RecordCodecTest() throws InvalidSchemaException {
        schema = new SchemaParser().parse("mixed", SchemaParserTest.MIXED);
    }

    @Test
    void shouldReadModeledValuesIntoCellsWithNaNForMissing() throws Exception {
        ParsedRecord r = RecordCodec.read(schema, bytes("""
                {"id": "r1", "x": 2.5, "n": null, "c": "b", "b": false, "d": "2020-01-02",
                 "t": "1970-01-01T00:01:00Z", "v": [0.5, null, 1, 0]}"""));
        double[] c = r.cells();
        assertEquals(2.5, c[0]);
        assertTrue(Double.isNaN(c[1]));
        assertEquals(1.0, c[2]);
        assertEquals(1.0, c[3], "false is the second category of a boolean");
        assertEquals(LocalDate.of(2020, 1, 2).toEpochDay(), c[4]);
        assertEquals(60.0, c[5]);
        assertArrayEquals(new double[]{0.5, Double.NaN, 1, 0}, new double[]{c[6], c[7], c[8], c[9]});
        assertTrue(r.hasMissing());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wrong type            | {\"x\": \"3\"}                 | column 'x': expected a number, got a string",
            "non-finite            | {\"x\": 1e999}                 | column 'x': non-finite number",
            "below minimum         | {\"x\": -1}                    | column 'x': -1 is below the minimum 0",
            "above maximum         | {\"x\": 11}                    | column 'x': 11 is above the maximum 10",
            "not an integer        | {\"n\": 1.5}                   | column 'n': expected an integer, got 1.5",
            "unknown category      | {\"c\": \"z\"}                 | column 'c': unknown category \"z\"",
            "boolean as string     | {\"b\": \"true\"}              | column 'b': expected a boolean, got a string",
            "bad date              | {\"d\": \"02/01/2020\"}        | column 'd': \"02/01/2020\" is not an ISO-8601 date",
            "date-time no offset   | {\"t\": \"2020-01-01T00:00\"}  | column 't': \"2020-01-01T00:00\" is not an ISO-8601 date-time",
            "vector length         | {\"v\": [1, 2]}                | column 'v': expected 4 elements, got 2",
            "vector element        | {\"v\": [0, \"a\", 0, 0]}      | column 'v[1]': expected a number, got a string",
            "vector element bound  | {\"v\": [0, 0, 2, 0]}          | column 'v[2]': 2 is above the maximum 1",
            "not JSON              | {\"x\": 1                      | not UTF-8 JSON",
            "not an object         | [1, 2]                         | not a JSON object: got an array",
            "duplicate property    | {\"x\": 1, \"x\": 2}           | not UTF-8 JSON: Duplicate field 'x'",
    })
    void shouldRejectWithAReasonNamingColumnAndProblem(String label, String json, String reason) {
        var e = assertThrows(InvalidRecordException.class, () -> RecordCodec.read(schema, bytes(json)));
        assertTrue(e.getMessage().startsWith(reason), "'" + e.getMessage() + "' should start with '" + reason + "'");
        var stream = assertThrows(InvalidRecordException.class, () -> RecordCodec.readBytes(schema, bytes(json)));
        assertEquals(e.reasonClass(), stream.reasonClass(), "the stream's byte path agrees");
        assertTrue(stream.getMessage().startsWith(reason), "'" + stream.getMessage() + "' should start with '" + reason + "'");
    }

    @Test
    void shouldRejectEmptyAndNonUtf8Values() {
        assertEquals("empty", assertThrows(InvalidRecordException.class,
                () -> RecordCodec.read(schema, new byte[0])).reasonClass());
        byte[] latin1 = "{\"id\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("not_json", assertThrows(InvalidRecordException.class,
                () -> RecordCodec.read(schema, latin1)).reasonClass());
    }

    @Test
    void shouldFillOnlyMissingCellsInTheSchemasFormatsAndNameThem() throws Exception {
        ParsedRecord r = RecordCodec.read(schema, bytes("{\"id\": \"r1\", \"x\": 2.5, \"v\": [0.5, null, 1, null]}"));
        double[] filled = r.cells().clone();
        double[] values = {99, 3.6, 2, 0, LocalDate.of(2021, 5, 6).toEpochDay(), 120, 0.1, 0.25, 0.3, 7};
        for (int i = 0; i < filled.length; i++) {
            if (Double.isNaN(filled[i])) {
                filled[i] = values[i];
            }
        }
        List<String> names = RecordCodec.fill(schema, r.json(), r.cells(), filled);
        ObjectNode j = r.json();

        assertEquals(List.of("n", "c", "b", "d", "t", "v[2]"), names);
        assertEquals("r1", j.get("id").asText(), "carried values untouched");
        assertEquals(2.5, j.get("x").asDouble(), "observed values untouched");
        assertTrue(j.get("n").isIntegralNumber(), "integers are written as integers");
        assertEquals(4, j.get("n").asLong());
        assertEquals("c", j.get("c").asText());
        assertTrue(j.get("b").isBoolean());
        assertEquals("2021-05-06", j.get("d").asText());
        assertEquals("1970-01-01T00:02:00Z", j.get("t").asText());
        assertEquals(0.5, j.get("v").get(0).asDouble());
        assertEquals(0.25, j.get("v").get(1).asDouble());
        assertEquals(1.0, j.get("v").get(3).asDouble(), "vector fills are clamped to the items' maximum");
    }

    /** A synthetic record's cell left missing (NaN in the row) is written as null, not as a number or a label. */
    @Test
    void shouldWriteACellLeftMissingAsNull() throws Exception {
        double[] row = schema.spec().emptyRow();
        double[] values = {99, 3.6, 2, 0, LocalDate.of(2021, 5, 6).toEpochDay(), 120, 0.1, 0.25, 0.3, 0.7};
        System.arraycopy(values, 0, row, 0, row.length);
        row[0] = Double.NaN;
        row[2] = Double.NaN;
        ObjectNode j = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        List<String> names = RecordCodec.fill(schema, j, schema.spec().emptyRow(), row);
        assertTrue(j.get("x").isNull(), j.toString());
        assertTrue(j.get("c").isNull(), j.toString());
        assertEquals(4, j.get("n").asLong(), j.toString());
        assertFalse(names.contains("x") || names.contains("c"), "a cell left missing was not filled: " + names);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
