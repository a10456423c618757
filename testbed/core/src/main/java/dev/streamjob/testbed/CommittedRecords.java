package dev.streamjob.testbed;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what a topic holds as committed: a {@code read_committed} consumer from the earliest
 * offset of every partition, without a consumer group (nothing is committed, any number of reads
 * can run). Records of open or aborted transactions are never returned, which is how tests prove
 * exactly-once output of a transactional sink (DESIGN.md, state safety rule 5).
 *
 * <p>Values are returned as UTF-8 strings in the order read: each partition's records in offset
 * order, partitions interleaved. Records with a null value (tombstones) are skipped.
 */
public final class CommittedRecords {

    private static final Duration POLL = Duration.ofMillis(200);

    private CommittedRecords() {
    }

    /**
     * Reads from the beginning until {@code condition} holds for the values read so far (checked
     * after every poll, and first on the empty list). A topic that does not exist yet is waited
     * for.
     *
     * @return the values read when the condition first held
     * @throws TimeoutException if it does not hold within {@code timeout}; the message says how
     *     many values were read
     */
    public static List<String> readUntil(String bootstrapServers, String topic, Predicate<List<String>> condition,
            Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> values = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = assign(consumer, topic, deadline, timeout);
            while (!condition.test(values)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("condition not met within " + timeout.toSeconds() + " s; read "
                            + values.size() + " committed records of " + topic + " (" + partitions.size()
                            + " partitions)" + lastValues(values));
                }
                poll(consumer, values);
            }
        }
        return values;
    }

    /**
     * Reads every committed record that the topic holds now: up to each partition's last stable
     * offset taken when the read starts.
     *
     * @throws TimeoutException if the topic does not exist or the read takes longer than {@code timeout}
     */
    public static List<String> readAll(String bootstrapServers, String topic, Duration timeout)
            throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> values = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = assign(consumer, topic, deadline, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (!partitions.stream().allMatch(partition -> consumer.position(partition, timeout) >= end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("did not reach the end of " + topic + " within " + timeout.toSeconds()
                            + " s; read " + values.size() + " committed records");
                }
                poll(consumer, values);
            }
        }
        return values;
    }

    /**
     * Reads the example's {@code revenue_per_product} output until at least {@code count}
     * records are committed, and parses them with {@link WindowAggregate#fromJson(String)}.
     *
     * @return every aggregate read (possibly more than {@code count}), sorted
     * @throws TimeoutException if fewer than {@code count} are committed within {@code timeout}
     * @throws IllegalArgumentException if a record is not a window aggregate
     */
    public static List<WindowAggregate> readAggregates(String bootstrapServers, String topic, int count,
            Duration timeout) throws TimeoutException {
        return WindowAggregate.fromJson(readUntil(bootstrapServers, topic, values -> values.size() >= count, timeout));
    }

    private static Consumer<byte[], byte[]> consumer(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "testbed-committed-records");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    /** Assigns every partition of {@code topic} from offset 0, waiting for the topic to exist. */
    private static List<TopicPartition> assign(Consumer<byte[], byte[]> consumer, String topic, long deadline,
            Duration timeout) throws TimeoutException {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        while (infos == null || infos.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topic " + topic + " did not appear within " + timeout.toSeconds() + " s");
            }
            LockSupport.parkNanos(POLL.toNanos()); // metadata poll interval
            infos = consumer.partitionsFor(topic, timeout);
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    private static void poll(Consumer<byte[], byte[]> consumer, List<String> values) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            if (record.value() != null) {
                values.add(new String(record.value(), StandardCharsets.UTF_8));
            }
        }
    }

    private static String lastValues(List<String> values) {
        List<String> last = values.subList(Math.max(0, values.size() - 3), values.size());
        return last.isEmpty() ? "" : "; last: " + String.join(" | ", last);
    }
}
