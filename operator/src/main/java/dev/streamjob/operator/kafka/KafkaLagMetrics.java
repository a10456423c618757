package dev.streamjob.operator.kafka;

import dev.streamjob.operator.api.v1alpha1.KafkaLag;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer lag as a metric: gauge {@code streamjob_kafka_consumer_lag_records} (Prometheus
 * name, at {@code /q/metrics}) with the tags {@code namespace}, {@code streamjob},
 * {@code consumer_group} and {@code topic}. A StreamJob's gauges are removed when its lag cannot
 * be read (unknown, not stale) and when it is deleted.
 */
@ApplicationScoped
public class KafkaLagMetrics {

    static final String NAME = "streamjob.kafka.consumer.lag";
    private final MeterRegistry registry;
    private final Map<Tags, AtomicLong> values = new ConcurrentHashMap<>();

    /** Gauges in the given registry (CDI: Quarkus' Prometheus registry). */
    public KafkaLagMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets the StreamJob's gauges to a reading, removing those of topics it no longer has. */
    public void record(StreamJob job, KafkaLag lag) {
        Tags of = jobTags(job);
        var current = lag.topics().stream().map(t -> of.and("consumer_group", t.consumerGroup(), "topic", t.topic())).toList();
        values.keySet().stream().filter(t -> belongsTo(t, of) && !current.contains(t)).toList().forEach(this::remove);
        for (KafkaLag.TopicLag topic : lag.topics()) {
            Tags tags = of.and("consumer_group", topic.consumerGroup(), "topic", topic.topic());
            values.computeIfAbsent(tags, t -> {
                AtomicLong value = new AtomicLong();
                Gauge.builder(NAME, value, AtomicLong::get).tags(t).baseUnit("records")
                        .description("Records of the topic not yet committed by the consumer group of a StreamJob's source")
                        .register(registry);
                return value;
            }).set(topic.records());
        }
    }

    /** Removes the StreamJob's gauges. */
    public void forget(StreamJob job) {
        Tags of = jobTags(job);
        values.keySet().stream().filter(t -> belongsTo(t, of)).toList().forEach(this::remove);
    }

    private void remove(Tags tags) {
        values.remove(tags);
        var gauge = registry.find(NAME).tags(tags).gauge();
        if (gauge != null) {
            registry.remove(gauge);
        }
    }

    private static Tags jobTags(StreamJob job) {
        return Tags.of("namespace", job.getMetadata().getNamespace(), "streamjob", job.getMetadata().getName());
    }

    private static boolean belongsTo(Tags tags, Tags job) {
        return job.stream().allMatch(t -> tags.stream().anyMatch(t::equals));
    }
}
