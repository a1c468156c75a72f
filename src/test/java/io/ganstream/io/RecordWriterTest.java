package io.ganstream.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldWriteVectorElementsAsColumnsAndQuoteWhatNeedsIt() throws Exception {
        ObjectNode a = (ObjectNode) JSON.readTree("{\"name\":\"a, \\\"b\\\"\",\"px\":[1,null,2.5],\"n\":null}");
        ObjectNode b = (ObjectNode) JSON.readTree("{\"name\":\"c\",\"px\":null,\"n\":3}");
        Path file = dir.resolve("out.csv");

        RecordWriter.write(file, List.of(a, b), Set.of("px"));

        assertEquals(List.of("name,px[0],px[1],px[2],n", "\"a, \"\"b\"\"\",1,,2.5,", "c,,,,3"),
                Files.readAllLines(file));
        List<ObjectNode> back = RecordFiles.read(file, null);
        assertEquals(a.toString(), back.get(0).toString());
        assertEquals("{\"name\":\"c\",\"px\":[null,null,null],\"n\":3.0}", back.get(1).toString());
    }

    @Test
    void shouldRoundTripJsonLinesGzipped() throws Exception {
        ObjectNode a = (ObjectNode) JSON.readTree("{\"x\":1.5,\"tags\":[\"a\"],\"o\":{\"k\":true}}");
        Path file = dir.resolve("out.jsonl.gz");

        RecordWriter.write(file, List.of(a, a), Set.of());

        assertEquals(List.of(a, a), RecordFiles.read(file, null));
    }
}
