package io.ganstream.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream's byte path ({@link RecordCodec#readBytes}, {@link RecordBytes#fill}) reads and fills exactly what the
 * tree path ({@link RecordCodec#read}, {@link RecordCodec#fill}) does, and leaves every byte it does not fill as the
 * producer wrote it.
 */
class RecordBytesTest {
    private final DatasetSchema schema;

    RecordBytesTest() throws InvalidSchemaException {
        schema = new SchemaParser().parse("mixed", SchemaParserTest.MIXED);
    }

    @Test
    void randomRecordsAreReadAndFilledAsTheTreePathDoes() throws Exception {
        Random rng = new Random(11);
        int spliced = 0;
        for (int n = 0; n < 2_000; n++) {
            byte[] value = randomRecord(rng).getBytes(StandardCharsets.UTF_8);
            ParsedRecord tree = RecordCodec.read(schema, value);
            RecordBytes bytes = RecordCodec.readBytes(schema, value);
            assertArrayEquals(tree.cells(), bytes.cells(), new String(value, StandardCharsets.UTF_8));
            assertEquals(tree.hasMissing(), bytes.hasMissing());

            double[] filled = tree.cells().clone();
            for (int i = 0; i < filled.length; i++) {
                if (Double.isNaN(filled[i])) {
                    filled[i] = rng.nextDouble() * 3 - 1; // out of some columns' ranges on purpose: conformed
                }
            }
            List<String> treeNames = RecordCodec.fill(schema, tree.json(), tree.cells(), filled);
            RecordBytes.Filled out = bytes.fill(schema, filled);
            assertEquals(treeNames, out.names());
            JsonNode expected = RecordCodec.mapper().readTree(RecordCodec.mapper().writeValueAsBytes(tree.json()));
            JsonNode written = RecordCodec.mapper().readTree(out.value());
            assertEquals(RecordCodec.mapper().writeValueAsString(expected),
                    RecordCodec.mapper().writeValueAsString(written), "the same values in the same order, from "
                            + new String(value, StandardCharsets.UTF_8));
            spliced += treeNames.isEmpty() ? 0 : 1;
        }
        assertTrue(spliced > 1_000, "most records had something to fill: " + spliced);
    }

    @Test
    void whatIsNotFilledKeepsTheProducersBytes() throws Exception {
        String in = "{ \"x\" : 2.50,\n  \"id\": \"caf\u00e9 \\u0041\", \"n\":null, \"notes\": {\"k\": [1, 2.0e0]},"
                + " \"v\": [0.5, null, 1, null] }\n";
        RecordBytes r = RecordCodec.readBytes(schema, in.getBytes(StandardCharsets.UTF_8));
        double[] filled = r.cells().clone();
        for (int i = 0; i < filled.length; i++) {
            filled[i] = Double.isNaN(filled[i]) ? 0.25 : filled[i];
        }
        RecordBytes.Filled out = r.fill(schema, filled);
        String text = new String(out.value(), StandardCharsets.UTF_8);
        assertEquals("{ \"x\" : 2.50,\n  \"id\": \"caf\u00e9 \\u0041\", \"n\":0, \"notes\": {\"k\": [1, 2.0e0]},"
                + " \"v\": [0.5, 0.25, 1, 0.25] ,\"c\":\"a\",\"b\":true,\"d\":\"1970-01-01\","
                + "\"t\":\"1970-01-01T00:00:00Z\"}\n",
                text);
        assertEquals(List.of("n", "c", "b", "d", "t", "v[2]"), out.names());
    }

    @Test
    void aRecordWithNothingMissingIsItsOwnBytes() throws Exception {
        byte[] value = ("{\"x\": 1, \"n\": 2, \"c\": \"a\", \"b\": true, \"d\": \"2020-01-02\","
                + " \"t\": \"2020-01-01T00:00:00Z\", \"v\": [0, 0, 0, 0]}").getBytes(StandardCharsets.UTF_8);
        RecordBytes r = RecordCodec.readBytes(schema, value);
        assertFalse(r.hasMissing());
        assertSame(value, r.value());
    }

    @Test
    void anEmptyObjectGetsEveryColumnWithoutALeadingComma() throws Exception {
        RecordBytes r = RecordCodec.readBytes(schema, "{}".getBytes(StandardCharsets.UTF_8));
        double[] filled = new double[r.cells().length];
        ObjectNode out = (ObjectNode) RecordCodec.mapper().readTree(r.fill(schema, filled).value());
        assertEquals(List.of("x", "n", "c", "b", "d", "t", "v"), names(out));
        assertEquals(4, out.get("v").size());
    }

    @Test
    void aByteOrderMarkDoesNotMisplaceTheFilledValues() throws Exception {
        byte[] body = "{\"n\": null, \"x\": 3}".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[body.length + 3];
        value[0] = (byte) 0xEF;
        value[1] = (byte) 0xBB;
        value[2] = (byte) 0xBF;
        System.arraycopy(body, 0, value, 3, body.length);
        RecordBytes r = RecordCodec.readBytes(schema, value);
        double[] filled = r.cells().clone();
        for (int i = 0; i < filled.length; i++) {
            filled[i] = Double.isNaN(filled[i]) ? 0 : filled[i];
        }
        filled[1] = 5;
        JsonNode out = RecordCodec.mapper().readTree(r.fill(schema, filled).value());
        assertEquals(5, out.get("n").asInt());
        assertEquals(3.0, out.get("x").asDouble());
    }

    @Test
    void faultsAreReportedInSchemaOrderWhateverTheOrderOfProperties() {
        String a = "{\"c\": \"z\", \"x\": -1}";
        String b = "{\"x\": -1, \"c\": \"z\"}";
        for (String json : List.of(a, b)) {
            InvalidRecordException e = assertThrows(InvalidRecordException.class,
                    () -> RecordCodec.readBytes(schema, json.getBytes(StandardCharsets.UTF_8)));
            assertEquals("column 'x': -1 is below the minimum 0", e.getMessage());
        }
        InvalidRecordException syntax = assertThrows(InvalidRecordException.class,
                () -> RecordCodec.readBytes(schema, "{\"x\": -1, \"c\": }".getBytes(StandardCharsets.UTF_8)));
        assertEquals("not_json", syntax.reasonClass(), "a syntax error anywhere comes before a column's fault");
    }

    @Test
    void invalidUtf8InACarriedPropertyIsRefused() {
        byte[] latin1 = "{\"id\": \"caf\u00e9\", \"x\": 1}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("not_json", assertThrows(InvalidRecordException.class,
                () -> RecordCodec.readBytes(schema, latin1)).reasonClass());
        byte[] nested = "{\"notes\": {\"a\": [\"caf\u00e9\"]}}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("not_json", assertThrows(InvalidRecordException.class,
                () -> RecordCodec.readBytes(schema, nested)).reasonClass());
    }

    @Test
    void duplicatesAndTrailingContentAreRefusedAnywhere() {
        for (String json : List.of("{\"notes\": {\"a\": 1, \"a\": 2}}", "{\"x\": 1} {}", "{\"x\": 1} x")) {
            assertEquals("not_json", assertThrows(InvalidRecordException.class,
                    () -> RecordCodec.readBytes(schema, json.getBytes(StandardCharsets.UTF_8))).reasonClass(), json);
        }
    }

    private static List<String> names(ObjectNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A valid record of the MIXED schema: each column present, null or absent, in a random order and spacing. */
    private static String randomRecord(Random rng) {
        List<String> props = new ArrayList<>();
        String[] values = {
                "\"x\":" + pick(rng, "2.5", "0", "10", "1e0", "7.125"),
                "\"n\":" + pick(rng, "-3", "12", "0"),
                "\"c\":" + pick(rng, "\"a\"", "\"c\""),
                "\"b\":" + pick(rng, "true", "false"),
                "\"d\":\"2021-0" + (1 + rng.nextInt(9)) + "-15\"",
                "\"t\":\"2020-01-01T00:00:0" + rng.nextInt(10) + "+01:00\"",
                "\"v\":" + vector(rng),
        };
        for (String v : values) {
            int u = rng.nextInt(4);
            if (u == 0) {
                props.add(v.substring(0, v.indexOf(':') + 1) + "null");
            } else if (u > 1) {
                props.add(v);
            }
        }
        if (rng.nextBoolean()) {
            props.add("\"id\": \"r\u00e9" + rng.nextInt(100) + "\\\"q\"");
        }
        if (rng.nextBoolean()) {
            props.add("\"notes\": {\"a\": [1, null, {\"b\": \"x\"}], \"c\": null}");
        }
        if (rng.nextBoolean()) {
            props.add("\"ref\": " + rng.nextInt(1000));
        }
        Collections.shuffle(props, rng);
        String sep = pick(rng, ",", ", ", " ,\n ");
        return pick(rng, "{", " { ") + String.join(sep, props) + pick(rng, "}", " }", "}\n");
    }

    private static String vector(Random rng) {
        StringBuilder s = new StringBuilder("[");
        for (int k = 0; k < 4; k++) {
            s.append(k == 0 ? "" : ", ").append(rng.nextInt(3) == 0 ? "null" : pick(rng, "0", "0.5", "1"));
        }
        return s.append(']').toString();
    }

    private static String pick(Random rng, String... options) {
        return options[rng.nextInt(options.length)];
    }
}
