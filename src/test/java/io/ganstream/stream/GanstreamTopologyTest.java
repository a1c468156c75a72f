package io.ganstream.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.schema.SchemaCache;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanstreamTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = """
            {"type": "object", "properties": {
              "id": {"type": "string"},
              "x": {"type": "number", "minimum": 0},
              "k": {"type": "integer"},
              "c": {"type": "string", "enum": ["a", "b"]}}}""";

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> raw;
    private final List<String> ensured = new ArrayList<>();
    private final FallbackOnlyModels models = new FallbackOnlyModels();

    @BeforeEach
    void setUp() {
        var deps = new PipelineDependencies(new SchemaCache(), models, PipelineEvents.NONE,
                ensured::add, 200);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(GanstreamTopology.build(new StreamsBuilder(), deps).build(), props);
        driver.createInputTopic(Topics.SCHEMAS, new StringSerializer(), new StringSerializer())
                .pipeInput("shop", SCHEMA);
        raw = driver.createInputTopic(Topics.raw("shop"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldFillMissingValuesWithTheRunningMeanAndModeAndNameThem() throws Exception {
        // given
        pipe("k1", "{\"id\": \"a\", \"x\": 1.0, \"k\": 2, \"c\": \"b\"}");
        pipe("k2", "{\"id\": \"b\", \"x\": 3.0, \"k\": 4, \"c\": \"b\"}");
        // when
        pipe("k3", "{\"id\": \"c\", \"x\": null, \"c\": \"a\"}");
        // then
        List<TestRecord<byte[], byte[]>> out = imputed().readRecordsToList();
        assertEquals(3, out.size());
        TestRecord<byte[], byte[]> last = out.get(2);
        assertArrayEquals("k3".getBytes(StandardCharsets.UTF_8), last.key());
        JsonNode record = JSON.readTree(last.value());
        assertEquals(2.0, record.get("x").asDouble(), "running mean of 1 and 3");
        assertEquals(3, record.get("k").asLong(), "running mean of 2 and 4, as an integer");
        assertTrue(record.get("k").isIntegralNumber());
        assertEquals("a", record.get("c").asText(), "observed value kept");
        assertEquals("c", record.get("id").asText(), "carried value kept");
        assertEquals("x,k", header(last, OutputHeaders.IMPUTED));
        assertEquals("fallback", header(last, OutputHeaders.MODEL));
        assertEquals("", header(out.get(0), OutputHeaders.IMPUTED), "complete records name no column");
        assertTrue(dlq().isEmpty());
        assertEquals(List.of("shop", "shop", "shop"), models.trained, "every valid record reaches the trainer");
    }

    @Test
    void shouldSendToDlqAndContinue() {
        // given
        List<String> bad = List.of("not json", "[1]", "{\"x\": \"1\"}", "{\"x\": -1}", "{\"c\": \"z\"}",
                "{\"k\": 1.5}", "{\"x\": 1e400}", "{\"id\": \"" + "y".repeat(300) + "\"}");
        // when
        for (int i = 0; i < bad.size(); i++) {
            pipe("bad" + i, bad.get(i));
        }
        raw.pipeInput(new TestRecord<>("empty".getBytes(StandardCharsets.UTF_8), new byte[0]));
        pipe("good", "{\"x\": 5}");
        // then
        List<TestRecord<byte[], byte[]>> dead = dlq().readRecordsToList();
        assertEquals(bad.size() + 1, dead.size());
        List<String> reasons = dead.stream().map(r -> header(r, OutputHeaders.ERROR)).toList();
        assertTrue(reasons.get(0).startsWith("not UTF-8 JSON"), reasons.get(0));
        assertTrue(reasons.get(1).startsWith("not a JSON object"), reasons.get(1));
        assertTrue(reasons.get(2).startsWith("column 'x': expected a number"), reasons.get(2));
        assertTrue(reasons.get(3).startsWith("column 'x': -1 is below the minimum 0"), reasons.get(3));
        assertTrue(reasons.get(4).startsWith("column 'c': unknown category"), reasons.get(4));
        assertTrue(reasons.get(5).startsWith("column 'k': expected an integer"), reasons.get(5));
        assertTrue(reasons.get(6).startsWith("column 'x': non-finite number"), reasons.get(6));
        assertTrue(reasons.get(7).contains("larger than the limit of 200 bytes"), reasons.get(7));
        assertTrue(reasons.get(8).startsWith("empty value"), reasons.get(8));
        for (int i = 0; i < bad.size(); i++) {
            assertArrayEquals(("bad" + i).getBytes(StandardCharsets.UTF_8), dead.get(i).key(), "key kept");
            assertArrayEquals(bad.get(i).getBytes(StandardCharsets.UTF_8), dead.get(i).value(), "bytes kept");
            assertEquals("shop.raw/0/" + i, header(dead.get(i), OutputHeaders.SOURCE));
        }
        assertEquals(1, imputed().readRecordsToList().size(), "the stream goes on after bad records");
        assertEquals(1, models.trained.size(), "invalid records are not trained on");
    }

    @Test
    void shouldDeadLetterRecordsOfUnregisteredDatasetsAndCreateTheirTopics() {
        var unknown = driver.createInputTopic(Topics.raw("ghost"), new ByteArraySerializer(), new ByteArraySerializer());
        unknown.pipeInput("g".getBytes(StandardCharsets.UTF_8), "{\"x\": 1}".getBytes(StandardCharsets.UTF_8));

        var dead = driver.createOutputTopic(Topics.dlq("ghost"), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
        assertEquals(1, dead.size());
        assertEquals("no schema registered for dataset 'ghost' (register it with PUT /datasets/ghost)",
                header(dead.get(0), OutputHeaders.ERROR));
        assertTrue(ensured.contains("ghost"));
    }

    @Test
    void shouldInpaintVectorElementsNameTheirCountAndDeadLetterBadVectors() throws Exception {
        // given: a dataset with a label and a 2x2 image
        driver.createInputTopic(Topics.SCHEMAS, new StringSerializer(), new StringSerializer()).pipeInput("img", """
                {"type": "object", "properties": {
                  "label": {"type": "string", "enum": ["a", "b"]},
                  "px": {"type": ["array", "null"], "items": {"type": ["number", "null"], "minimum": 0, "maximum": 9},
                         "minItems": 4, "maxItems": 4, "x-ganstream-image": {"width": 2, "height": 2}}}}""");
        var in = driver.createInputTopic(Topics.raw("img"), new ByteArraySerializer(), new ByteArraySerializer());
        String[] values = {
            "{\"label\": \"a\", \"px\": [1, 2, 3, 4]}",
            "{\"label\": \"a\", \"px\": [3, 4, 5, 6]}",
            "{\"label\": \"b\", \"px\": [null, 7, null, 1]}",
            "{\"label\": \"b\", \"px\": null}",
            "{\"label\": \"b\", \"px\": [1, 2, 3]}",
            "{\"label\": \"b\", \"px\": [1, \"x\", 3, 4]}",
            "{\"label\": \"b\", \"px\": [1, 2, 30, 4]}"};
        // when
        for (int i = 0; i < values.length; i++) {
            in.pipeInput(("r" + i).getBytes(StandardCharsets.UTF_8), values[i].getBytes(StandardCharsets.UTF_8));
        }
        // then
        var out = driver.createOutputTopic(Topics.imputed("img"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList();
        assertEquals(4, out.size());
        assertEquals("", header(out.get(1), OutputHeaders.IMPUTED));
        assertEquals("px[2]", header(out.get(2), OutputHeaders.IMPUTED), "the column and how many elements");
        JsonNode inpainted = JSON.readTree(out.get(2).value()).get("px");
        assertEquals(List.of(2.0, 7.0, 4.0, 1.0), List.of(inpainted.get(0).asDouble(), inpainted.get(1).asDouble(),
                inpainted.get(2).asDouble(), inpainted.get(3).asDouble()), "running means fill, observed kept");
        assertEquals("px[4]", header(out.get(3), OutputHeaders.IMPUTED), "a null array is every element");
        assertEquals(4, JSON.readTree(out.get(3).value()).get("px").size());
        var dead = driver.createOutputTopic(Topics.dlq("img"), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList().stream().map(r -> header(r, OutputHeaders.ERROR)).toList();
        assertEquals(3, dead.size());
        assertTrue(dead.get(0).startsWith("column 'px': expected 4 elements, got 3"), dead.get(0));
        assertTrue(dead.get(1).startsWith("column 'px[1]': expected a number, got a string"), dead.get(1));
        assertTrue(dead.get(2).startsWith("column 'px[2]': 30 is above the maximum 9"), dead.get(2));
    }

    @Test
    void shouldApplyANewSchemaVersionWithoutRestart() throws Exception {
        pipe("before", "{\"x\": 1, \"c\": \"c\"}");
        driver.createInputTopic(Topics.SCHEMAS, new StringSerializer(), new StringSerializer())
                .pipeInput("shop", SCHEMA.replace("[\"a\", \"b\"]", "[\"a\", \"b\", \"c\"]"));
        pipe("after", "{\"x\": 1, \"c\": \"c\"}");

        assertEquals(1, dlq().readRecordsToList().size());
        List<TestRecord<byte[], byte[]>> ok = imputed().readRecordsToList();
        assertEquals(1, ok.size());
        assertEquals("c", JSON.readTree(ok.get(0).value()).get("c").asText());
    }

    private void pipe(String key, String value) {
        raw.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                new RecordHeaders()));
    }

    private TestOutputTopic<byte[], byte[]> imputed() {
        return driver.createOutputTopic(Topics.imputed("shop"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private TestOutputTopic<byte[], byte[]> dlq() {
        return driver.createOutputTopic(Topics.dlq("shop"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
