package dev.streamjob.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrderGeneratorTest {

    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void sameSeedGivesTheSameBatch() {
        OrderBatch first = OrderGenerator.batch("orders", 3, 7, 50, START, Duration.ofMillis(250));
        assertEquals(first, OrderGenerator.batch("orders", 3, 7, 50, START, Duration.ofMillis(250)));
        assertNotEquals(first.orders(), OrderGenerator.batch("orders", 3, 8, 50, START, Duration.ofMillis(250)).orders());
    }

    @Test
    void ordersAreSpacedByTheStepAndWellFormed() {
        OrderBatch batch = OrderGenerator.batch("orders", 2, 42, 5, START, Duration.ofMillis(2500));
        for (int i = 0; i < 5; i++) {
            OrderEvent order = batch.orders().get(i);
            assertEquals(String.format("o-%07d", i + 1), order.orderId());
            assertEquals(START.plusMillis(2500L * i), order.orderTime());
            assertTrue(order.customerId().matches("c-\\d{3}"), order.customerId());
            assertTrue(OrderEvent.PRODUCTS.contains(order.product()), order.product());
            assertTrue(order.amountCents() >= 100 && order.amountCents() < 10_000);
        }
    }

    @Test
    void roundRobinWithOneFlushRecordPerPartitionAMinuteAfterTheLastOrder() {
        OrderBatch batch = OrderGenerator.batch("orders", 3, 42, 7, START, Duration.ofSeconds(1));
        List<List<OrderEvent>> partitions = batch.byPartition();

        assertEquals(List.of("o-0000001", "o-0000004", "o-0000007", "flush-0"), ids(partitions.get(0)));
        assertEquals(List.of("o-0000002", "o-0000005", "flush-1"), ids(partitions.get(1)));
        assertEquals(List.of("o-0000003", "o-0000006", "flush-2"), ids(partitions.get(2)));
        for (OrderEvent flush : batch.flushes()) {
            assertTrue(flush.isFlush());
            assertEquals(START.plusSeconds(6).plus(OrderGenerator.FLUSH_AHEAD), flush.orderTime());
        }
        assertEquals(10, batch.records().size());
    }

    @Test
    void batchCoversSeveralWindowsAndExpectationsLeaveFlushesOut() {
        OrderBatch batch = OrderGenerator.batch("orders", 3, 42, 300, START, Duration.ofMillis(100));
        List<WindowAggregate> expected = batch.expectedAggregates();

        assertEquals(3, expected.stream().map(WindowAggregate::windowStart).distinct().count());
        assertEquals(300, expected.stream().mapToLong(WindowAggregate::orders).sum());
        assertEquals(batch.orders().stream().mapToLong(OrderEvent::amountCents).sum(),
                expected.stream().mapToLong(WindowAggregate::revenueCents).sum());
        assertTrue(expected.stream().noneMatch(row -> row.product().equals(OrderEvent.FLUSH_PRODUCT)));
    }

    @Test
    void parsesTheCommandLine() {
        OrderGenerator.Options options = OrderGenerator.Options.parse(new String[] {
            "--bootstrap-servers", "127.0.0.1:9092", "--topic", "in", "--rate", "2.5", "--count", "10",
            "--seed", "-3", "--partitions", "6"});
        assertEquals("127.0.0.1:9092", options.bootstrapServers());
        assertEquals("in", options.topic());
        assertEquals(2.5, options.rate());
        assertEquals(Optional.of(10L), options.count());
        assertEquals(-3, options.seed());
        assertEquals(6, options.partitions());

        OrderGenerator.Options defaults = OrderGenerator.Options.parse(new String[] {"--bootstrap-servers", "k:9092"});
        assertEquals("orders", defaults.topic());
        assertEquals(null, defaults.rate());
        assertEquals(OrderGenerator.DEFAULT_START, defaults.start());
        assertEquals(Duration.ofMillis(100), defaults.step());
    }

    @Test
    void printsUsageOnBadInput() {
        for (String[] args : List.of(new String[0], new String[] {"--bootstrap-servers"},
                new String[] {"--bootstrap-servers", "k:9092", "--rate", "0"},
                new String[] {"--bootstrap-servers", "k:9092", "--count", "many"},
                new String[] {"--bootstrap-servers", "k:9092", "--start", "yesterday"},
                new String[] {"--bootstrap-servers", "k:9092", "--frobnicate", "1"})) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = OrderGenerator.run(args, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(2, code, String.join(" ", args));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: OrderGenerator"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, OrderGenerator.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--bootstrap-servers"));
    }

    @Test
    void rejectsImpossibleBatches() {
        assertThrows(IllegalArgumentException.class, () -> OrderGenerator.batch("t", 0, 1, 1, START, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> OrderGenerator.batch("t", 1, 1, -1, START, Duration.ZERO));
    }

    private static List<String> ids(List<OrderEvent> events) {
        return events.stream().map(OrderEvent::orderId).toList();
    }
}
