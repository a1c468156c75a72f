package io.ganstream.bench;

import io.ganstream.kafka.RecordPublisher;
import io.ganstream.kafka.TopicReader;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * A backfill as a user sees it: the service is running, a producer sends a file's worth of records to
 * {@code D.raw} as fast as it can, the way {@code produce} sends them (acks from all replicas, idempotent), and two
 * readers positioned at the end of their topics before the first record is sent read what comes: a bare consumer of
 * {@code D.raw} and a downstream reader of {@code D.imputed}. Every rate runs from the first send to the last record
 * read, so the bare consumer's is what the producer and the broker allow a reader at all, in the same run on the
 * same cores.
 */
final class Backfill {
    private Backfill() {
    }

    /**
     * When each side finished, in seconds after the first send, and the service's stream threads' CPU time per
     * record meanwhile.
     */
    record Result(long records, double produced, double rawRead, double imputedRead, double streamMicros,
                  String threads) {
        double bareRate() {
            return records / rawRead;
        }

        double pipelineRate() {
            return records / imputedRead;
        }

        @Override
        public String toString() {
            return String.format("%d records produced in %.1f s (%.0f records/s); bare consumer of the raw topic "
                            + "read the last after %.1f s (%.0f records/s), the imputed topic's reader after %.1f s "
                            + "(%.0f records/s): pipeline/bare=%.3f; stream threads %.1f us CPU per record; CPU "
                            + "seconds by thread: %s", records, produced, records / produced, rawRead, bareRate(),
                    imputedRead, pipelineRate(), pipelineRate() / bareRate(), streamMicros, threads);
        }
    }

    /** Sends {@code count} records cycling through {@code pool} and waits until both readers have read them all. */
    static Result run(Map<String, Object> kafka, String raw, String imputed, List<byte[]> pool, int count,
                      LongSupplier streamCpuNanos) throws InterruptedException {
        AtomicLong start = new AtomicLong();
        Reader bare = new Reader(kafka, raw, count, start);
        Reader downstream = new Reader(kafka, imputed, count, start);
        bare.start();
        downstream.start();
        double produced;
        long cpu0 = streamCpuNanos.getAsLong();
        Map<String, Long> threads0 = threadCpu();
        long process0 = BenchThroughputCommand.processCpuNanos();
        long gc0 = gcMillis();
        try (RecordPublisher publisher = new RecordPublisher(kafka, 0)) {
            long t0 = System.nanoTime();
            start.set(t0);
            for (int i = 0; i < count; i++) {
                publisher.send(raw, ("u" + i).getBytes(StandardCharsets.UTF_8), pool.get(i % pool.size()));
            }
            publisher.flush();
            produced = (System.nanoTime() - t0) / 1e9;
        }
        double rawRead = bare.finish();
        double imputedRead = downstream.finish();
        return new Result(count, produced, rawRead, imputedRead,
                (streamCpuNanos.getAsLong() - cpu0) / 1e3 / count, String.format("the whole process %.1f "
                        + "(garbage collection %.1f s of pauses and concurrent work), of which %s",
                        (BenchThroughputCommand.processCpuNanos() - process0) / 1e9, (gcMillis() - gc0) / 1e3,
                        busiest(threads0, threadCpu())));
    }

    private static long gcMillis() {
        long sum = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** CPU nanoseconds of every live thread, by name with its numbers and ids taken out (one entry per kind). */
    private static Map<String, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> byKind = new HashMap<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                String kind = t.getThreadName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "")
                        .replaceAll("\\d+", "N");
                byKind.merge(kind, Math.max(0, mx.getThreadCpuTime(t.getThreadId())), Long::sum);
            }
        }
        return byKind;
    }

    /** The eight kinds of thread that used the most CPU between two {@link #threadCpu()} readings. */
    private static String busiest(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .map(e -> String.format("%s %.1f", e.getKey(), e.getValue() / 1e9))
                .collect(Collectors.joining(", "));
    }

    /** Reads a topic from its current end until {@code count} records came; notes when the last one did. */
    private static final class Reader extends Thread {
        private final TopicReader reader;
        private final long count;
        private final AtomicLong start;
        private volatile long lastNanos;
        private volatile RuntimeException failed;

        Reader(Map<String, Object> kafka, String topic, long count, AtomicLong start) {
            super("bench-backfill-reader-" + topic);
            this.reader = new TopicReader(kafka);
            reader.from(reader.endOffsets(List.of(topic)));
            // An assignment is lazy: the first poll fetches the positions, before any record is sent.
            reader.poll(Duration.ZERO, r -> {
            });
            this.count = count;
            this.start = start;
        }

        @Override
        public void run() {
            long[] seen = {0};
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            try {
                while (seen[0] < count) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + seen[0] + " of " + count + " records came");
                    }
                    reader.poll(Duration.ofMillis(100), r -> seen[0]++);
                }
                lastNanos = System.nanoTime();
            } catch (RuntimeException e) {
                failed = e;
            } finally {
                reader.close();
            }
        }

        /** Seconds from the first send to the last record read. */
        double finish() throws InterruptedException {
            join();
            if (failed != null) {
                throw failed;
            }
            return (lastNanos - start.get()) / 1e9;
        }
    }
}
