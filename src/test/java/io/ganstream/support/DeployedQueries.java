package io.ganstream.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL expression of the deployed Grafana dashboards and Prometheus rule files, made evaluable against a
 * test Prometheus: dashboard variables get test values, and comparisons get {@code bool} (an alert's expression
 * returns nothing while things are healthy; with {@code bool} it returns data exactly when its metrics exist).
 */
public final class DeployedQueries {
    public static final Path DASHBOARDS = Path.of("deploy/grafana/dashboards");
    public static final Path RULES = Path.of("deploy/prometheus/rules");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*[a-zA-Z_]+\\)");

    /** One expression and where it was found. */
    public record Query(String source, String expr) {
    }

    private DeployedQueries() {
    }

    public static List<Path> dashboardFiles() {
        return list(DASHBOARDS, ".json");
    }

    public static List<Path> ruleFiles() {
        return list(RULES, ".yml");
    }

    /** Panel targets' {@code expr} (nested rows included) and query variables' metric selectors. */
    public static List<Query> dashboardQueries(Path dashboard) {
        try {
            JsonNode root = JSON.readTree(dashboard.toFile());
            List<Query> out = new ArrayList<>();
            collectPanels(dashboard.getFileName() + " ", root.path("panels"), out);
            for (JsonNode variable : root.path("templating").path("list")) {
                if ("query".equals(variable.path("type").asText())) {
                    JsonNode q = variable.path("query");
                    String text = q.isObject() ? q.path("query").asText() : q.asText();
                    Matcher m = LABEL_VALUES.matcher(text);
                    out.add(new Query(dashboard.getFileName() + " variable " + variable.path("name").asText(),
                            m.matches() ? m.group(1) : text));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectPanels(String prefix, JsonNode panels, List<Query> out) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    out.add(new Query(prefix + "panel '" + panel.path("title").asText() + "' "
                            + target.path("refId").asText(), target.get("expr").asText()));
                }
            }
            collectPanels(prefix, panel.path("panels"), out);
        }
    }

    /** The {@code expr} of every alerting and recording rule. */
    @SuppressWarnings("unchecked")
    public static List<Query> ruleQueries(Path rulesFile) {
        try {
            Map<String, Object> doc = new Yaml().load(Files.readString(rulesFile));
            List<Query> out = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
                    out.add(new Query(rulesFile.getFileName() + " " + name, String.valueOf(rule.get("expr"))));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The expression as the test evaluates it: Grafana's variables replaced ({@code $dataset} by the test's
     * dataset, intervals by {@code interval}) and every comparison outside label matchers made a {@code bool} one.
     */
    public static String evaluable(String expr, String dataset, String interval) {
        String substituted = expr.replace("$__rate_interval", interval).replace("$__interval", interval)
                .replace("$__range", interval).replace("${dataset}", dataset).replace("$dataset", dataset);
        return withBoolComparisons(substituted);
    }

    static String withBoolComparisons(String expr) {
        StringBuilder out = new StringBuilder();
        int braces = 0;
        boolean quoted = false;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            out.append(c);
            if (quoted) {
                if (c == '\\' && i + 1 < expr.length()) {
                    out.append(expr.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '{' -> braces++;
                case '}' -> braces--;
                case '=', '!', '<', '>' -> {
                    if (braces > 0) {
                        break;
                    }
                    String op = comparisonAt(expr, i);
                    if (op != null) {
                        out.append(op, 1, op.length());
                        i += op.length() - 1;
                        if (!expr.substring(i + 1).stripLeading().startsWith("bool")) {
                            out.append(" bool");
                        }
                    }
                }
                default -> {
                }
            }
        }
        return out.toString();
    }

    private static String comparisonAt(String expr, int i) {
        for (String op : new String[]{"==", "!=", ">=", "<=", ">", "<"}) {
            if (expr.startsWith(op, i)) {
                return op;
            }
        }
        return null;
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> out = new ArrayList<>();
            for (Iterator<Path> it = files.sorted().iterator(); it.hasNext(); ) {
                Path p = it.next();
                if (p.getFileName().toString().endsWith(suffix)) {
                    out.add(p);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
