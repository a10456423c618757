package dev.streamjob.operator.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/**
 * For benchmarks: records when committed output arrives on a topic (a read_committed consumer
 * polling every 100 ms in its own thread), to measure output gaps. Output commits with each
 * checkpoint, so in steady state the gaps are about the checkpoint interval.
 */
final class OutputWatch implements AutoCloseable {

    private final List<Instant> arrivals = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    /** Starts watching {@code topic} with its own consumer group {@code group}. */
    OutputWatch(String bootstrapServers, String topic, String group) {
        thread = new Thread(() -> watch(bootstrapServers, topic, group), "output-watch-" + group);
        thread.start();
    }

    private void watch(String bootstrapServers, String topic, String group) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            while (!stop.get()) {
                if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                    arrivals.add(Instant.now());
                }
            }
        }
    }

    /** Waits (at most 3 minutes) until output arrived {@code commits} times after {@code since}. */
    void settle(Instant since, int commits) {
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> arrivals.stream().filter(t -> t.isAfter(since)).count() >= commits);
    }

    /** The gaps between consecutive arrivals within [from, to], seconds. */
    List<Double> gaps(Instant from, Instant to) {
        List<Instant> window = arrivals.stream().filter(t -> !t.isBefore(from) && !t.isAfter(to)).toList();
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < window.size(); i++) {
            gaps.add(Duration.between(window.get(i - 1), window.get(i)).toMillis() / 1000.0);
        }
        return gaps;
    }

    /** The longest gap within [from, to], seconds; NaN with fewer than two arrivals. */
    double maxGap(Instant from, Instant to) {
        return gaps(from, to).stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The median gap within [from, to], seconds; NaN with fewer than two arrivals. */
    double medianGap(Instant from, Instant to) {
        List<Double> gaps = new ArrayList<>(gaps(from, to));
        Collections.sort(gaps);
        return gaps.isEmpty() ? Double.NaN : gaps.get(gaps.size() / 2);
    }

    @Override
    public void close() {
        stop.set(true);
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
