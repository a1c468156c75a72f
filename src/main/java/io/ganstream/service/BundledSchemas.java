package io.ganstream.service;

import io.ganstream.config.GanstreamConfig;
import io.ganstream.kafka.TopicAdmin;
import io.ganstream.schema.InvalidSchemaException;
import io.ganstream.schema.SchemaParser;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The schemas shipped with ganstream (in the jar, listed in {@code datasets/index.txt}) and those in the
 * configured schemas directory. At start, each one whose dataset has no schema yet is registered; a schema
 * registered at runtime with {@code PUT /datasets/{name}} is never overwritten by a file.
 */
@Singleton
public class BundledSchemas {
    private static final Logger LOG = LoggerFactory.getLogger(BundledSchemas.class);
    static final String SUFFIX = ".schema.json";

    private final GanstreamConfig config;
    private final SchemaWriter writer;
    private final TopicAdmin admin;
    private final SchemaParser parser = new SchemaParser();

    public BundledSchemas(GanstreamConfig config, SchemaWriter writer, TopicAdmin admin) {
        this.config = config;
        this.writer = writer;
        this.admin = admin;
    }

    /** Registers every known schema file whose dataset is not registered yet. */
    public void registerAbsent() {
        Map<String, String> present = writer.readAll();
        for (Map.Entry<String, String> e : all().entrySet()) {
            if (present.containsKey(e.getKey())) {
                continue;
            }
            try {
                parser.parse(e.getKey(), e.getValue());
            } catch (InvalidSchemaException ex) {
                LOG.error("Skipping schema file of dataset {}: {}", e.getKey(), ex.getMessage());
                continue;
            }
            admin.ensureOutputTopics(e.getKey());
            writer.write(e.getKey(), e.getValue());
            LOG.info("Registered dataset {} from its schema file", e.getKey());
        }
    }

    /** Dataset name to schema text: bundled first, the directory's files override them. */
    public Map<String, String> all() {
        Map<String, String> schemas = new LinkedHashMap<>(bundled());
        Path dir = Path.of(config.getSchemasDir());
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                    String name = f.getFileName().toString();
                    schemas.put(name.substring(0, name.length() - SUFFIX.length()), Files.readString(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schemas from " + dir, e);
            }
        }
        return schemas;
    }

    /** The schemas inside the jar. */
    public static Map<String, String> bundled() {
        Map<String, String> schemas = new LinkedHashMap<>();
        for (String name : resourceLines("datasets/index.txt")) {
            schemas.put(name, resource("datasets/" + name + SUFFIX));
        }
        return schemas;
    }

    static List<String> resourceLines(String path) {
        return resource(path).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** A text resource of the jar. */
    public static String resource(String path) {
        try (InputStream in = BundledSchemas.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path, e);
        }
    }
}
