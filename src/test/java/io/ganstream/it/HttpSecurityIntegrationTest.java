package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.support.MixedRecords;
import io.ganstream.support.ServiceInstance;
import io.ganstream.support.SharedKafkaBroker;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** With a token configured, the running service refuses unauthenticated state changes; reads stay open. */
@Tag("integration")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpSecurityIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "it-token-4f9c";

    @TempDir
    Path dataDir;

    @Test
    void shouldRequireTheTokenForMutatingEndpointsAndServeNoOtherManagementEndpoint() throws Exception {
        String dataset = "it-auth";
        try (ServiceInstance service = ServiceInstance.start("it-auth-app", dataDir, Map.of(
                "ganstream.training.enabled", false, "ganstream.http.token", TOKEN,
                "micronaut.server.max-request-size", 8192))) {
            // when registering without the token, or with a wrong one
            var missing = assertThrows(HttpClientResponseException.class, () -> service.http().exchange(
                    put(dataset, MixedRecords.SCHEMA), String.class));
            var wrong = assertThrows(HttpClientResponseException.class, () -> service.http().exchange(
                    put(dataset, MixedRecords.SCHEMA).bearerAuth(TOKEN + "x"), String.class));
            // then 401 with a JSON error, and nothing is registered
            assertEquals(401, missing.getStatus().getCode());
            assertEquals("invalid token", error(wrong));
            assertEquals(401, wrong.getStatus().getCode());
            JsonNode body = JSON.readTree(missing.getResponse().getBody(String.class).orElseThrow());
            assertEquals(1, body.size(), body.toString());
            assertEquals("this endpoint needs an 'Authorization: Bearer <token>' header", body.path("error").asText());
            assertEquals(false, service.http().retrieve("/datasets").contains(dataset));

            // with the token it registers; reads and imputation need none
            assertEquals(201, service.http().exchange(put(dataset, MixedRecords.SCHEMA).bearerAuth(TOKEN), String.class)
                    .getStatus().getCode());
            assertEquals(true, service.http().retrieve("/datasets").contains("\"" + dataset + "\""));
            assertEquals(200, service.http().exchange(HttpRequest.POST("/datasets/" + dataset + "/impute", "{\"x\": 1}")
                    .contentType(MediaType.APPLICATION_JSON), String.class).getStatus().getCode());
            assertEquals(200, service.http().exchange("/prometheus", String.class).getStatus().getCode());
            assertEquals(200, service.http().exchange("/health/readiness", String.class).getStatus().getCode());

            // management endpoints that show configuration or change the service are not served
            for (String path : List.of("/env", "/beans", "/loggers", "/routes", "/threaddump", "/refresh")) {
                var e = assertThrows(HttpClientResponseException.class, () -> service.http().exchange(path, String.class));
                assertEquals(404, e.getStatus().getCode(), path);
            }
            // and the health monitor, which built a second StreamsService a minute after start, is off
            assertEquals(false, service.context().containsBean(io.micronaut.management.health.monitor.HealthMonitorTask.class));
            // and bodies over micronaut.server.max-request-size are refused
            var large = assertThrows(HttpClientResponseException.class, () -> service.http().exchange(
                    put(dataset, MixedRecords.SCHEMA + " ".repeat(16 * 1024)).bearerAuth(TOKEN), String.class));
            assertEquals(413, large.getStatus().getCode());
        }
    }

    private static io.micronaut.http.MutableHttpRequest<String> put(String dataset, String schema) {
        return HttpRequest.PUT("/datasets/" + dataset, schema).contentType(MediaType.APPLICATION_JSON);
    }

    private static String error(HttpClientResponseException e) throws Exception {
        return JSON.readTree(e.getResponse().getBody(String.class).orElseThrow()).path("error").asText();
    }
}
