package io.ganstream;

import io.ganstream.support.PrometheusTools;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert rules' logic, on synthetic series ({@code promtool test rules}): quiet on a healthy stream, and each
 * alert fires with its labels and text on the situation it describes. That their metrics exist in a real scrape is
 * PrometheusIntegrationTest's part.
 */
class AlertRulesTest {

    @Test
    void shouldFireEachAlertOnlyOnTheSituationItDescribes() {
        PrometheusTools.Result result = PrometheusTools.promtool(null, "test", "rules",
                "deploy/prometheus/tests/ganstream-alerts.test.yml");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }
}
