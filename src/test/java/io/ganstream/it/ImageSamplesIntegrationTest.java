package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.io.ImageGrid;
import io.ganstream.support.MixedRecords;
import io.ganstream.support.Outputs;
import io.ganstream.support.ServiceInstance;
import io.ganstream.support.SharedKafkaBroker;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /datasets/{name}/samples.png}: 400 without an image column, 409 before a model, then a PNG grid. */
@Tag("integration")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ImageSamplesIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGES = """
            {"type": "object", "x-ganstream": {"windowRecords": 50, "stepsPerWindow": 5, "seed": 3,
              "syntheticPerRecord": 0.1},
             "properties": {
              "label": {"type": "string", "enum": ["dark", "light"]},
              "px": {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 255},
                     "minItems": 12, "maxItems": 12, "x-ganstream-image": {"width": 4, "height": 3}}}}""";
    private static final String PLAIN = """
            {"type": "object", "properties": {"x": {"type": "number"}}}""";

    @TempDir
    Path dataDir;

    @Test
    void shouldServeAPngGridOfConditionedSyntheticImages() throws Exception {
        try (ServiceInstance service = ServiceInstance.start("it-png-app", dataDir, Map.of())) {
            PipelineIntegrationTest.register(service, "it-png", IMAGES);
            PipelineIntegrationTest.register(service, "it-plain", PLAIN);
            var plain = assertThrows(HttpClientResponseException.class,
                    () -> service.http().exchange(HttpRequest.GET("/datasets/it-plain/samples.png"), byte[].class));
            assertEquals(400, plain.getStatus().getCode());
            var early = assertThrows(HttpClientResponseException.class,
                    () -> service.http().exchange(HttpRequest.GET("/datasets/it-png/samples.png"), String.class));
            assertEquals(409, early.getStatus().getCode());
            assertTrue(early.getResponse().getContentType().orElseThrow().toString().contains("json"),
                    "errors stay JSON: " + early.getResponse().getContentType());
            assertTrue(early.getResponse().getBody(String.class).orElse("").contains("no synthesizer model"));

            // when images flow: dark ones near 30, light ones near 220
            Random rng = new Random(1);
            List<MixedRecords.Item> items = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                boolean light = i % 2 == 1;
                StringBuilder px = new StringBuilder();
                for (int k = 0; k < 12; k++) {
                    px.append(k == 0 ? "" : ",").append((light ? 200 : 10) + rng.nextInt(40));
                }
                items.add(new MixedRecords.Item("k" + i, ("{\"label\": \"" + (light ? "light" : "dark")
                        + "\", \"px\": [" + px + "]}").getBytes(StandardCharsets.UTF_8), null));
            }
            PipelineIntegrationTest.publish(service.kafka(), "it-png", items);
            Outputs.read(service.kafka(), "it-png", 400, Duration.ofSeconds(60));
            awaitSynthesizer(service, "it-png");

            // then: a PNG of 10 images of 4x3 pixels scaled 3x, in a 4-wide grid (3 rows)
            var response = service.http().exchange(
                    HttpRequest.GET("/datasets/it-png/samples.png?count=10&scale=3&seed=2&label=light"), byte[].class);
            assertEquals("image/png", response.getContentType().orElseThrow().toString());
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(response.body()));
            assertEquals(ImageGrid.extent(4, 4, 3), png.getWidth());
            assertEquals(ImageGrid.extent(3, 3, 3), png.getHeight());
            assertEquals(4 * (4 * 3 + 2) + 2, png.getWidth(), "4 tiles of 12 px and 5 gaps of 2 px");
            assertTrue(response.getHeaders().get("ganstream-model").startsWith("ctgan-"));
            // the tiles hold images (grey levels), the gaps the backdrop
            int tile = png.getRGB(ImageGrid.GAP + 1, ImageGrid.GAP + 1);
            assertEquals(tile & 0xFF, (tile >> 16) & 0xFF, "a tile pixel is grey");
            assertEquals(0x203050, png.getRGB(0, 0) & 0xFFFFFF, "the backdrop");
            var unknown = assertThrows(HttpClientResponseException.class, () -> service.http().exchange(
                    HttpRequest.GET("/datasets/it-png/samples.png?label=grey"), byte[].class));
            assertEquals(400, unknown.getStatus().getCode());
        }
    }

    private static void awaitSynthesizer(ServiceInstance service, String dataset) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            JsonNode status = JSON.readTree(service.http().retrieve("/datasets/" + dataset));
            if (status.at("/synthesizer/version").isTextual()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no synthesizer model within 120 s");
    }
}
