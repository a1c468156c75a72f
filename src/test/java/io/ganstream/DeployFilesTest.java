package io.ganstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganstream.support.DeployedQueries;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deploy files are well-formed and agree with each other and with the service: dashboards against the
 * provisioned datasource, compose and Kubernetes manifests against the image and the topics, the Dockerfile
 * against CI. (Whether every dashboard and alert query has data is PrometheusIntegrationTest's part.)
 */
class DeployFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEPLOY = Path.of("deploy");

    @Test
    void shouldHaveValidDashboardsWithUniquePanelIdsOnTheProvisionedDatasource() throws IOException {
        Set<String> provisionedUids = new HashSet<>();
        for (Map<String, Object> ds : list(yaml(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml")), "datasources")) {
            provisionedUids.add(String.valueOf(ds.get("uid")));
        }
        List<Path> dashboards = DeployedQueries.dashboardFiles();
        assertTrue(dashboards.size() >= 2, "overview and training dashboards: " + dashboards);
        Set<String> dashboardUids = new HashSet<>();
        for (Path file : dashboards) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            assertTrue(dashboardUids.add(dashboard.path("uid").asText()), "dashboard uid unique: " + file);
            Set<Integer> panelIds = new HashSet<>();
            List<JsonNode> panels = new ArrayList<>();
            flatten(dashboard.path("panels"), panels);
            assertFalse(panels.isEmpty(), file + " has panels");
            for (JsonNode panel : panels) {
                assertTrue(panel.path("id").isInt(), file + ": panel without a numeric id: " + panel.path("title"));
                assertTrue(panelIds.add(panel.get("id").asInt()), file + ": duplicate panel id " + panel.get("id"));
                List<JsonNode> refs = new ArrayList<>(panel.findValues("datasource"));
                assertFalse(refs.isEmpty(), file + ": panel " + panel.path("title") + " names no datasource");
                for (JsonNode ref : refs) {
                    assertTrue(provisionedUids.contains(ref.path("uid").asText()),
                            file + ": panel " + panel.path("title") + " uses datasource " + ref + ", provisioned: " + provisionedUids);
                }
            }
            JsonNode dataset = dashboard.at("/templating/list/0");
            assertEquals("dataset", dataset.path("name").asText(), file + ": dataset variable");
            assertTrue(provisionedUids.contains(dataset.at("/datasource/uid").asText()), file + ": variable datasource");
        }
        // the dashboards provider reads the folder compose mounts the dashboards into
        Map<String, Object> provider = list(yaml(DEPLOY.resolve("grafana/provisioning/dashboards/ganstream.yml")), "providers").get(0);
        String path = String.valueOf(((Map<?, ?>) provider.get("options")).get("path"));
        assertTrue(composeVolumes("grafana").contains("./grafana/dashboards:" + path + ":ro"), "compose mounts " + path);
    }

    @Test
    void shouldWireComposeServicesToFilesThatExist() throws IOException {
        Map<String, Object> services = map(yaml(DEPLOY.resolve("docker-compose.yml")), "services");
        assertEquals(Set.of("kafka", "ganstream", "prometheus", "grafana"), services.keySet());
        assertTrue(String.valueOf(map(services, "kafka").get("image")).startsWith("apache/kafka:"));
        assertEquals("kafka:9092", String.valueOf(map(map(services, "ganstream"), "environment").get("KAFKA_BOOTSTRAP_SERVERS")));
        for (String service : List.of("prometheus", "grafana")) {
            for (String volume : composeVolumes(service)) {
                if (volume.startsWith("./")) {
                    Path source = DEPLOY.resolve(volume.substring(2, volume.indexOf(':')));
                    assertTrue(Files.exists(source), service + " mounts a missing " + source);
                }
            }
        }
        // Prometheus scrapes the compose service name on the HTTP port, at /prometheus
        Map<String, Object> scrape = list(yaml(DEPLOY.resolve("prometheus/prometheus.yml")), "scrape_configs").get(0);
        assertEquals("/prometheus", scrape.get("metrics_path"));
        assertEquals(List.of("ganstream:8080"), list(scrape, "static_configs").get(0).get("targets"));
        // and Grafana's datasource is that Prometheus
        assertEquals("http://prometheus:9090",
                list(yaml(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml")), "datasources").get(0).get("url"));
    }

    @Test
    void shouldHaveKubernetesManifestsWithLabelsProbesResourcesAndTopics() throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(f))) {
                    assertNotNull(doc, f + " has an empty document");
                    docs.add(cast(doc));
                }
            }
        }
        Map<String, Map<String, Object>> byKindName = new HashMap<>();
        Set<String> topics = new HashSet<>();
        for (Map<String, Object> doc : docs) {
            if ("Kustomization".equals(doc.get("kind"))) {
                for (Object resource : (List<?>) doc.get("resources")) {
                    assertTrue(Files.exists(DEPLOY.resolve("k8s").resolve(resource.toString())), "kustomization lists " + resource);
                }
                continue;
            }
            Map<String, Object> metadata = map(doc, "metadata");
            String name = String.valueOf(metadata.get("name"));
            assertTrue(name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), "resource name: " + name);
            Map<String, Object> labels = map(metadata, "labels");
            assertEquals("ganstream", labels.get("app.kubernetes.io/name"), doc.get("kind") + " " + name);
            assertEquals("ganstream", labels.get("app.kubernetes.io/instance"), doc.get("kind") + " " + name);
            byKindName.put(doc.get("kind") + "/" + name, doc);
            if ("KafkaTopic".equals(doc.get("kind"))) {
                Map<String, Object> spec = map(doc, "spec");
                topics.add(String.valueOf(spec.get("topicName")));
                assertTrue(labels.containsKey("strimzi.io/cluster"), name);
                if (String.valueOf(spec.get("topicName")).startsWith("ganstream.")) {
                    assertEquals("compact", map(spec, "config").get("cleanup.policy"), name);
                }
            }
        }
        Set<String> expectedTopics = new HashSet<>(Set.of("ganstream.schemas", "ganstream.models"));
        try (Stream<Path> schemas = Files.list(Path.of("schemas/datasets"))) {
            for (Path schema : schemas.toList()) {
                String dataset = schema.getFileName().toString().replace(".schema.json", "");
                for (String suffix : List.of("raw", "imputed", "synthetic", "dlq")) {
                    expectedTopics.add(dataset + "." + suffix);
                }
            }
        }
        assertEquals(expectedTopics, topics, "a KafkaTopic for every topic of the bundled datasets");

        Map<String, Object> statefulSet = byKindName.get("StatefulSet/ganstream");
        assertNotNull(statefulSet, "the StatefulSet: " + byKindName.keySet());
        Map<String, Object> podSpec = map(map(map(statefulSet, "spec"), "template"), "spec");
        Map<String, Object> container = list(podSpec, "containers").get(0);
        assertEquals("/health/liveness", map(map(container, "livenessProbe"), "httpGet").get("path"));
        assertEquals("/health/readiness", map(map(container, "readinessProbe"), "httpGet").get("path"));
        assertTrue(map(map(container, "resources"), "requests").containsKey("memory"));
        assertTrue(map(map(container, "resources"), "limits").containsKey("memory"));
        assertEquals(Boolean.TRUE, map(podSpec, "securityContext").get("runAsNonRoot"));
        Map<String, Object> service = byKindName.get("Service/ganstream");
        assertEquals(map(map(statefulSet, "spec"), "selector").get("matchLabels"), map(service, "spec").get("selector"));
        assertNotNull(byKindName.get("ConfigMap/ganstream"));
    }

    @Test
    void shouldBuildTheImageWithCisMavenCommand() throws IOException {
        List<String> ci = Files.readAllLines(Path.of(".ci/run")).stream().map(String::strip)
                .filter(l -> l.startsWith("mvn ") && !l.equals("mvn -v")).toList();
        assertEquals(1, ci.size(), "one Maven build command in .ci/run: " + ci);

        String dockerfile = Files.readString(Path.of("Dockerfile"));
        String buildStage = dockerfile.substring(0, dockerfile.indexOf("\nFROM ", dockerfile.indexOf("AS build")));
        Map<String, String> args = new HashMap<>();
        Matcher arg = Pattern.compile("(?m)^ARG (\\w+)=\"?([^\"\\n]*)\"?$").matcher(buildStage);
        while (arg.find()) {
            args.put(arg.group(1), arg.group(2));
        }
        List<String> builds = new ArrayList<>();
        Matcher run = Pattern.compile("(?m)^RUN (mvn [^\\n]*)$").matcher(buildStage);
        while (run.find()) {
            if (!run.group(1).contains("dependency:go-offline")) {
                String command = run.group(1);
                for (Map.Entry<String, String> a : args.entrySet()) {
                    command = command.replace("${" + a.getKey() + "}", a.getValue());
                }
                builds.add(command.replaceAll("\\s+", " ").strip());
            }
        }
        assertEquals(ci, builds, "the image is built by CI's command (build args at their defaults)");
        assertTrue(dockerfile.contains("\nUSER 10001"), "runs as a non-root uid");
        assertTrue(dockerfile.contains("\nHEALTHCHECK "), "has a health check");
        assertTrue(dockerfile.contains("apt-get install") && dockerfile.contains("prometheus"),
                "the build stage installs what CI's tests need");
    }

    private static List<String> composeVolumes(String service) throws IOException {
        Map<String, Object> services = map(yaml(DEPLOY.resolve("docker-compose.yml")), "services");
        return ((List<?>) map(services, service).get("volumes")).stream().map(String::valueOf).toList();
    }

    private static void flatten(JsonNode panels, List<JsonNode> out) {
        for (JsonNode panel : panels) {
            out.add(panel);
            flatten(panel.path("panels"), out);
        }
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return cast(new Yaml().load(Files.readString(file)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        assertTrue(o instanceof Map, "a YAML mapping: " + o);
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return cast(parent.get(key));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.get(key);
    }
}
