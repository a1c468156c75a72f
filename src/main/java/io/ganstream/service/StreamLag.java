package io.ganstream.service;

import io.ganstream.config.TrainingConfig;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How far the stream threads are behind the raw topics: the sum of the main consumers' {@code records-lag} over
 * the {@code *.raw} partitions, read from the Kafka Streams client at most every 500 ms. Trainers back off while
 * it exceeds {@code ganstream.training.backoff-lag-records}.
 */
@Singleton
public class StreamLag {
    private static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private final BeanProvider<StreamsService> streams;
    private final long threshold;
    private volatile long checkedAt;
    private volatile double lag;

    public StreamLag(BeanProvider<StreamsService> streams, TrainingConfig config) {
        this.streams = streams;
        this.threshold = config.getBackoffLagRecords();
    }

    /** True while the raw records not yet processed exceed the threshold. */
    public boolean lagging() {
        return records() > threshold;
    }

    /** Raw records not yet processed by this instance's stream threads (0 before the streams run). */
    public double records() {
        long now = System.nanoTime();
        if (now - checkedAt >= REFRESH_NANOS) {
            checkedAt = now;
            lag = read();
        }
        return lag;
    }

    private double read() {
        try {
            double sum = 0;
            for (Map.Entry<MetricName, ? extends Metric> e : streams.get().streams().metrics().entrySet()) {
                MetricName name = e.getKey();
                String topic = name.tags().get("topic");
                if ("records-lag".equals(name.name()) && topic != null && topic.endsWith(".raw")
                        && !name.tags().getOrDefault("client-id", "").contains("restore")) {
                    Object v = e.getValue().metricValue();
                    if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
                        sum += n.doubleValue();
                    }
                }
            }
            return sum;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
