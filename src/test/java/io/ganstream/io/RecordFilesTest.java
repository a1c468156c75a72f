package io.ganstream.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.RecordCodec;
import io.ganstream.schema.SchemaParser;
import io.ganstream.service.BundledSchemas;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldGatherElementColumnsIntoAnArrayWithEmptyFieldsAsNull() throws Exception {
        String csv = "label,px[0],px[1],px[2],note\nseven,0,,2.5,hi\n";
        List<ObjectNode> records = RecordFiles.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                "csv", null);

        assertEquals("{\"label\":\"seven\",\"px\":[0,null,2.5],\"note\":\"hi\"}", records.get(0).toString());
    }

    @Test
    void shouldKeepAHeaderThatIsItselfAPropertyOfTheSchema() throws Exception {
        var schema = JSON.readTree("{\"properties\": {\"a[0]\": {\"type\": \"string\"}}}");
        List<ObjectNode> records = RecordFiles.read(new ByteArrayInputStream("a[0]\n5\n".getBytes(StandardCharsets.UTF_8)),
                "csv", schema);

        assertEquals("5", records.get(0).get("a[0]").asText());
    }

    @Test
    void shouldReadTheBundledDigitsAsValidRecordsOfTheMnistSchema() throws Exception {
        DatasetSchema schema = new SchemaParser().parse("mnist", BundledSchemas.bundled().get("mnist"));
        List<ObjectNode> records;
        try (InputStream in = new GZIPInputStream(getClass().getClassLoader().getResourceAsStream("data/mnist.csv.gz"))) {
            records = RecordFiles.read(in, "csv", schema.document());
        }

        assertEquals(3000, records.size());
        assertEquals(784, records.get(0).get("pixels").size());
        assertTrue(records.get(0).get("label").isTextual(), "the label is a category, typed by the schema");
        for (ObjectNode r : records) {
            assertTrue(!RecordCodec.read(schema, r).hasMissing(), "every bundled digit is complete and valid");
        }
    }
}
