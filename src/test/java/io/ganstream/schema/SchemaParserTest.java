package io.ganstream.schema;

import io.ganstream.engine.table.ColumnKind;
import io.ganstream.service.BundledSchemas;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaParserTest {
    private final SchemaParser parser = new SchemaParser();

    static final String MIXED = """
            {"type": "object", "properties": {
              "id": {"type": "string"},
              "ref": {"type": "integer", "x-ganstream-role": "id"},
              "x": {"type": "number", "minimum": 0, "maximum": 10},
              "n": {"type": ["integer", "null"]},
              "c": {"type": "string", "enum": ["a", "b", "c"]},
              "b": {"type": "boolean"},
              "d": {"type": "string", "format": "date"},
              "t": {"type": "string", "format": "date-time"},
              "v": {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1},
                    "minItems": 4, "maxItems": 4, "x-ganstream-image": {"width": 2, "height": 2}},
              "notes": {"type": "object"}
            }, "x-ganstream": {"windowRecords": 32, "seed": 7}}
            """;

    @Test
    void shouldMapEveryContractKindAndCarryTheRest() throws Exception {
        DatasetSchema s = parser.parse("mixed", MIXED);

        List<String> names = s.modeled().stream().map(ModeledColumn::name).toList();
        assertEquals(List.of("x", "n", "c", "b", "d", "t", "v"), names);
        assertEquals(ColumnKind.CONTINUOUS, s.modeled().get(0).column().kind());
        assertEquals(10.0, s.modeled().get(0).column().max());
        assertEquals(ColumnKind.INTEGER, s.modeled().get(1).column().kind());
        assertEquals(List.of("a", "b", "c"), s.modeled().get(2).column().categories());
        assertTrue(s.modeled().get(3).boolean_());
        assertEquals(DateFormat.DATE, s.modeled().get(4).dateFormat());
        assertEquals(DateFormat.DATE_TIME, s.modeled().get(5).dateFormat());
        assertEquals(4, s.modeled().get(6).column().width());
        assertTrue(s.modeled().get(6).column().isImage(), "x-ganstream-image reaches the engine's column");
        assertEquals(2, s.modeled().get(6).column().imageHeight());
        assertEquals(2, s.modeled().get(6).column().imageWidth());
        assertEquals(6 + 4, s.spec().cellCount());
        assertEquals(32, s.settings().windowRecords());
        assertEquals(7L, s.settings().seed());
        assertEquals(TrainingSettings.DEFAULTS.stepsPerWindow(), s.settings().stepsPerWindow());
        assertTrue(s.settings().privacyFilter(), "the privacy filter is on by default");
        assertEquals(0.01, s.settings().privacyQuantile());
        assertTrue(s.settings().syntheticMissing(), "synthetic records miss cells as real ones by default");
    }

    @Test
    void shouldReadWhetherSyntheticRecordsMissCells() throws Exception {
        DatasetSchema s = parser.parse("p", "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}, "
                + "\"x-ganstream\": {\"syntheticMissing\": false}}");
        assertEquals(false, s.settings().syntheticMissing());
        assertReason("{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}, "
                + "\"x-ganstream\": {\"syntheticMissing\": 1}}", "true or false");
    }

    @Test
    void shouldReadThePrivacyFilterSettings() throws Exception {
        DatasetSchema s = parser.parse("p", "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}, "
                + "\"x-ganstream\": {\"privacyFilter\": false, \"privacyQuantile\": 0.05}}");
        assertEquals(false, s.settings().privacyFilter());
        assertEquals(0.05, s.settings().privacyQuantile());
        assertReason("{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}, "
                + "\"x-ganstream\": {\"privacyFilter\": \"yes\"}}", "true or false");
        assertReason("{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}, "
                + "\"x-ganstream\": {\"privacyQuantile\": 0.9}}", "number in 0..0.5");
        assertReason("{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}, "
                + "\"x-ganstream\": {\"privacyQuantile\": -0.1}}", "number in 0..0.5");
    }

    @Test
    void shouldReadATargetThatNamesACategoricalColumn() throws Exception {
        String props = "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}, "
                + "\"c\": {\"type\": \"string\", \"enum\": [\"a\", \"b\"]}, \"ok\": {\"type\": \"boolean\"}}";
        assertNull(parser.parse("p", props + "}").settings().target(), "no target unless named");
        DatasetSchema s = parser.parse("p", props + ", \"x-ganstream\": {\"target\": \"c\"}}");
        assertEquals("c", s.settings().target());
        assertEquals(1, io.ganstream.schema.ModelConfigs.synthConfig(s).targetColumn());
        assertEquals(2, io.ganstream.schema.ModelConfigs.synthConfig(parser.parse("p",
                props + ", \"x-ganstream\": {\"target\": \"ok\"}}")).targetColumn());
        assertEquals(-1, io.ganstream.schema.ModelConfigs.synthConfig(parser.parse("p", props + "}")).targetColumn());
        assertReason(props + ", \"x-ganstream\": {\"target\": \"x\"}}", "'x' is not one");
        assertReason(props + ", \"x-ganstream\": {\"target\": \"nope\"}}", "'nope' is not one");
        assertReason(props + ", \"x-ganstream\": {\"target\": 3}}", "target must be a column name");
    }

    @Test
    void shouldReadAPerDatasetStepBudget() throws Exception {
        assertEquals(0, parser.parse("p", "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}}")
                .settings().stepBudget(), "0: the instance's budget");
        assertEquals(5000, parser.parse("p", "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}, "
                + "\"x-ganstream\": {\"stepBudget\": 5000}}").settings().stepBudget());
        assertReason("{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}, "
                + "\"x-ganstream\": {\"stepBudget\": -1}}", "positive integer");
    }

    @Test
    void shouldRejectWhatIsNotAValidJsonSchemaWithTheValidatorsReason() {
        var e = assertThrows(InvalidSchemaException.class,
                () -> parser.parse("bad", "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": 12}}}"));
        assertTrue(e.getMessage().startsWith("not a valid JSON Schema"), e.getMessage());
    }

    @Test
    void shouldRejectSchemasThatCannotDescribeADataset() {
        assertReason("{not json", "not valid JSON");
        assertReason("[]", "must be a JSON object");
        assertReason("{\"type\": \"array\"}", "\"type\" must be \"object\"");
        assertReason("{\"type\": \"object\"}", "needs \"properties\"");
        assertReason("{\"type\": \"object\", \"properties\": {\"s\": {\"type\": \"string\"}}}", "no modeled column");
        assertReason("{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}, "
                + "\"x-ganstream\": {\"windowRecord\": 3}}", "unknown setting");
        assertReason("{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}, "
                + "\"x-ganstream\": {\"batchSize\": 0}}", "positive integer");
        assertReason("{\"type\": \"object\", \"properties\": {\"v\": {\"type\": \"array\", \"items\": {\"type\": "
                + "\"number\"}, \"minItems\": 4, \"maxItems\": 4, \"x-ganstream-image\": {\"width\": 3, \"height\": 3}}}}",
                "width × height");
    }

    @Test
    void shouldRejectInvalidDatasetNames() {
        assertThrows(InvalidSchemaException.class, () -> parser.parse("Bad Name", MIXED));
        assertThrows(InvalidSchemaException.class, () -> parser.parse("-x", MIXED));
        assertFalse(DatasetNames.isValid("a".repeat(64)));
        assertTrue(DatasetNames.isValid("a".repeat(63)));
    }

    @Test
    void shouldParseEveryShippedSchemaAndBundleExactlyThose() throws IOException, InvalidSchemaException {
        List<String> files;
        try (Stream<Path> list = Files.list(Path.of("schemas/datasets"))) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".schema.json"))
                    .map(n -> n.substring(0, n.length() - ".schema.json".length())).sorted().toList();
        }
        assertEquals(files, BundledSchemas.bundled().keySet().stream().sorted().toList(),
                "src/main/resources/datasets/index.txt must list every file of schemas/datasets");
        for (var e : BundledSchemas.bundled().entrySet()) {
            DatasetSchema s = parser.parse(e.getKey(), e.getValue());
            assertFalse(s.modeled().isEmpty());
        }
    }

    private void assertReason(String text, String expected) {
        var e = assertThrows(InvalidSchemaException.class, () -> parser.parse("d", text));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should mention " + expected);
    }
}
