package io.ganstream.bench;

import io.ganstream.launch.ServiceLauncher;
import io.ganstream.kafka.EmbeddedKafkaBroker;
import io.ganstream.kafka.RecordPublisher;
import io.ganstream.kafka.TopicReader;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.service.DatasetModels;
import io.ganstream.service.DatasetRegistry;
import io.ganstream.stream.OutputHeaders;
import io.ganstream.stream.Topics;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline against itself with imputation replaced by identity, on one embedded broker. A first service
 * trains a GAIN model on {@code --train-records} and publishes it; then {@code --records} more are written to
 * {@code D.raw} with a plain producer, and fresh services (each its own application id, so each reads all of
 * {@code D.raw} from the start) drain that backlog: (b) with {@code ganstream.passthrough-imputation} (same
 * parsing, validation, routing, exactly-once; nothing filled) and (a) the real topology serving the published
 * model with training off. The rate is records/s from the first to the last {@code D.imputed} record. Then
 * the raw → imputed latency of (a) at half the rate it reached. With {@code --backfill-records}, a user's backfill
 * ({@link Backfill}: new records produced at full speed, timed from the first send) goes to the last (a), training
 * off, and as many other new records to a service with training on that drained the same backlog first (no
 * latency run then). See docs/benchmarks.md "Pipeline throughput".
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = "Records/s of the pipeline vs an identity-imputation baseline, and latency at half load.")
public class BenchThroughputCommand implements Callable<Integer> {
    static final String DATASET = "throughput";

    @Option(names = "--records", defaultValue = "1000000", description = "records written after training; each run drains these and the training records (default: ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--train-records", defaultValue = "20000",
            description = "records streamed first, to train the model (default: ${DEFAULT-VALUE})")
    int trainRecords;

    @Option(names = "--missing", defaultValue = "0.2", description = "share of missing cells (default: ${DEFAULT-VALUE})")
    double missing;

    @Mixin
    GeneratedTable generated;

    @Option(names = "--latency-seconds", defaultValue = "30",
            description = "how long records are paced at half the saturated rate (default: ${DEFAULT-VALUE})")
    int latencySeconds;

    @Option(names = "--train-during", description = "also drain the backlog with training on (a'), beside (a) "
            + "with training off, and wait for the models to converge after it (default: off)")
    boolean trainDuring;

    @Option(names = "--backfill-records", defaultValue = "0",
            description = "at the end, this many new records produced at full speed to a service with training off "
                    + "and as many to one with training on, each after it drained the backlog: a user's backfill, "
                    + "timed from the first send beside a bare consumer; replaces the latency run (default: "
                    + "${DEFAULT-VALUE}, none)")
    int backfillRecords;

    @Option(names = "--rounds", defaultValue = "1",
            description = "identity then pipeline, this many times; the best rate of each counts (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--commit-interval-ms", description = "Kafka Streams commit interval (default: the service's)")
    Long commitIntervalMs;

    private final PrintStream o = System.out;
    /** The backfills taken with training off and on, by the last round's services. */
    private Backfill.Result backfillOff;
    private Backfill.Result backfillOn;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("ganstream-throughput");
        BenchTable table = generated.table(missing);
        List<byte[]> pool = table.records(10_000, 2);
        o.printf("bench throughput: %d columns (%d categorical), %.0f%% missing, %d + %d records, mean record "
                        + "%d bytes, %d rounds, %d cores%n", table.columns(), table.categorical(), missing * 100,
                trainRecords, records, pool.stream().mapToInt(b -> b.length).sum() / pool.size(), rounds,
                Runtime.getRuntime().availableProcessors());
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0).start()) {
            Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
            ApplicationContext service = start(broker, dir, "bench-train", Mode.TRAIN);
            try {
                DatasetSchema schema = service.getBean(DatasetRegistry.class)
                        .register(DATASET, table.schema(256, 20_000));
                DatasetModels models = service.getBean(DatasetModels.class);
                long t0 = System.nanoTime();
                fill(kafka, pool, "t", trainRecords);
                if (!models.awaitTrained(DATASET, trainRecords, TimeUnit.MINUTES.toMillis(15))) {
                    throw new IllegalStateException("no trained model within 15 minutes");
                }
                o.printf("trained on %d records in %.1f s: %s published%n", trainRecords,
                        (System.nanoTime() - t0) / 1e9, models.currentVersion(schema));
            } finally {
                service.close();
            }
            fill(kafka, pool, "a", records);
            long backlog = (long) trainRecords + records;
            double bestReal = 0;
            double bestBase = 0;
            double bestTrained = 0;
            double bestBare = 0;
            double bestCopy = 0;
            double cpuReal = Double.MAX_VALUE;
            double cpuBase = Double.MAX_VALUE;
            Drained lastReal = null;
            long commitMs = commitIntervalMs != null ? commitIntervalMs : 200;
            for (int round = 1; round <= rounds; round++) {
                double bare = ThroughputReferences.bareConsume(kafka, Topics.raw(DATASET), backlog);
                o.printf("round %d bare consumer of %s: %.0f records/s%n", round, Topics.raw(DATASET), bare);
                double copy = ThroughputReferences.streamsPassthrough(kafka, dir.resolve("copy-" + round),
                        "bench-copy-" + round, Topics.raw(DATASET), "bench-copy-" + round, backlog, commitMs);
                o.printf("round %d bare Kafka Streams exactly-once copy: %.0f records/s%n", round, copy);
                Drained base = run(broker, dir, kafka, "bench-identity-" + round, Mode.IDENTITY, backlog, false, 0);
                o.printf("round %d (b) identity imputation: %s%n", round, base);
                boolean last = round == rounds;
                // the same backfill with training off, on the last round's serving service after its backlog
                int offBackfill = last ? backfillRecords : 0;
                Drained real = run(broker, dir, kafka, "bench-imputed-" + round, Mode.SERVE, backlog,
                        last && !trainDuring && backfillRecords == 0, offBackfill);
                o.printf("round %d (a) pipeline, training off: %s%n", round, real);
                backlog += offBackfill;
                if (trainDuring) {
                    Drained trained = run(broker, dir, kafka, "bench-trained-" + round, Mode.TRAIN, backlog,
                            last && backfillRecords == 0, 0);
                    o.printf("round %d (a') pipeline, training on: %s%n", round, trained);
                    bestTrained = Math.max(bestTrained, trained.perSecond());
                }
                if (last && backfillRecords > 0) {
                    // training on: a service that drained the same backlog (a warm JVM, as for training off) and
                    // whose models converged on it
                    run(broker, dir, kafka, "bench-backfill", Mode.TRAIN, backlog, false, backfillRecords);
                }
                bestBare = Math.max(bestBare, bare);
                bestCopy = Math.max(bestCopy, copy);
                bestBase = Math.max(bestBase, base.perSecond());
                bestReal = Math.max(bestReal, real.perSecond());
                cpuBase = Math.min(cpuBase, base.streamMicrosPerRecord());
                cpuReal = Math.min(cpuReal, real.streamMicrosPerRecord());
                lastReal = real;
            }
            o.printf("%nRESULT records=%d columns=%d missing=%.2f pipeline_rps=%.0f "
                            + "identity_rps=%.0f ratio=%.3f stream_cpu_us_per_record=%.1f/%.1f cpu_ratio=%.3f "
                            + "cores_per_10k_rps=%.2f (best of %d rounds each)%n",
                    backlog, table.columns(), missing, bestReal, bestBase, bestReal / bestBase, cpuReal,
                    cpuBase, cpuBase / cpuReal, lastReal.cores() / lastReal.perSecond() * 10_000, rounds);
            o.printf("REFERENCES bare_consumer_rps=%.0f streams_eos_copy_rps=%.0f pipeline/bare=%.3f "
                            + "pipeline/copy=%.3f%n", bestBare, bestCopy, bestReal / bestBare, bestReal / bestCopy);
            if (backfillOn != null) {
                o.printf("BACKFILL records=%d on: bare_consumer_rps=%.0f pipeline_rps=%.0f pipeline/bare=%.3f "
                                + "pipeline/copy=%.3f; off: bare_consumer_rps=%.0f pipeline_rps=%.0f "
                                + "pipeline/bare=%.3f; on/off=%.3f%n", backfillOn.records(), backfillOn.bareRate(),
                        backfillOn.pipelineRate(), backfillOn.pipelineRate() / backfillOn.bareRate(),
                        backfillOn.pipelineRate() / bestCopy, backfillOff.bareRate(), backfillOff.pipelineRate(),
                        backfillOff.pipelineRate() / backfillOff.bareRate(),
                        backfillOn.pipelineRate() / backfillOff.pipelineRate());
            }
            if (trainDuring) {
                o.printf("TRAINING training_on_rps=%.0f on/off=%.3f on/bare=%.3f on/copy=%.3f%n", bestTrained,
                        bestTrained / bestReal, bestTrained / bestBare, bestTrained / bestCopy);
            }
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    /**
     * A service that drained the backlog takes a backfill of {@code count} records it has not seen (other ones with
     * training on than off), produced at full speed; with training on, its models are awaited after it. The
     * rates are measured as a user would: from the first send to the last record read.
     */
    private void backfill(Map<String, Object> kafka, ApplicationContext service, String applicationId, Mode mode,
                          long backlog, int count) throws InterruptedException {
        boolean training = mode == Mode.TRAIN;
        Backfill.Result r = Backfill.run(kafka, Topics.raw(DATASET), Topics.imputed(DATASET),
                generated.table(missing).records(count, training ? 4 : 5), count,
                () -> streamThreadCpuNanos(applicationId));
        o.printf("backfill, training %s: %s%n", training ? "on" : "off", r);
        if (training) {
            backfillOn = r;
            long t0 = System.nanoTime();
            boolean converged = service.getBean(DatasetModels.class)
                    .awaitTrained(DATASET, backlog + count, TimeUnit.MINUTES.toMillis(15));
            o.printf("after the backfill: models %s %.1f s after its last record was read%n",
                    converged ? "converged" : "NOT converged within 15 minutes", (System.nanoTime() - t0) / 1e9);
        } else {
            backfillOff = r;
        }
    }

    /** What a service of the benchmark does with the records: learn and serve, only serve, or pass them on. */
    enum Mode { TRAIN, SERVE, IDENTITY }

    /**
     * A fresh service (its own application id, so it reads {@code D.raw} from the start) drains the backlog;
     * then takes a backfill of {@code backfill} new records ({@link #backfillOff}, {@link #backfillOn}), and with
     * {@code latency} serves paced records at half the rate it reached.
     */
    private Drained run(EmbeddedKafkaBroker broker, Path dir, Map<String, Object> kafka, String applicationId,
                        Mode mode, long backlog, boolean latency, int backfill) throws InterruptedException {
        try (TopicReader reader = readerAtEnd(kafka)) {
            ApplicationContext service = start(broker, dir, applicationId, mode);
            try {
                Drained d = drain(reader, backlog, applicationId);
                if (mode == Mode.TRAIN) {
                    long t0 = System.nanoTime();
                    boolean converged = service.getBean(DatasetModels.class)
                            .awaitTrained(DATASET, backlog, TimeUnit.MINUTES.toMillis(15));
                    o.printf("after the backlog: models %s %.1f s after its last record%n",
                            converged ? "converged" : "NOT converged within 15 minutes", (System.nanoTime() - t0) / 1e9);
                }
                if (backfill > 0) {
                    backfill(kafka, service, applicationId, mode, backlog, backfill);
                }
                if (latency) {
                    latency(kafka, d.perSecond() / 2);
                }
                return d;
            } finally {
                service.close();
            }
        }
    }

    private ApplicationContext start(EmbeddedKafkaBroker broker, Path dir, String applicationId, Mode mode) {
        Map<String, Object> p = new HashMap<>();
        p.put("ganstream.data-dir", dir.resolve(applicationId).toString());
        p.put("ganstream.schemas-dir", dir.resolve("none").toString());
        p.put("ganstream.kafka.bootstrap-servers", broker.bootstrapServers());
        p.put("ganstream.kafka.application-id", applicationId);
        p.put("ganstream.passthrough-imputation", mode == Mode.IDENTITY);
        // Serving only: the published model stays, nothing more is learned.
        p.put("ganstream.training.enabled", mode == Mode.TRAIN);
        p.put("micronaut.server.port", -1);
        if (commitIntervalMs != null) {
            p.put("ganstream.kafka.commit-interval-ms", commitIntervalMs);
        }
        return ServiceLauncher.start(p);
    }

    /**
     * Writes {@code count} records to {@code D.raw} as fast as the broker takes them (lz4, 1 MiB batches). Not
     * idempotent: on this loaded machine an idempotent producer's timed-out first batch left it retrying an
     * out-of-order sequence until its delivery timeout, losing records; a failed send fails the benchmark.
     */
    private void fill(Map<String, Object> kafka, List<byte[]> pool, String keyPrefix, int count) {
        Map<String, Object> props = bulkProducer(kafka);
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            String topic = Topics.raw(DATASET);
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, (keyPrefix + i).getBytes(StandardCharsets.UTF_8),
                        pool.get(i % pool.size())), (meta, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("filling " + Topics.raw(DATASET) + " failed", failed.get());
        }
        double s = (System.nanoTime() - t0) / 1e9;
        o.printf("filled %s with %d records in %.1f s (%.0f records/s)%n", Topics.raw(DATASET), count, s, count / s);
    }

    /** Producer settings for filling topics fast: lz4, 1 MiB batches, not idempotent, long timeouts. */
    static Map<String, Object> bulkProducer(Map<String, Object> kafka) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        // Retried (a new topic's leader may not be known yet); a retry after a timeout may duplicate a batch,
        // which the runs tolerate: each drains the count of records written, whatever they are.
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 200);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 590_000);
        return props;
    }

    private static TopicReader readerAtEnd(Map<String, Object> kafka) {
        TopicReader reader = new TopicReader(kafka);
        reader.from(reader.endOffsets(List.of(Topics.imputed(DATASET))));
        return reader;
    }

    /**
     * A drained backlog: records/s from the first to the last output record, and the cores this JVM (streams,
     * broker, this reader) used meanwhile.
     */
    record Drained(long records, double seconds, double cores, long heapMb, double streamMicrosPerRecord,
                   Map<String, Long> models) {
        double perSecond() {
            return records / seconds;
        }

        @Override
        public String toString() {
            return String.format("%d records in %.1f s = %.0f records/s; stream thread %.1f us CPU per record; "
                    + "%.2f cores busy in all; heap %d MiB; by model %s", records, seconds, perSecond(),
                    streamMicrosPerRecord, cores, heapMb, models);
        }
    }

    private Drained drain(TopicReader reader, long count, String applicationId) {
        long[] seen = {0};
        Map<String, Long> models = new java.util.TreeMap<>();
        long first = 0;
        long cpuFirst = 0;
        long streamCpuFirst = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (seen[0] < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen[0] + " of " + count + " records came out");
            }
            int n = reader.poll(Duration.ofMillis(100), r -> {
                seen[0]++;
                var h = r.headers().lastHeader(OutputHeaders.MODEL);
                // gain-N, fallback or identity: the counts show which imputer served the run
                String m = h == null ? "-" : new String(h.value(), StandardCharsets.UTF_8).replaceAll("-\\d+$", "-N");
                models.merge(m, 1L, Long::sum);
            });
            if (n > 0 && first == 0) {
                first = System.nanoTime();
                cpuFirst = processCpuNanos();
                streamCpuFirst = streamThreadCpuNanos(applicationId);
            }
        }
        long last = System.nanoTime();
        double seconds = (last - first) / 1e9;
        double cores = (processCpuNanos() - cpuFirst) / 1e9 / seconds;
        double streamMicros = (streamThreadCpuNanos(applicationId) - streamCpuFirst) / 1e3 / count;
        Runtime rt = Runtime.getRuntime();
        return new Drained(count, seconds, cores, (rt.totalMemory() - rt.freeMemory()) >> 20, streamMicros, models);
    }

    /**
     * Paces records at {@code rate} for the configured time and prints the raw → imputed latency: from the
     * record's timestamp (set when the producer sends it) to when this reader receives it, read_committed.
     * The first 2 s are left out (the producer connects, the consumer positions itself).
     */
    private long latency(Map<String, Object> kafka, double rate) throws InterruptedException {
        int total = (int) (rate * latencySeconds);
        AtomicLong sent = new AtomicLong();
        long[] latencies = new long[total];
        int kept = 0;
        long received = 0;
        try (TopicReader reader = readerAtEnd(kafka)) {
            long start = System.currentTimeMillis();
            Thread producer = new Thread(() -> {
                try (RecordPublisher publisher = new RecordPublisher(kafka, rate)) {
                    List<byte[]> pool = generated.table(missing).records(1000, 3);
                    for (int i = 0; i < total; i++) {
                        publisher.send(Topics.raw(DATASET), ("l" + i).getBytes(StandardCharsets.UTF_8),
                                pool.get(i % pool.size()));
                        sent.incrementAndGet();
                    }
                    publisher.flush();
                }
            }, "bench-paced-producer");
            producer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(latencySeconds + 120L);
            long[] buf = new long[total];
            int[] n = {0};
            while (n[0] < total && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(100), r -> {
                    long now = System.currentTimeMillis();
                    if (n[0] < total) {
                        buf[n[0]] = r.timestamp() >= start + 2000 ? now - r.timestamp() : -1;
                    }
                    n[0]++;
                });
            }
            producer.join();
            received = n[0];
            for (int i = 0; i < Math.min(n[0], total); i++) {
                if (buf[i] >= 0) {
                    latencies[kept++] = buf[i];
                }
            }
        }
        long[] l = Arrays.copyOf(latencies, kept);
        Arrays.sort(l);
        o.printf("(a) latency at %.0f records/s (half the saturated rate) for %d s, exactly-once, %d received: "
                        + "p50 %d ms, p99 %d ms, max %d ms%n", rate, latencySeconds, received, pct(l, 0.50),
                pct(l, 0.99), l.length == 0 ? -1 : l[l.length - 1]);
        return sent.get();
    }

    private static long pct(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    /**
     * CPU time of the service's stream threads: unlike the wall-clock rate, it hardly moves when other processes
     * share the cores, so its ratio is the steadier measure of what imputation costs.
     */
    private static long streamThreadCpuNanos(String applicationId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(applicationId + "-")
                    && t.getThreadName().contains("-StreamThread-")) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** CPU time of this whole JVM (every thread, the collector's and compiler's too). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
