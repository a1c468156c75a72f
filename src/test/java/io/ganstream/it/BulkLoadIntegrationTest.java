package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.support.MixedRecords;
import io.ganstream.support.Outputs;
import io.ganstream.support.ServiceInstance;
import io.ganstream.support.SharedKafkaBroker;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first thing a user does: register a dataset and produce a file once, as fast as the producer can. A table
 * of 150 rows (fewer than one window of the old windowed training, which never trained a synthesizer for it)
 * ends with both models converged on every row, and samples served.
 */
@Tag("integration")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BulkLoadIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void shouldConvergeBothModelsOnASmallTableLoadedOnceAtFullSpeed() throws Exception {
        String dataset = "it-bulk";
        try (ServiceInstance service = ServiceInstance.start("it-bulk-app", dataDir, Map.of())) {
            // given
            PipelineIntegrationTest.register(service, dataset, MixedRecords.SCHEMA);
            // when: 150 records produced once, without pause
            PipelineIntegrationTest.publish(service.kafka(), dataset, MixedRecords.generate(150, 0, 77, "b-"));
            Outputs.read(service.kafka(), dataset, 150, Duration.ofSeconds(60));
            // then
            JsonNode status = awaitConverged(service, dataset);
            assertEquals(150, status.at("/model/rows/offered").asLong(), status.toString());
            assertEquals(150, status.at("/model/rows/learned").asLong(), "every row reached the imputer");
            assertEquals(150, status.at("/synthesizer/rows/learned").asLong(), "and the synthesizer");
            assertEquals(0, status.at("/model/rows/sampledOut").asLong());
            assertTrue(status.at("/model/version").asText().startsWith("gain-"), status.toString());
            var samples = service.http().exchange(HttpRequest.POST("/datasets/" + dataset + "/samples?count=20&seed=1",
                    "").contentType(MediaType.APPLICATION_JSON), String.class);
            assertEquals(200, samples.getStatus().getCode());
            assertEquals(20, JSON.readTree(samples.body()).size());
            long steps = status.at("/model/steps").asLong();
            Thread.sleep(1_500);
            assertEquals(steps, JSON.readTree(service.http().retrieve("/datasets/" + dataset)).at("/model/steps")
                    .asLong(), "a converged model rests without new rows");
        }
    }

    private static JsonNode awaitConverged(ServiceInstance service, String dataset) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            status = JSON.readTree(service.http().retrieve("/datasets/" + dataset));
            if ("converged".equals(status.at("/model/state").asText())
                    && "converged".equals(status.at("/synthesizer/state").asText())
                    && status.at("/synthesizer/version").isTextual()) {
                return status;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not converged within 180 s: " + status);
    }
}
