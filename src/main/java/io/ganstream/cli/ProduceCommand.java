package io.ganstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.io.RecordFiles;
import io.ganstream.kafka.RecordPublisher;
import io.ganstream.schema.DatasetNames;
import io.ganstream.service.BundledSchemas;
import io.ganstream.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Publishes a file's records to {@code D.raw}, with progress on stderr. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Publish a CSV, JSON-lines or JSON-array file's rows to D.raw.")
public class ProduceCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--dataset", required = true, description = "dataset name D (records go to D.raw)")
    String dataset;

    @Option(names = "--file", required = true, description = "a .csv, .jsonl/.ndjson or .json file (optionally .gz)")
    Path file;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS, "
            + "else localhost:$GANSTREAM_EMBEDDED_KAFKA_PORT or 9092)")
    String bootstrap;

    @Option(names = "--rate", defaultValue = "0", description = "records per second (0 = as fast as possible)")
    double rate;

    @Option(names = "--schema", description = "JSON Schema file used to type CSV fields (default: the "
            + "dataset's bundled or schemas/datasets/D.schema.json file, if any)")
    Path schemaFile;

    @Option(names = "--key", description = "column whose value becomes the record key (default: no key)")
    String keyColumn;

    @Override
    public Integer call() throws Exception {
        DatasetNames.requireValid(dataset);
        List<ObjectNode> records = RecordFiles.read(file, schema());
        String topic = Topics.raw(dataset);
        Progress progress = new Progress("produce " + topic, records.size());
        try (RecordPublisher publisher = new RecordPublisher(Map.of("bootstrap.servers", bootstrapServers()), rate)) {
            for (ObjectNode record : records) {
                byte[] key = null;
                if (keyColumn != null && record.hasNonNull(keyColumn)) {
                    key = record.get(keyColumn).asText().getBytes(StandardCharsets.UTF_8);
                }
                publisher.send(topic, key, JSON.writeValueAsBytes(record));
                progress.update(publisher.acknowledged());
            }
            publisher.flush();
            progress.done(publisher.acknowledged());
        }
        return 0;
    }

    private String bootstrapServers() {
        if (bootstrap != null) {
            return bootstrap;
        }
        String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String port = System.getenv("GANSTREAM_EMBEDDED_KAFKA_PORT");
        return "localhost:" + (port == null || port.isBlank() ? "9092" : port);
    }

    private JsonNode schema() throws Exception {
        if (schemaFile != null) {
            return JSON.readTree(Files.readString(schemaFile));
        }
        Path local = Path.of("schemas/datasets", dataset + ".schema.json");
        if (Files.isRegularFile(local)) {
            return JSON.readTree(Files.readString(local));
        }
        String bundled = BundledSchemas.bundled().get(dataset);
        return bundled == null ? null : JSON.readTree(bundled);
    }
}
