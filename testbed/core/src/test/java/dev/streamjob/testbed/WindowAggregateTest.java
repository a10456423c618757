package dev.streamjob.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowAggregateTest {

    private static OrderEvent order(String id, String product, long cents, String time) {
        return new OrderEvent(id, "c-001", product, cents, Instant.parse(time));
    }

    private static WindowAggregate aggregate(String start, String end, String product, long orders, long cents) {
        return new WindowAggregate(LocalDateTime.parse(start), LocalDateTime.parse(end), product, orders, cents);
    }

    /** Hand-computed: windows [10:00:00, 10:00:10) and [10:00:10, 10:00:20); the flush window never closes. */
    @Test
    void aggregatesATinyBatchPerWindowAndProduct() {
        List<OrderEvent> batch = List.of(
                order("o-1", "books", 1000, "2026-11-22T10:00:00.000Z"),
                order("o-2", "games", 250, "2026-11-22T10:00:04.500Z"),
                order("o-3", "books", 99, "2026-11-22T10:00:09.999Z"),
                order("o-4", "books", 1, "2026-11-22T10:00:10.000Z"),
                order("o-5", "tools", 700, "2026-11-22T10:00:19.000Z"),
                order("flush-0", OrderEvent.FLUSH_PRODUCT, 0, "2026-11-22T10:01:19.000Z"));

        assertEquals(List.of(
                aggregate("2026-11-22T10:00:00", "2026-11-22T10:00:10", "books", 2, 1099),
                aggregate("2026-11-22T10:00:00", "2026-11-22T10:00:10", "games", 1, 250),
                aggregate("2026-11-22T10:00:10", "2026-11-22T10:00:20", "books", 1, 1),
                aggregate("2026-11-22T10:00:10", "2026-11-22T10:00:20", "tools", 1, 700)),
                WindowAggregate.expected(batch));
    }

    @Test
    void windowBoundsAreWallClockInTheSessionTimeZone() {
        List<OrderEvent> batch = List.of(order("o-1", "music", 5, "2026-11-22T10:00:03Z"));
        assertEquals(List.of(aggregate("2026-11-22T11:00:00", "2026-11-22T11:01:00", "music", 1, 5)),
                WindowAggregate.expected(batch, Duration.ofMinutes(1), ZoneId.of("Europe/Berlin")));
        assertThrows(IllegalArgumentException.class,
                () -> WindowAggregate.expected(batch, Duration.ZERO, ZoneId.of("UTC")));
    }

    @Test
    void parsesFlinksSqlJsonOutput() {
        assertEquals(aggregate("2026-11-22T10:00:00", "2026-11-22T10:00:10", "books", 12, 15588),
                WindowAggregate.fromJson("{\"window_start\":\"2026-11-22 10:00:00\",\"window_end\":"
                        + "\"2026-11-22 10:00:10\",\"product\":\"books\",\"orders\":12,\"revenue_cents\":15588}"));
    }

    @Test
    void toleratesFractionsAndIsoTimestamps() {
        WindowAggregate expected = aggregate("2026-11-22T10:00:00", "2026-11-22T10:00:10", "tools", 1, 2);
        for (String start : List.of("2026-11-22 10:00:00.000", "2026-11-22T10:00:00", "2026-11-22T10:00:00.000Z")) {
            assertEquals(expected, WindowAggregate.fromJson("{\"window_start\":\"" + start + "\",\"window_end\":"
                    + "\"2026-11-22 10:00:10\",\"product\":\"tools\",\"orders\":1,\"revenue_cents\":2}"));
        }
        assertThrows(IllegalArgumentException.class, () -> WindowAggregate.fromJson("{\"product\":\"tools\"}"));
    }

    @Test
    void writesFlinksSqlJsonFormat() {
        WindowAggregate row = aggregate("2026-11-22T10:00:00", "2026-11-22T10:00:10", "books", 12, 15588);
        assertEquals("{\"window_start\":\"2026-11-22 10:00:00\",\"window_end\":\"2026-11-22 10:00:10\","
                + "\"product\":\"books\",\"orders\":12,\"revenue_cents\":15588}", row.toJson());
        assertEquals(row, WindowAggregate.fromJson(row.toJson()));
    }
}
