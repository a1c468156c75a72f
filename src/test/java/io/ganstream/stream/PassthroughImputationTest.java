package io.ganstream.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.schema.SchemaCache;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The benchmark baseline: same topology, validation and routing, but records go out unfilled. */
class PassthroughImputationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> raw;

    @BeforeEach
    void setUp() {
        var deps = new PipelineDependencies(new SchemaCache(), new PassthroughImputation(), PipelineEvents.NONE,
                dataset -> { }, 200);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "passthrough-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(GanstreamTopology.build(new StreamsBuilder(), deps).build(), props);
        driver.createInputTopic(Topics.SCHEMAS, new StringSerializer(), new StringSerializer()).pipeInput("shop",
                "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}, \"c\": {\"type\": \"string\","
                        + " \"enum\": [\"a\", \"b\"]}}}");
        raw = driver.createInputTopic(Topics.raw("shop"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldPassValidRecordsThroughUnfilledAndStillDeadLetterInvalidOnes() throws Exception {
        // given
        raw.pipeInput(bytes("k1"), bytes("{\"x\": 1.5, \"c\": \"a\"}"));
        raw.pipeInput(bytes("k2"), bytes("{\"x\": null, \"c\": \"b\"}"));
        // when
        raw.pipeInput(bytes("k3"), bytes("{\"x\": \"not a number\"}"));
        // then
        List<TestRecord<byte[], byte[]>> out = driver.createOutputTopic(Topics.imputed("shop"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
        assertEquals(2, out.size());
        JsonNode unfilled = JSON.readTree(out.get(1).value());
        assertEquals(JSON.readTree("{\"x\": null, \"c\": \"b\"}"), unfilled, "identity: the missing cell stays missing");
        assertEquals("", header(out.get(1), OutputHeaders.IMPUTED));
        assertEquals("identity", header(out.get(1), OutputHeaders.MODEL));
        assertEquals(1.5, JSON.readTree(out.get(0).value()).get("x").asDouble());
        assertFalse(driver.createOutputTopic(Topics.dlq("shop"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).isEmpty(), "validation is unchanged");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
