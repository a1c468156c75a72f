package io.ganstream.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded mix of valid records (with missing values) and every kind of invalid record the contract names,
 * for the {@code mixed} test schema.
 */
public final class MixedRecords {
    public static final String SCHEMA = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "type": "object", "properties": {
              "id": {"type": "string"},
              "x": {"type": "number", "minimum": 0, "maximum": 100},
              "y": {"type": "number"},
              "n": {"type": "integer"},
              "c": {"type": "string", "enum": ["red", "green", "blue"]},
              "d": {"type": "string", "format": "date"}}}""";

    /** Invalid values, each with the start of the reason it must be dead-lettered with. */
    public static final List<String[]> INVALID = List.of(
            new String[]{"{\"x\": \"12\"}", "column 'x': expected a number"},
            new String[]{"{\"x\": 1e999}", "column 'x': non-finite number"},
            new String[]{"{\"c\": \"purple\"}", "column 'c': unknown category"},
            new String[]{"{\"x\": 1000}", "column 'x': 1000 is above the maximum 100"},
            new String[]{"not json at all", "not UTF-8 JSON"},
            new String[]{"[{\"x\": 1}]", "not a JSON object"},
            new String[]{"", "empty value"},
            new String[]{"{\"id\": \"" + "z".repeat(3000) + "\"}", "record of"},
            new String[]{"{\"n\": 2.5}", "column 'n': expected an integer"},
            new String[]{"{\"d\": \"yesterday\"}", "column 'd': \"yesterday\" is not an ISO-8601 date"});

    public record Item(String key, byte[] value, String expectedReason) {
        public boolean valid() {
            return expectedReason == null;
        }
    }

    private MixedRecords() {
    }

    /** {@code count} records; every {@code invalidEvery}-th is invalid, cycling through {@link #INVALID}. */
    public static List<Item> generate(int count, int invalidEvery, long seed, String keyPrefix) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Item> items = new ArrayList<>();
        int bad = 0;
        for (int i = 0; i < count; i++) {
            String key = keyPrefix + i;
            if (invalidEvery > 0 && i % invalidEvery == invalidEvery - 1) {
                String[] b = INVALID.get(bad++ % INVALID.size());
                items.add(new Item(key, b[0].getBytes(StandardCharsets.UTF_8), b[1]));
                continue;
            }
            double x = random.nextDouble(0, 100);
            StringBuilder json = new StringBuilder("{\"id\": \"").append(key).append('"');
            if (random.nextDouble() > 0.2) {
                json.append(", \"x\": ").append(x);
            }
            if (random.nextDouble() > 0.2) {
                json.append(", \"y\": ").append(2 * x + random.nextGaussian());
            }
            if (random.nextDouble() > 0.2) {
                json.append(", \"n\": ").append((int) (x / 10));
            }
            if (random.nextDouble() > 0.2) {
                json.append(", \"c\": \"").append(x < 33 ? "red" : x < 66 ? "green" : "blue").append('"');
            } else {
                json.append(", \"c\": null");
            }
            if (random.nextDouble() > 0.2) {
                json.append(", \"d\": \"2024-0").append(1 + random.nextInt(9)).append("-1").append(random.nextInt(10))
                        .append('"');
            }
            json.append('}');
            items.add(new Item(key, json.toString().getBytes(StandardCharsets.UTF_8), null));
        }
        return items;
    }
}
