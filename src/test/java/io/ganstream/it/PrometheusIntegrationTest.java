package io.ganstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ganstream.support.DeployedQueries;
import io.ganstream.support.MixedRecords;
import io.ganstream.support.Outputs;
import io.ganstream.support.PrometheusServer;
import io.ganstream.support.PrometheusTools;
import io.ganstream.support.ServiceInstance;
import io.ganstream.support.SharedKafkaBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus (Debian's package) scrapes the running service while records flow: the deployed config, rules
 * and the scrape pass promtool, and every PromQL expression of the dashboards and alert rules returns data, so no
 * panel or alert is wired to a metric that does not exist.
 */
@Tag("integration")
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PrometheusIntegrationTest {
    private static final String DATASET = "it-prom";
    /** Small windows and few steps: both models publish versions within seconds. */
    private static final String SCHEMA = MixedRecords.SCHEMA.replace("\"type\": \"object\", \"properties\"",
            "\"type\": \"object\", \"x-ganstream\": {\"windowRecords\": 100, \"stepsPerWindow\": 5, \"seed\": 3}, "
                    + "\"properties\"");

    @TempDir
    Path dir;

    @Test
    void shouldAnswerEveryDashboardAndAlertQueryFromARealPrometheus() throws Exception {
        // given: the deployed Prometheus config and rules are valid
        PrometheusTools.Result config = PrometheusTools.promtool(null, "check", "config", "deploy/prometheus/prometheus.yml");
        assertEquals(0, config.exitCode(), config.output());
        for (Path rules : DeployedQueries.ruleFiles()) {
            PrometheusTools.Result checked = PrometheusTools.promtool(null, "check", "rules", rules.toString());
            assertEquals(0, checked.exitCode(), checked.output());
        }
        Files.createDirectories(dir.resolve("prometheus"));
        try (ServiceInstance service = ServiceInstance.start("it-prom-app", dir.resolve("data"), Map.of());
             PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"),
                     service.url().getHost() + ":" + service.url().getPort(), "/prometheus",
                     DeployedQueries.ruleFiles())) {
            // when records flow (every 25th invalid, so the DLQ has a rate too)
            PipelineIntegrationTest.register(service, DATASET, SCHEMA);
            List<MixedRecords.Item> items = MixedRecords.generate(600, 25, 11, "p-");
            PipelineIntegrationTest.publish(service.kafka(), DATASET, items);
            Outputs.read(service.kafka(), DATASET, items.size(), Duration.ofSeconds(60));
            // and rows reached both trainers, both models have trained, the imputer has been checkpointed and scored
            // (the synthesizer's quality gauges exist from its start; they show NaN until enough held-out rows are
            // collected)
            prometheus.awaitNumbers(Duration.ofSeconds(60),
                    "min(ganstream_training_rows_total{dataset=\"" + DATASET + "\",outcome=\"offered\"}) > 0",
                    "ganstream_checkpoint_age_seconds{dataset=\"" + DATASET + "\"}",
                    "ganstream_quality_imputation_rmse{dataset=\"" + DATASET + "\",imputer=\"gan\"}",
                    "ganstream_model_version{dataset=\"" + DATASET + "\",model=\"synthesizer\"} > 0");
            // rate() needs two samples of a series in its range: on a fast machine the models are ready before
            // Prometheus has scraped the newest counters twice
            prometheus.awaitNumbers(Duration.ofSeconds(30),
                    "rate(ganstream_records_in_total{dataset=\"" + DATASET + "\"}[1m])",
                    "rate(ganstream_training_steps_total{dataset=\"" + DATASET + "\"}[1m])",
                    "rate(ganstream_values_filled_total{dataset=\"" + DATASET + "\"}[1m])",
                    "rate(ganstream_imputation_latency_seconds_count{dataset=\"" + DATASET + "\"}[1m])",
                    "rate(ganstream_records_synthetic_total{dataset=\"" + DATASET + "\"}[1m])",
                    "rate(ganstream_training_rows_total{dataset=\"" + DATASET + "\",outcome=\"offered\"}[1m])");

            // then the scrape parses (promtool exits 1 on an error, 3 on lint findings only), and no lint finding
            // concerns ganstream's own meters (Kafka's and Micrometer's client names, e.g. "_ns_total", are theirs)
            Path scrape = Files.writeString(dir.resolve("scrape.txt"), service.http().retrieve("/prometheus"));
            PrometheusTools.Result lint = PrometheusTools.promtool(scrape, "check", "metrics");
            assertTrue(lint.exitCode() == 0 || lint.exitCode() == 3, lint.output());
            List<String> ours = lint.output().lines().filter(l -> l.startsWith("ganstream_")).toList();
            assertTrue(ours.isEmpty(), "lint findings on ganstream meters: " + ours);
            assertTrue(Files.readString(scrape).contains("ganstream_records_in_total{dataset=\"" + DATASET + "\"}"));
            // one KafkaStreams in the process (Micronaut's health monitor once built a second one after a minute)
            assertEquals(1, Files.readAllLines(scrape).stream().filter(l -> l.startsWith("kafka_stream_alive_stream_threads{")).count());

            // and every expression of the dashboards and rules returns data
            List<DeployedQueries.Query> queries = new ArrayList<>();
            DeployedQueries.dashboardFiles().forEach(d -> queries.addAll(DeployedQueries.dashboardQueries(d)));
            DeployedQueries.ruleFiles().forEach(r -> queries.addAll(DeployedQueries.ruleQueries(r)));
            assertTrue(queries.size() >= 20, "dashboards and rules found: " + queries.size());
            List<String> empty = new ArrayList<>();
            for (DeployedQueries.Query q : queries) {
                String expr = DeployedQueries.evaluable(q.expr(), DATASET, "1m");
                JsonNode data = prometheus.query(expr);
                if (data.path("result").isEmpty()) {
                    empty.add(q.source() + ": " + expr);
                }
            }
            assertTrue(empty.isEmpty(), "expressions without data:\n" + String.join("\n", empty));
        }
    }
}
