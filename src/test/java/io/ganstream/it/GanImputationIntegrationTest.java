package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.support.MixedRecords;
import io.ganstream.support.Outputs;
import io.ganstream.support.ServiceInstance;
import io.ganstream.support.SharedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GAN imputer trained from the stream takes over from the fallback while records flow. */
@Tag("integration")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GanImputationIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = MixedRecords.SCHEMA.replace("\"type\": \"object\", \"properties\"",
            "\"type\": \"object\", \"x-ganstream\": {\"windowRecords\": 50, \"stepsPerWindow\": 20, \"seed\": 3, \"syntheticPerRecord\": 0}, "
                    + "\"properties\"");

    @TempDir
    Path dataDir;

    @Test
    void shouldSwitchFromFallbackToTrainedModelVersionsWithoutLosingRecords() throws Exception {
        String dataset = "it-gan";
        List<MixedRecords.Item> items = new ArrayList<>();
        try (ServiceInstance service = ServiceInstance.start("it-gan-app", dataDir, Map.of())) {
            PipelineIntegrationTest.register(service, dataset, SCHEMA);
            assertTrue(SCHEMA.contains("windowRecords"));
            // when: records flow; the first model version is published while they do, and more follow
            for (int batch = 0; batch < 4; batch++) {
                List<MixedRecords.Item> next = MixedRecords.generate(150, 25, 100 + batch, "g" + batch + "-");
                items.addAll(next);
                PipelineIntegrationTest.publish(service.kafka(), dataset, next);
                if (batch == 1) {
                    awaitModel(service, dataset);
                }
            }
            Outputs out = Outputs.read(service.kafka(), dataset, items.size(), Duration.ofSeconds(60));

            // then: every record accounted for, once
            assertEquals(items.size(), out.total());
            Set<String> keys = new HashSet<>();
            out.imputed().forEach(r -> keys.add(Outputs.key(r)));
            out.dlq().forEach(r -> keys.add(Outputs.key(r)));
            assertEquals(items.size(), keys.size());

            // the first records are filled by the fallback, later ones by increasing model versions
            List<String> versions = out.imputed().stream().map(Outputs::model).toList();
            assertEquals("fallback", versions.get(0));
            assertTrue(versions.stream().anyMatch(v -> v.startsWith("gain-")), "a trained model took over");
            Map<Integer, Long> lastVersion = new java.util.HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : out.imputed()) {
                long v = Outputs.model(r).equals("fallback") ? 0 : Long.parseLong(Outputs.model(r).substring(5));
                long before = lastVersion.getOrDefault(r.partition(), 0L);
                assertTrue(v >= before, "a partition never goes back to an older model: " + before + " -> " + v);
                lastVersion.put(r.partition(), v);
                JsonNode rec = JSON.readTree(r.value());
                double x = rec.get("x").asDouble();
                assertTrue(x >= 0 && x <= 100, "bounds respected: " + x);
                assertTrue(rec.get("n").isIntegralNumber());
                assertTrue(List.of("red", "green", "blue").contains(rec.get("c").asText()));
            }
            JsonNode described = JSON.readTree(service.http().retrieve("/datasets/" + dataset));
            assertTrue(described.at("/model/version").asText().startsWith("gain-"), described.toString());
            assertTrue(described.at("/model/steps").asLong() > 0);
            String metrics = service.http().retrieve("/prometheus");
            assertTrue(metrics.contains("ganstream_training_steps_total{dataset=\"it-gan\",model=\"imputer\"}"));
            assertTrue(metrics.contains("ganstream_quality_imputation_rmse{dataset=\"it-gan\",imputer=\"fallback\"}"));
        }
    }

    private static void awaitModel(ServiceInstance service, String dataset) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (JSON.readTree(service.http().retrieve("/datasets/" + dataset)).at("/model/version").asText()
                    .startsWith("gain-")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no model version for " + dataset + " within 60 s");
    }

    @Test
    void shouldResumeFromTheCheckpointAfterARestartWithoutFallingBack() throws Exception {
        String dataset = "it-resume";
        long stepsBefore;
        try (ServiceInstance first = ServiceInstance.start("it-resume-app", dataDir, Map.of())) {
            PipelineIntegrationTest.register(first, dataset, SCHEMA);
            for (int batch = 0; batch < 4; batch++) {
                PipelineIntegrationTest.publish(first.kafka(), dataset,
                        MixedRecords.generate(150, 0, 200 + batch, "a" + batch + "-"));
            }
            Outputs.read(first.kafka(), dataset, 600, Duration.ofSeconds(60));
            awaitModel(first, dataset);
            assertTrue(first.context().getBean(io.ganstream.service.DatasetModels.class).awaitTrained(dataset, 600, 60_000));
            JsonNode before = JSON.readTree(first.http().retrieve("/datasets/" + dataset));
            stepsBefore = before.at("/model/steps").asLong();
            assertTrue(before.at("/model/version").asText().startsWith("gain-"), before.toString());
        }
        try (ServiceInstance second = ServiceInstance.start("it-resume-app", dataDir, Map.of())) {
            PipelineIntegrationTest.publish(second.kafka(), dataset, MixedRecords.generate(20, 0, 300, "b-"));
            Outputs out = Outputs.read(second.kafka(), dataset, 620, Duration.ofSeconds(60));
            List<ConsumerRecord<byte[], byte[]>> after = out.imputed().stream()
                    .filter(r -> Outputs.key(r).startsWith("b-")).toList();
            assertEquals(20, after.size());
            after.forEach(r -> assertTrue(Outputs.model(r).startsWith("gain-"),
                    "after a restart the model imputes at once, not the fallback: " + Outputs.model(r)));
            JsonNode status = JSON.readTree(second.http().retrieve("/datasets/" + dataset));
            assertTrue(status.at("/model/steps").asLong() >= stepsBefore, "the step counter continues: " + status);
            assertTrue(second.http().retrieve("/prometheus")
                    .contains("ganstream_checkpoints_total{dataset=\"it-resume\",outcome=\"restored\"} 1.0"));
        }
    }

    @Test
    void shouldRejectACorruptedCheckpointCleanlyAndTrainAfresh() throws Exception {
        // given: a dataset whose stored checkpoint is garbage when the service starts
        String dataset = "it-corrupt";
        try (ServiceInstance first = ServiceInstance.start("it-corrupt-app", dataDir, Map.of())) {
            PipelineIntegrationTest.register(first, dataset, SCHEMA);
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(first.kafka(),
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(io.ganstream.stream.Topics.MODELS,
                        dataset, "this is not a checkpoint, just some bytes of garbage".getBytes())).get();
            }
        }
        // when
        try (ServiceInstance service = ServiceInstance.start("it-corrupt-app", dataDir, Map.of())) {
            for (int batch = 0; batch < 3; batch++) {
                PipelineIntegrationTest.publish(service.kafka(), dataset,
                        MixedRecords.generate(150, 0, 400 + batch, "c" + batch + "-"));
            }
            Outputs out = Outputs.read(service.kafka(), dataset, 450, Duration.ofSeconds(60));
            awaitModel(service, dataset);
            // then: reported (status, metric), trained afresh, nothing lost
            assertEquals(450, out.total());
            JsonNode status = JSON.readTree(service.http().retrieve("/datasets/" + dataset));
            assertTrue(status.at("/model/checkpointProblem").asText().contains("not a ganstream checkpoint"),
                    status.toString());
            assertTrue(status.at("/model/version").asText().startsWith("gain-"), status.toString());
            assertTrue(service.http().retrieve("/prometheus")
                    .contains("ganstream_checkpoints_total{dataset=\"it-corrupt\",outcome=\"rejected\"} 1.0"));
        }
    }

    @Test
    void shouldStoreAndReadBackACheckpointLargerThanOneMebibyte() throws Exception {
        try (ServiceInstance service = ServiceInstance.start("it-big-app", dataDir, Map.of())) {
            var checkpoints = service.context().getBean(io.ganstream.service.ModelCheckpoints.class);
            byte[] state = new byte[5 * 1024 * 1024];
            new java.util.Random(1).nextBytes(state);
            var written = new io.ganstream.engine.train.ModelCheckpoint("it-big", "hash", "test", 1L, 7, 1, state);
            checkpoints.write(written);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            java.util.Optional<byte[]> read = java.util.Optional.empty();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                read = checkpoints.latest("it-big");
                Thread.sleep(100);
            }
            assertTrue(read.isPresent(), "the checkpoint reached the global model store");
            var back = io.ganstream.engine.train.ModelCheckpoint.parse(read.get());
            assertTrue(read.get().length > 1024 * 1024);
            org.junit.jupiter.api.Assertions.assertArrayEquals(state, back.state());
        }
    }
}
