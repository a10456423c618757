package dev.streamjob.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import org.junit.jupiter.api.Test;

class OrderEventTest {

    /**
     * How flink-json reads TIMESTAMP_LTZ with 'json.timestamp-format.standard' = 'ISO-8601'
     * (TimeFormats.ISO8601_TIMESTAMP_WITH_LOCAL_TIMEZONE_FORMAT, then LocalDateTime at UTC).
     */
    private static final DateTimeFormatter FLINK_ISO8601_LTZ = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendPattern("'Z'")
            .toFormatter();

    private final OrderEvent order = new OrderEvent("o-0000001", "c-042", "books", 1299,
            Instant.parse("2026-11-22T10:00:00.123Z"));

    @Test
    void writesTheExampleSchemaExactly() {
        assertEquals("{\"order_id\":\"o-0000001\",\"customer_id\":\"c-042\",\"product\":\"books\","
                + "\"amount_cents\":1299,\"order_time\":\"2026-11-22T10:00:00.123Z\"}", order.toJson());
    }

    @Test
    void alwaysWritesThreeFractionDigits() {
        OrderEvent onTheSecond = new OrderEvent("o-2", "c-001", "games", 1, Instant.parse("2026-11-22T10:00:10Z"));
        assertEquals("2026-11-22T10:00:10.000Z", OrderEvent.ORDER_TIME_FORMAT.format(onTheSecond.orderTime()));
    }

    @Test
    void orderTimeParsesWithFlinksIso8601LocalZonedFormat() {
        String orderTime = OrderEvent.ORDER_TIME_FORMAT.format(order.orderTime());
        assertEquals(LocalDateTime.parse("2026-11-22T10:00:00.123"),
                LocalDateTime.from(FLINK_ISO8601_LTZ.parse(orderTime)));
    }

    @Test
    void roundTripsThroughJson() {
        assertEquals(order, OrderEvent.fromJson(order.toJson()));
        assertThrows(IllegalArgumentException.class, () -> OrderEvent.fromJson("{\"order_id\":\"x\"}"));
        assertThrows(IllegalArgumentException.class, () -> OrderEvent.fromJson("not json"));
    }

    @Test
    void keepsMillisecondPrecision() {
        OrderEvent precise = new OrderEvent("o-3", "c-001", "music", 1, Instant.parse("2026-11-22T10:00:00.123456Z"));
        assertEquals(Instant.parse("2026-11-22T10:00:00.123Z"), precise.orderTime());
    }
}
