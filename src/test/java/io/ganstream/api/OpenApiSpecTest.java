package io.ganstream.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document generated at build time describes every route of every controller, with its errors. */
class OpenApiSpecTest {
    private static Map<String, Object> spec;

    private record Route(String method, String path, Method handler) {
    }

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OpenApiSpecTest.class.getClassLoader().getResourceAsStream("META-INF/swagger/ganstream.yml")) {
            assertNotNull(in, "the build generates META-INF/swagger/ganstream.yml");
            spec = new Yaml().load(in);
        }
    }

    @Test
    void shouldDescribeEveryControllerRouteWithItsResponsesAndErrors() throws Exception {
        List<Route> routes = controllerRoutes();
        assertTrue(routes.size() >= 9, "found the controllers' routes: " + routes);
        Map<String, Object> paths = map(spec.get("paths"));
        for (Route route : routes) {
            String where = route.method() + " " + route.path();
            Map<String, Object> path = map(paths.get(route.path()));
            assertNotNull(path, where + " is in the spec");
            Map<String, Object> operation = map(path.get(route.method()));
            assertNotNull(operation, where + " is in the spec");
            assertTrue(String.valueOf(operation.get("summary")).length() > 5, where + " has a summary");
            Map<String, Object> responses = map(operation.get("responses"));
            assertTrue(responses.keySet().stream().anyMatch(code -> code.startsWith("2")), where + ": a success");
            assertTrue(responses.keySet().stream().anyMatch(code -> code.startsWith("4")), where + ": errors");
            for (var e : responses.entrySet()) {
                if (e.getKey().startsWith("4") || e.getKey().startsWith("5")) {
                    Object schema = map(map(map(map(e.getValue()).get("content")).get("application/json")).get("schema"));
                    assertEquals("#/components/schemas/Error", map(schema).get("$ref"), where + " " + e.getKey());
                }
            }
            if (!route.method().equals("get") && !route.method().equals("delete")) {
                assertNotNull(operation.get("requestBody"), where + " has its request body described");
            }
            if (route.path().contains("{name}")) {
                assertTrue(String.valueOf(operation.get("parameters")).contains("name=name"), where + ": {name}");
            }
        }
        // and the routes the contract names are among them
        for (String route : List.of("get /datasets", "put /datasets/{name}", "get /datasets/{name}",
                "delete /datasets/{name}", "get /datasets/{name}/model", "put /datasets/{name}/model",
                "post /datasets/{name}/samples", "post /datasets/{name}/impute", "get /datasets/{name}/samples.png")) {
            assertTrue(routes.stream().anyMatch(r -> (r.method() + " " + r.path()).equals(route)), route);
        }
    }

    @Test
    void shouldDescribeTheManagementEndpointsAndTheErrorBody() {
        Map<String, Object> paths = map(spec.get("paths"));
        for (String path : List.of("/health", "/health/liveness", "/health/readiness", "/prometheus", "/swagger/ganstream.yml")) {
            assertNotNull(map(paths.get(path)).get("get"), path);
        }
        Map<String, Object> error = map(map(map(spec.get("components")).get("schemas")).get("Error"));
        assertTrue(map(error.get("properties")).containsKey("error"), error.toString());
        assertFalse(String.valueOf(map(spec.get("info")).get("version")).contains("$"), "the version is expanded");
        Map<String, Object> putModel = map(map(paths.get("/datasets/{name}/model")).get("put"));
        assertTrue(map(map(putModel.get("requestBody")).get("content")).containsKey("application/octet-stream"));
    }

    /** Every route of the controllers in {@code io.ganstream.api}, read from their annotations. */
    private static List<Route> controllerRoutes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(DatasetController.class.getResource("DatasetController.class").toURI()).getParent();
        List<Route> routes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$")).toList()) {
                String name = f.getFileName().toString();
                Class<?> type = Class.forName("io.ganstream.api." + name.substring(0, name.length() - 6));
                Controller controller = type.getAnnotation(Controller.class);
                if (controller == null) {
                    continue;
                }
                for (Method m : type.getDeclaredMethods()) {
                    for (Annotation a : m.getAnnotations()) {
                        String value = a instanceof Get g ? g.value() : a instanceof Put p ? p.value()
                                : a instanceof Post p ? p.value() : a instanceof Delete d ? d.value() : null;
                        if (value != null) {
                            String path = (controller.value() + value).replaceAll("/$", "");
                            routes.add(new Route(a.annotationType().getSimpleName().toLowerCase(), path, m));
                        }
                    }
                }
            }
        }
        return routes;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }
}
