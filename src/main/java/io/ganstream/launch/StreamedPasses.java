package io.ganstream.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.kafka.KafkaConnection;
import io.ganstream.kafka.RecordPublisher;
import io.ganstream.kafka.TopicReader;
import io.ganstream.schema.RecordCodec;
import io.ganstream.service.DatasetModels;
import io.ganstream.stream.OutputHeaders;
import io.ganstream.stream.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Streams the same records through the running service pass after pass, as the {@code demo} and
 * {@code bench} commands do: each pass is published to {@code D.raw}, its outputs are read back from
 * {@code D.imputed} / {@code D.dlq} (read_committed), and the next pass waits until the trainer has learned
 * from it, so each pass shows what the model learned from the previous ones.
 */
public final class StreamedPasses implements AutoCloseable {
    /** Longest wait for the models to learn from a pass before the next one goes out anyway. */
    private static final int TRAIN_MINUTES = 30;
    private final String dataset;
    private final DatasetModels models;
    private final RecordPublisher publisher;
    private final TopicReader reader;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    private long validSoFar;
    private Runnable whileTraining = () -> { };

    /** One pass's outcome: the imputed rows in input order, the last model version seen, counts, time. */
    public record Pass(int number, List<JsonNode> rows, String lastModel, int imputed, int deadLettered, double seconds) {
    }

    /**
     * Runs {@code tick} about four times a second while a pass waits for the models to learn from it (a progress
     * display); returns this.
     */
    public StreamedPasses whileTraining(Runnable tick) {
        this.whileTraining = tick;
        return this;
    }

    /** Publisher and reader of {@code dataset}'s topics, with the clients of the running service's context. */
    public StreamedPasses(ApplicationContext context, String dataset) {
        this.dataset = dataset;
        this.models = context.getBean(DatasetModels.class);
        Map<String, Object> kafka = context.getBean(KafkaConnection.class).clientProperties();
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        this.publisher = new RecordPublisher(kafka, 0, registry);
        this.reader = new TopicReader(kafka, registry);
        List<String> outputs = List.of(Topics.imputed(dataset), Topics.dlq(dataset));
        reader.from(reader.endOffsets(outputs));
    }

    /** Streams {@code records} {@code passes} times, reporting each pass as it completes. */
    public void run(List<ObjectNode> records, int passes, Consumer<Pass> onPass) throws Exception {
        List<byte[]> values = new ArrayList<>(records.size());
        for (ObjectNode r : records) {
            values.add(RecordCodec.mapper().writeValueAsBytes(r));
        }
        for (int p = 0; p < passes; p++) {
            onPass.accept(publishAndRead(p, values, System.nanoTime()));
        }
    }

    /** Publishes raw values (valid or not) as one more pass and returns its outcome. */
    public Pass publishRaw(int number, List<byte[]> values) throws Exception {
        return publishAndRead(number, values, System.nanoTime());
    }

    /** Every dead-lettered record read so far. */
    public List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        return deadLetters;
    }

    private Pass publishAndRead(int pass, List<byte[]> values, long t0) throws Exception {
        String prefix = runId + "-" + pass + "-";
        for (int i = 0; i < values.size(); i++) {
            publisher.send(Topics.raw(dataset), (prefix + i).getBytes(StandardCharsets.UTF_8), values.get(i));
        }
        publisher.flush();
        JsonNode[] rows = new JsonNode[values.size()];
        String[] lastModel = {"-"};
        int[] seen = {0, 0};
        List<Exception> errors = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (seen[0] + seen[1] < values.size() && System.nanoTime() < deadline) {
            reader.poll(Duration.ofMillis(200), r -> {
                String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                if (!key.startsWith(prefix)) {
                    return;
                }
                if (r.topic().equals(Topics.dlq(dataset))) {
                    deadLetters.add(r);
                    seen[1]++;
                    return;
                }
                try {
                    rows[Integer.parseInt(key.substring(prefix.length()))] = RecordCodec.mapper().readTree(r.value());
                } catch (Exception e) {
                    errors.add(e);
                }
                Header h = r.headers().lastHeader(OutputHeaders.MODEL);
                lastModel[0] = h == null ? "-" : new String(h.value(), StandardCharsets.UTF_8);
                seen[0]++;
            });
            if (!errors.isEmpty()) {
                throw errors.get(0);
            }
        }
        if (seen[0] + seen[1] < values.size()) {
            throw new IllegalStateException("pass " + (pass + 1) + ": only " + (seen[0] + seen[1]) + " of "
                    + values.size() + " records came out in time");
        }
        // Pace the stream to the trainer, so the next pass meets what was learned from this one.
        validSoFar += seen[0];
        long trainDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(TRAIN_MINUTES);
        while (!models.awaitTrained(dataset, validSoFar, 250) && System.nanoTime() < trainDeadline) {
            whileTraining.run();
        }
        // The synthesizer too: on a busy machine it would otherwise drop windows and the figures would
        // measure the machine's load rather than the model.
        models.awaitSynthesizer(dataset, TimeUnit.MINUTES.toMillis(10));
        List<JsonNode> list = new ArrayList<>(rows.length);
        for (JsonNode n : rows) {
            list.add(n == null ? RecordCodec.mapper().createObjectNode() : n);
        }
        return new Pass(pass + 1, list, lastModel[0], seen[0], seen[1], (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() {
        publisher.close();
        reader.close();
    }
}
