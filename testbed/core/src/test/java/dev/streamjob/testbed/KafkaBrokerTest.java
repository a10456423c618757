package dev.streamjob.testbed;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real broker: start, transactions, read_committed, restart. One broker for the class. */
class KafkaBrokerTest {

    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private static KafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        long begin = System.nanoTime();
        kafka = new KafkaBroker().start();
        System.out.printf("Kafka broker ready at %s in %d ms (format + start)%n", kafka.bootstrapServers(),
                (System.nanoTime() - begin) / 1_000_000);
    }

    @AfterAll
    static void closeBroker() {
        Path directory = kafka.dataDirectory().getParent();
        kafka.close();
        assertFalse(kafka.isRunning());
        assertFalse(Files.exists(directory), "close() deletes the broker's directory");
    }

    @Test
    void listensOnLoopbackOnly() {
        assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"));
        assertTrue(kafka.isRunning());
    }

    @Test
    void deterministicBatchReadsBackExactlyWithReadCommitted() throws TimeoutException {
        kafka.createTopic("orders-batch", 3);
        OrderBatch batch = OrderGenerator.produce(kafka.bootstrapServers(),
                OrderGenerator.batch("orders-batch", 3, 42, 300, START, Duration.ofMillis(100)));

        List<String> values = CommittedRecords.readAll(kafka.bootstrapServers(), "orders-batch", READ_TIMEOUT);

        assertEquals(303, values.size());
        assertEquals(sortedJson(batch.records()), values.stream().sorted().toList());
        assertEquals(batch.records().stream().sorted(Comparator.comparing(OrderEvent::orderId)).toList(),
                values.stream().map(OrderEvent::fromJson).sorted(Comparator.comparing(OrderEvent::orderId)).toList());
    }

    @Test
    void aBatchWrittenInPartsReadsBackAsTheWholeBatch() throws TimeoutException {
        kafka.createTopic("orders-parts", 2);
        OrderBatch batch = OrderGenerator.batch("orders-parts", 2, 5, 100, START, Duration.ofMillis(100));

        OrderGenerator.produceRange(kafka.bootstrapServers(), batch, 0, 40);
        assertEquals(40, CommittedRecords.readAll(kafka.bootstrapServers(), "orders-parts", READ_TIMEOUT).size());
        OrderGenerator.produceRange(kafka.bootstrapServers(), batch, 40, 100);

        List<String> values = CommittedRecords.readAll(kafka.bootstrapServers(), "orders-parts", READ_TIMEOUT);
        assertEquals(sortedJson(batch.records()), values.stream().sorted().toList());
        assertThrows(IllegalArgumentException.class,
                () -> OrderGenerator.produceRange(kafka.bootstrapServers(), batch, 60, 101));
    }

    @Test
    void abortedTransactionsAreInvisible() throws TimeoutException {
        kafka.createTopic("orders-aborted", 1);
        try (Producer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-aborted",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("orders-aborted", "aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();
        }
        OrderBatch batch = OrderGenerator.produce(kafka.bootstrapServers(),
                OrderGenerator.batch("orders-aborted", 1, 1, 10, START, Duration.ofSeconds(1)));

        List<String> values = CommittedRecords.readAll(kafka.bootstrapServers(), "orders-aborted", READ_TIMEOUT);

        assertEquals(sortedJson(batch.records()), values.stream().sorted().toList());
    }

    @Test
    void produceRefusesATopicWithOtherPartitionCounts() {
        kafka.createTopic("orders-mismatch", 2);
        OrderBatch batch = OrderGenerator.batch("orders-mismatch", 3, 1, 3, START, Duration.ofSeconds(1));
        assertThrows(IllegalArgumentException.class, () -> OrderGenerator.produce(kafka.bootstrapServers(), batch));
        assertThrows(IllegalStateException.class, () -> kafka.createTopic("orders-mismatch", 2));
    }

    @Test
    void liveFeedWritesAtTheGivenRateUntilItsCount() throws TimeoutException {
        kafka.createTopic("orders-live", 2);
        Instant before = Instant.now().minusSeconds(1);
        try (OrderGenerator.LiveFeed feed = OrderGenerator.startLive(kafka.bootstrapServers(), "orders-live", 50, 25, 3)) {
            await().atMost(Duration.ofSeconds(30)).until(feed::isDone);
            assertEquals(25, feed.produced());
            assertTrue(feed.failure().isEmpty());
        }
        List<OrderEvent> live = CommittedRecords.readUntil(kafka.bootstrapServers(), "orders-live",
                values -> values.size() >= 25, READ_TIMEOUT).stream().map(OrderEvent::fromJson).toList();
        assertEquals(25, live.size());
        assertTrue(live.stream().allMatch(order -> order.orderTime().isAfter(before)));
    }

    @Test
    void commandLineWritesABatchToAnExistingBroker() throws TimeoutException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = OrderGenerator.run(new String[] {"--bootstrap-servers", kafka.bootstrapServers(), "--topic",
            "orders-cli", "--partitions", "2", "--count", "40"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);

        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        assertEquals(42, CommittedRecords.readAll(kafka.bootstrapServers(), "orders-cli", READ_TIMEOUT).size());
    }

    @Test
    void readUntilTimesOutWithACount() {
        kafka.createTopic("orders-empty", 1);
        TimeoutException error = assertThrows(TimeoutException.class, () -> CommittedRecords.readUntil(
                kafka.bootstrapServers(), "orders-empty", values -> !values.isEmpty(), Duration.ofSeconds(2)));
        assertTrue(error.getMessage().contains("read 0 committed records"), error.getMessage());
    }

    @Test
    void restartKeepsPortAndData() throws TimeoutException {
        kafka.createTopic("orders-restart", 2);
        OrderBatch batch = OrderGenerator.produce(kafka.bootstrapServers(),
                OrderGenerator.batch("orders-restart", 2, 5, 20, START, Duration.ofSeconds(1)));
        // As in killedBrokerRecoversItsDataOnStart: the commit markers may not be written yet when
        // commitTransaction() returns, and then the committed data starts out empty to a reader.
        int expected = batch.records().size();
        CommittedRecords.readUntil(kafka.bootstrapServers(), "orders-restart", values -> values.size() >= expected,
                READ_TIMEOUT);
        String bootstrap = kafka.bootstrapServers();
        long pid = kafka.pid();

        long begin = System.nanoTime();
        kafka.restart();
        System.out.printf("Kafka broker restarted in %d ms%n", (System.nanoTime() - begin) / 1_000_000);

        assertEquals(bootstrap, kafka.bootstrapServers());
        assertTrue(kafka.pid() != pid);
        assertEquals(sortedJson(batch.records()), CommittedRecords.readUntil(kafka.bootstrapServers(), "orders-restart",
                values -> values.size() >= expected, READ_TIMEOUT).stream().sorted().toList());
    }

    @Test
    void killedBrokerRecoversItsDataOnStart() throws TimeoutException {
        kafka.createTopic("orders-crash", 1);
        OrderBatch batch = OrderGenerator.produce(kafka.bootstrapServers(),
                OrderGenerator.batch("orders-crash", 1, 9, 10, START, Duration.ofSeconds(1)));

        // commitTransaction() returns before the coordinator has written the commit markers: wait
        // until the batch is readable as committed, so the kill hits data the broker acknowledged.
        int expected = batch.records().size();
        CommittedRecords.readUntil(kafka.bootstrapServers(), "orders-crash", values -> values.size() >= expected,
                READ_TIMEOUT);

        kafka.kill();
        assertFalse(kafka.isRunning());
        kafka.start();

        assertEquals(sortedJson(batch.records()), CommittedRecords.readUntil(kafka.bootstrapServers(), "orders-crash",
                values -> values.size() >= expected, READ_TIMEOUT).stream().sorted().toList());
    }

    private static List<String> sortedJson(List<OrderEvent> events) {
        return events.stream().map(OrderEvent::toJson).sorted().toList();
    }
}
