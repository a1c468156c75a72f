package io.ganstream.bench;

import io.ganstream.launch.ServiceLauncher;
import io.ganstream.config.KafkaConfig;
import io.ganstream.engine.train.TrainerState;
import io.ganstream.engine.train.TrainerStatus;
import io.ganstream.kafka.KafkaConnection;
import io.ganstream.kafka.TopicReader;
import io.ganstream.service.DatasetModels;
import io.ganstream.service.DatasetRegistry;
import io.ganstream.stream.Topics;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Memory and training fairness with many datasets on one instance: registers {@code --count} datasets of the
 * same generated table, streams {@code --records} records to each (interleaved, so that every dataset trains
 * at once), lets the trainers work for {@code --train-seconds}, and prints heap, ND4J/JavaCPP off-heap bytes,
 * resident memory, threads, and per-dataset trained and dropped windows (min / median / max). See README
 * "Memory and sizing".
 */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Memory (heap, off-heap) and per-dataset training with many datasets on one instance.")
public class BenchDatasetsCommand implements Callable<Integer> {

    @Option(names = "--count", defaultValue = "10", description = "datasets (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--records", defaultValue = "2000", description = "records per dataset (default: ${DEFAULT-VALUE})")
    int records;

    @Mixin
    GeneratedTable generated;

    @Option(names = "--replay", defaultValue = "20000", description = "replay capacity, rows (default: ${DEFAULT-VALUE})")
    int replay;

    @Option(names = "--train-seconds", defaultValue = "60",
            description = "how long the trainers run after the last record is imputed (default: ${DEFAULT-VALUE})")
    int trainSeconds;

    @Option(names = "--training-threads", defaultValue = "0",
            description = "training threads all datasets share (ganstream.training.threads; 0 = cores - 1; default: ${DEFAULT-VALUE})")
    int trainingThreads;

    private final PrintStream o = System.out;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("ganstream-datasets");
        BenchTable table = generated.table(0.2);
        List<byte[]> pool = table.records(5_000, 2);
        Memory before;
        ApplicationContext context = ServiceLauncher.start(Map.of(
                "ganstream.data-dir", dir.toString(),
                "ganstream.schemas-dir", dir.resolve("none").toString(),
                "ganstream.kafka.bootstrap-servers", "",
                "ganstream.kafka.embedded-port", 0,
                "ganstream.training.threads", trainingThreads,
                "micronaut.server.port", -1));
        try {
            before = Memory.now();
            o.printf("bench datasets: %d datasets x %d records, %d columns, replay %d rows, %d cores, max heap %d MiB%n",
                    count, records, table.columns(), replay, Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20);
            o.printf("service started:    %s%n", before);
            DatasetRegistry registry = context.getBean(DatasetRegistry.class);
            List<String> names = new ArrayList<>();
            for (int d = 0; d < count; d++) {
                String name = String.format("ds%02d", d);
                registry.register(name, table.schema(256, replay));
                names.add(name);
            }
            Map<String, Object> kafka = context.getBean(KafkaConnection.class).clientProperties();
            long t0 = System.nanoTime();
            try (TopicReader reader = new TopicReader(kafka)) {
                List<String> outputs = names.stream().map(Topics::imputed).toList();
                reader.from(allPartitions(reader, outputs, context.getBean(KafkaConfig.class).getPartitions()));
                produce(kafka, names, pool);
                long total = (long) count * records;
                long[] seen = {0};
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
                while (seen[0] < total && System.nanoTime() < deadline) {
                    reader.poll(Duration.ofMillis(200), r -> seen[0]++);
                }
                o.printf("imputed %d of %d records in %.1f s%n", seen[0], total, (System.nanoTime() - t0) / 1e9);
            }
            o.printf("records imputed:    %s%n", Memory.now());
            Thread.sleep(TimeUnit.SECONDS.toMillis(trainSeconds));
            DatasetModels models = context.getBean(DatasetModels.class);
            long[] trained = new long[count];
            long[] learned = new long[count];
            long[] versions = new long[count];
            long converged = 0;
            for (int d = 0; d < count; d++) {
                TrainerStatus s = models.imputerStatus(names.get(d)).orElse(TrainerStatus.empty());
                trained[d] = s.steps();
                learned[d] = s.rowsLearned();
                versions[d] = s.version();
                converged += s.state() == TrainerState.CONVERGED ? 1 : 0;
            }
            o.printf("after %d s of training: %s%n", trainSeconds, Memory.now());
            o.printf("per dataset (%d rows offered each): steps %s, rows learned %s; datasets with a model: %d, "
                    + "converged: %d of %d%n", records, spread(trained), spread(learned),
                    Arrays.stream(versions).filter(v -> v > 0).count(), converged, count);
            Memory after = Memory.now();
            o.printf("%nRESULT datasets=%d records_per_dataset=%d columns=%d replay=%d heap_mib=%d javacpp_kib=%d "
                            + "nd4j_kib=%d rss_mib=%d threads=%d steps_min=%d median=%d max=%d%n", count,
                    records, table.columns(), replay, after.heapMb, after.javacppTotalKb, after.nd4jKb, after.rssMb,
                    after.threads, min(trained), median(trained), max(trained));
        } finally {
            context.close();
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /**
     * End offsets of every partition of these just-created topics: a topic whose metadata has not reached the
     * client yet shows no partitions, and its records would never be counted.
     */
    private static Map<org.apache.kafka.common.TopicPartition, Long> allPartitions(TopicReader reader,
            List<String> topics, int partitionsEach) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            Map<org.apache.kafka.common.TopicPartition, Long> end = reader.endOffsets(topics);
            if (end.size() >= topics.size() * partitionsEach || System.nanoTime() > deadline) {
                return end;
            }
            Thread.sleep(200);
        }
    }

    /** Interleaves the datasets record by record, so that all of them stream (and train) at the same time. */
    private void produce(Map<String, Object> kafka, List<String> names, List<byte[]> pool) {
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(BenchThroughputCommand.bulkProducer(kafka),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                for (String name : names) {
                    producer.send(new ProducerRecord<>(Topics.raw(name), ("k" + i).getBytes(StandardCharsets.UTF_8),
                            pool.get((i * 31 + name.hashCode() & 0x7fffffff) % pool.size())), (meta, e) -> {
                        if (e != null) {
                            failed.compareAndSet(null, e);
                        }
                    });
                }
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("producing failed", failed.get());
        }
    }

    /** Heap after a GC, JavaCPP's off-heap accounting (ND4J's buffers), resident set size and threads. */
    record Memory(long heapMb, long heapCommittedMb, long javacppTotalKb, long nd4jKb, long physicalMb, long rssMb,
                  int threads) {
        static Memory now() {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            return new Memory((rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20,
                    Pointer.totalBytes() >> 10, Nd4j.getMemoryManager().allocatedMemory(0) >> 10,
                    Pointer.physicalBytes() >> 20, residentMb(), ManagementFactory.getThreadMXBean().getThreadCount());
        }

        private static long residentMb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
                    }
                }
            } catch (java.io.IOException | NumberFormatException e) {
                return -1;
            }
            return -1;
        }

        @Override
        public String toString() {
            return String.format("heap %d MiB used (%d committed), off-heap: JavaCPP %d KiB, ND4J memory manager %d KiB; "
                    + "RSS %d MiB (JavaCPP physical %d MiB), %d threads", heapMb, heapCommittedMb, javacppTotalKb, nd4jKb,
                    rssMb, physicalMb, threads);
        }
    }

    private static String spread(long[] v) {
        return min(v) + " / " + median(v) + " / " + max(v);
    }

    private static long min(long[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? 0 : s[s.length / 2];
    }
}
