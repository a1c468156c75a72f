package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.support.MixedRecords;
import io.ganstream.support.ServiceInstance;
import io.ganstream.support.SharedKafkaBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a client sends, the service answers with a 4xx and a JSON {@code {"error": ...}}, never a 5xx nor a
 * stack trace, and stays healthy: malformed JSON, wrong types, oversized bodies and schemas, out-of-range
 * parameters, unknown datasets, bad names, wrong methods and media types, on every endpoint.
 */
@Tag("integration")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HttpInputIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    private static final String BYTES_TYPE = "application/octet-stream";
    private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_SCHEMA_BYTES = 3_000_000;

    @TempDir
    Path dataDir;

    /** A request and the status it must get (0: any 4xx); {@code mentions}: text the error must contain. */
    private record Case(String method, String path, String contentType, byte[] body, int expected, String mentions) {
        @Override
        public String toString() {
            return method + " " + (path.length() > 90 ? path.substring(0, 90) + "..." : path) + " ["
                    + (body == null ? 0 : body.length) + " bytes]";
        }
    }

    @Test
    void shouldAnswerEveryMalformedRequestWithA4xxJsonErrorAndStayHealthy() throws Exception {
        String dataset = "it-input";
        try (ServiceInstance service = ServiceInstance.start("it-input-app", dataDir, Map.of(
                "ganstream.training.enabled", false,
                "ganstream.http.max-request-bytes", MAX_REQUEST_BYTES,
                // above what the broker takes as one record (1 MiB), so both schema limits are met below
                "ganstream.http.max-schema-bytes", MAX_SCHEMA_BYTES,
                "ganstream.http.max-impute-records", 100,
                "ganstream.http.max-sample-values", 50_000))) {
            PipelineIntegrationTest.register(service, dataset, MixedRecords.SCHEMA);
            HttpClient client = HttpClient.newHttpClient();
            List<Case> cases = cases(dataset);

            // when every case is sent
            List<String> failures = new ArrayList<>();
            for (Case c : cases) {
                HttpResponse<String> response = send(client, service, c);
                String problem = problem(c, response);
                if (problem != null) {
                    failures.add(c + " -> " + response.statusCode() + " " + response.headers().firstValue("content-type")
                            .orElse("-") + " " + abbreviate(response.body()) + ": " + problem);
                }
            }

            // then each got its 4xx JSON error
            assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed:\n"
                    + String.join("\n", failures));
            // and the service is healthy and serving afterwards
            HttpResponse<String> ready = get(client, service, "/health/readiness");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("UP", JSON.readTree(ready.body()).path("status").asText());
            assertEquals(200, get(client, service, "/health").statusCode());
            assertTrue(JSON.readTree(get(client, service, "/datasets").body()).toString().contains(dataset));
            HttpResponse<String> imputed = send(client, service, new Case("POST", "/datasets/" + dataset + "/impute",
                    JSON_TYPE, bytes("{\"x\": 10, \"c\": \"red\"}"), 200, null));
            assertEquals(200, imputed.statusCode(), imputed.body());
            assertEquals("fallback", JSON.readTree(imputed.body()).path("model").asText());
            HttpResponse<String> spec = get(client, service, "/swagger/ganstream.yml");
            assertEquals(200, spec.statusCode());
            assertTrue(spec.body().contains("/datasets/{name}/model"), "the OpenAPI spec is served");
        }
    }

    private static List<Case> cases(String dataset) {
        List<Case> cases = new ArrayList<>();
        String schema = MixedRecords.SCHEMA;
        String d = "/datasets/" + dataset;

        // bad names, on every endpoint that takes one
        for (String bad : List.of("Bad", "-x", "a".repeat(64), "x.y", "x%20y", "%C3%A9t%C3%A9", "x'y", "x%00y")) {
            String p = "/datasets/" + bad;
            int status = bad.contains("%") || bad.contains("'") ? 0 : 400;
            cases.add(new Case("GET", p, null, null, status, null));
            cases.add(new Case("PUT", p, JSON_TYPE, bytes(schema), status, null));
            cases.add(new Case("DELETE", p, null, null, status, null));
            cases.add(new Case("GET", p + "/model", null, null, status, null));
            cases.add(new Case("PUT", p + "/model", BYTES_TYPE, new byte[]{1, 2, 3}, status, null));
            cases.add(new Case("POST", p + "/impute", JSON_TYPE, bytes("{}"), status, null));
            cases.add(new Case("POST", p + "/samples?count=5", JSON_TYPE, null, status, null));
            cases.add(new Case("GET", p + "/samples.png", null, null, status, null));
        }
        // an unknown dataset
        String u = "/datasets/no-such-dataset";
        cases.add(new Case("GET", u, null, null, 404, "no dataset named"));
        cases.add(new Case("DELETE", u, null, null, 404, "no dataset named"));
        cases.add(new Case("GET", u + "/model", null, null, 404, null));
        cases.add(new Case("PUT", u + "/model", BYTES_TYPE, new byte[]{1, 2, 3}, 404, null));
        cases.add(new Case("POST", u + "/impute", JSON_TYPE, bytes("{\"x\": 1}"), 404, null));
        cases.add(new Case("POST", u + "/samples?count=5", JSON_TYPE, null, 404, null));
        cases.add(new Case("GET", u + "/samples.png?count=4", null, null, 404, null));

        // schemas: malformed, wrong types, wrong media type, too large
        String s = d + "-schema";
        for (String body : List.of("not json", "[]", "42", "\"a string\"", "null", "{\"type\": \"object\", \"properties\": 5}",
                "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\", \"minimum\": \"low\"}}}",
                "{\"type\": \"object\", \"properties\": {\"c\": {\"type\": \"string\", \"enum\": 7}}}",
                "{\"type\": \"object\", \"properties\": {\"v\": {\"type\": \"array\", \"items\": {\"type\": \"number\"}, "
                        + "\"minItems\": -3, \"maxItems\": -3}}}",
                "{\"type\": \"object\", \"x-ganstream\": {\"windowRecords\": -5}, \"properties\": {\"x\": {\"type\": \"number\"}}}",
                "{\"type\": \"object\", \"x-ganstream\": {\"batchSize\": \"big\"}, \"properties\": {\"x\": {\"type\": \"number\"}}}",
                "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"number\"}}")) {
            cases.add(new Case("PUT", s, JSON_TYPE, bytes(body), 400, null));
        }
        cases.add(new Case("PUT", s, JSON_TYPE, new byte[0], 400, null));
        cases.add(new Case("PUT", s, JSON_TYPE, new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1}, 400, null));
        cases.add(new Case("PUT", s, "application/xml", bytes("<schema/>"), 415, null));
        // a 200,000-value enum (2.4 MB): under the configured limit, over what Kafka takes as one record
        cases.add(new Case("PUT", s, JSON_TYPE, bytes(enumSchema(200_000)), 413, "ganstream.schemas"));
        // over the configured limit
        cases.add(new Case("PUT", s, JSON_TYPE, bytes(enumSchema(260_000)), 413, "ganstream.http.max-schema-bytes"));
        // over the request body limit
        cases.add(new Case("PUT", s, JSON_TYPE, bytes(enumSchema(400_000)), 413, String.valueOf(MAX_REQUEST_BYTES)));

        // impute: malformed, wrong types, too many records, wrong media type
        String i = d + "/impute";
        for (String body : List.of("not json", "42", "null", "\"x\"", "[1, 2]", "[]", "{\"x\": \"12\"}", "{\"x\": 1e999}",
                "{\"c\": \"purple\"}", "{\"x\": 1000}", "[{\"x\": 1}, {\"n\": 2.5}]", "{\"d\": \"yesterday\"}", "{\"x\": ")) {
            cases.add(new Case("POST", i, JSON_TYPE, bytes(body), 400, null));
        }
        cases.add(new Case("POST", i, JSON_TYPE, new byte[0], 400, null));
        cases.add(new Case("POST", i, JSON_TYPE, bytes("[" + String.join(",", java.util.Collections.nCopies(101,
                "{\"x\": 1}")) + "]"), 400, "ganstream.http.max-impute-records"));
        cases.add(new Case("POST", i, "text/plain", bytes("{\"x\": 1}"), 415, null));

        // samples: out-of-range and malformed parameters and bodies; no model yet: 409
        String sm = d + "/samples";
        for (String count : List.of("-1", "0", "1000000000", "99999999999", "abc", "1.5")) {
            cases.add(new Case("POST", sm + "?count=" + count, JSON_TYPE, null, 400, "count"));
        }
        cases.add(new Case("POST", sm + "?count=", JSON_TYPE, null, 0, null)); // the default count: 409 here
        cases.add(new Case("POST", sm + "?count=20000", JSON_TYPE, null, 400, "ganstream.http.max-sample-values"));
        cases.add(new Case("POST", sm + "?count=5&seed=xyz", JSON_TYPE, null, 400, null));
        for (String body : List.of("not json", "{\"conditions\": 5}", "{\"conditions\": {\"nope\": \"x\"}}",
                "{\"conditions\": {\"c\": \"purple\"}}", "{\"conditions\": {\"x\": \"1\"}}")) {
            cases.add(new Case("POST", sm + "?count=5", JSON_TYPE, bytes(body), 400, null));
        }
        cases.add(new Case("POST", sm + "?count=5", JSON_TYPE, bytes("{\"conditions\": {\"c\": \"red\"}}"), 409,
                "no synthesizer model"));
        cases.add(new Case("POST", sm + "?count=5", "application/xml", bytes("<x/>"), 415, null));

        // samples.png: no image column; out-of-range parameters
        for (String q : List.of("", "?count=-1", "?count=100000", "?scale=100", "?count=abc", "?label=7")) {
            cases.add(new Case("GET", d + "/samples.png" + q, null, null, 400, null));
        }

        // models: none yet, corrupt, for another schema, wrong media type, empty
        String m = d + "/model";
        cases.add(new Case("GET", m, null, null, 404, "no model"));
        cases.add(new Case("PUT", m, BYTES_TYPE, bytes("this is not a model file at all, just text"), 400, "not a ganstream checkpoint"));
        cases.add(new Case("PUT", m, BYTES_TYPE, new byte[0], 400, null));
        byte[] otherSchema = new ModelCheckpoint(dataset, "another-hash", "test", 1L, 3, 1, new byte[64]).toBytes();
        cases.add(new Case("PUT", m, BYTES_TYPE, otherSchema, 400, "another schema"));
        byte[] corrupt = otherSchema.clone();
        corrupt[corrupt.length / 2] ^= 0x55;
        cases.add(new Case("PUT", m, BYTES_TYPE, corrupt, 400, "CRC"));
        byte[] truncated = java.util.Arrays.copyOf(otherSchema, 20);
        cases.add(new Case("PUT", m, BYTES_TYPE, truncated, 400, null));
        cases.add(new Case("PUT", m, JSON_TYPE, bytes("{\"model\": 1}"), 415, null));

        // routes and methods that do not exist
        cases.add(new Case("PATCH", d, JSON_TYPE, bytes("{}"), 405, null));
        cases.add(new Case("POST", "/datasets", JSON_TYPE, bytes("{}"), 405, null));
        cases.add(new Case("DELETE", "/datasets", null, null, 405, null));
        cases.add(new Case("GET", "/no/such/route", null, null, 404, null));
        cases.add(new Case("GET", d + "/model/extra", null, null, 404, null));
        return cases;
    }

    /** Null when the answer is right, else what is wrong with it. */
    private static String problem(Case c, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 400 || status >= 500) {
            return "not a 4xx";
        }
        if (c.expected() != 0 && status != c.expected()) {
            return "expected " + c.expected();
        }
        if (!response.headers().firstValue("content-type").orElse("").startsWith(JSON_TYPE)) {
            return "not JSON";
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception e) {
            return "body is not JSON";
        }
        String error = body.path("error").asText("");
        if (body.size() != 1 || error.isBlank()) {
            return "not {\"error\": ...}";
        }
        if (error.contains("Exception") || error.contains("\tat ") || error.contains("io.ganstream.")) {
            return "internal details leak";
        }
        if (c.mentions() != null && !error.contains(c.mentions())) {
            return "the error does not mention " + c.mentions();
        }
        return null;
    }

    private static HttpResponse<String> send(HttpClient client, ServiceInstance service, Case c) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + c.path()))
                .timeout(java.time.Duration.ofSeconds(60))
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient client, ServiceInstance service, String path) throws Exception {
        return send(client, service, new Case("GET", path, null, null, 200, null));
    }

    /** A schema with one categorical column of {@code values} categories. */
    static String enumSchema(int values) {
        StringBuilder b = new StringBuilder("{\"type\": \"object\", \"properties\": {\"c\": {\"type\": \"string\", \"enum\": [");
        for (int k = 0; k < values; k++) {
            b.append(k == 0 ? "" : ",").append("\"value").append(k).append('"');
        }
        return b.append("]}}}").toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Test
    void enumSchemaSizesBracketTheLimits() {
        // the three oversized schemas above are on the intended sides of the limits
        int small = bytes(enumSchema(200_000)).length;
        assertTrue(small > 1024 * 1024 && small < MAX_SCHEMA_BYTES, "200,000 values: " + small);
        int configured = bytes(enumSchema(260_000)).length;
        assertTrue(configured > MAX_SCHEMA_BYTES && configured < MAX_REQUEST_BYTES, "260,000 values: " + configured);
        assertFalse(bytes(enumSchema(400_000)).length <= MAX_REQUEST_BYTES);
    }
}
