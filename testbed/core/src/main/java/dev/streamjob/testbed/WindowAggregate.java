package dev.streamjob.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One row of the example's {@code revenue_per_product} table: the orders and revenue of one
 * product in one tumbling event-time window, as the example SQL computes them:
 *
 * <pre>{@code
 * INSERT INTO revenue_per_product
 * SELECT window_start, window_end, product, COUNT(*), SUM(amount_cents)
 * FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(order_time), INTERVAL '10' SECOND))
 * GROUP BY window_start, window_end, product;
 * }</pre>
 *
 * <p>Flink's {@code json} sink with {@code 'json.timestamp-format.standard' = 'SQL'} writes it as
 *
 * <pre>{"window_start":"2026-11-22 10:00:00","window_end":"2026-11-22 10:00:10","product":"books","orders":12,"revenue_cents":15588}</pre>
 *
 * <p>{@code window_start} and {@code window_end} are {@code TIMESTAMP(3)}: wall-clock times
 * without a zone. A window over a {@code TIMESTAMP_LTZ} column is computed in the session time
 * zone ({@code table.local-time-zone}, by default the JVM's), so the example and the tests pin
 * it with {@code SET 'table.local-time-zone' = 'UTC';} and the expectations use UTC.
 *
 * @param windowStart inclusive window start, wall clock in the session time zone
 * @param windowEnd exclusive window end
 * @param product the product
 * @param orders number of orders in the window
 * @param revenueCents sum of their {@code amount_cents}
 */
public record WindowAggregate(LocalDateTime windowStart, LocalDateTime windowEnd, String product, long orders,
        long revenueCents) implements Comparable<WindowAggregate> {

    /** The example's window size: 10 seconds. */
    public static final Duration WINDOW_SIZE = Duration.ofSeconds(10);

    /**
     * Flink's SQL timestamp format ({@code yyyy-MM-dd HH:mm:ss} and, when not zero, a fraction
     * of up to 9 digits without trailing zeros), as flink-json's {@code SQL_TIMESTAMP_FORMAT}.
     */
    public static final DateTimeFormatter SQL_TIMESTAMP_FORMAT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .toFormatter();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<WindowAggregate> ORDER = Comparator.comparing(WindowAggregate::windowStart)
            .thenComparing(WindowAggregate::windowEnd)
            .thenComparing(WindowAggregate::product)
            .thenComparingLong(WindowAggregate::orders)
            .thenComparingLong(WindowAggregate::revenueCents);

    /**
     * The aggregates the example job must emit for {@code orders}: one per (10-second window,
     * product) that has orders, in UTC, sorted. Flush records are left out, so the windows they
     * fall in (which never close) are too.
     */
    public static List<WindowAggregate> expected(Collection<OrderEvent> orders) {
        return expected(orders, WINDOW_SIZE, ZoneOffset.UTC);
    }

    /**
     * The aggregates of {@code orders} in tumbling windows of {@code windowSize} aligned to the
     * epoch in {@code sessionTimeZone} (Flink's TUMBLE over a {@code TIMESTAMP_LTZ} column, zero
     * offset), sorted by window, then product. Flush records are left out.
     *
     * @throws IllegalArgumentException if {@code windowSize} is not a positive whole number of milliseconds
     */
    public static List<WindowAggregate> expected(Collection<OrderEvent> orders, Duration windowSize,
            ZoneId sessionTimeZone) {
        long size = windowSize.toMillis();
        if (size <= 0 || !windowSize.equals(Duration.ofMillis(size))) {
            throw new IllegalArgumentException("window size must be a positive number of milliseconds: " + windowSize);
        }
        Map<WindowKey, long[]> totals = new TreeMap<>(
                Comparator.comparing(WindowKey::start).thenComparing(WindowKey::product));
        for (OrderEvent order : orders) {
            if (order.isFlush()) {
                continue;
            }
            Instant time = order.orderTime();
            long localMillis = time.toEpochMilli()
                    + sessionTimeZone.getRules().getOffset(time).getTotalSeconds() * 1000L;
            long startMillis = Math.floorDiv(localMillis, size) * size;
            LocalDateTime start = LocalDateTime.ofInstant(Instant.ofEpochMilli(startMillis), ZoneOffset.UTC);
            long[] sums = totals.computeIfAbsent(new WindowKey(start, order.product()), key -> new long[2]);
            sums[0]++;
            sums[1] += order.amountCents();
        }
        return totals.entrySet().stream()
                .map(entry -> new WindowAggregate(entry.getKey().start(), entry.getKey().start().plus(windowSize),
                        entry.getKey().product(), entry.getValue()[0], entry.getValue()[1]))
                .collect(Collectors.toList());
    }

    /**
     * Parses one record of the sink. Timestamps may be in Flink's SQL form
     * ({@code 2026-11-22 10:00:00}, optional fraction) or ISO-8601 ({@code 2026-11-22T10:00:00},
     * optional fraction, optional {@code Z}).
     *
     * @throws IllegalArgumentException if it is not such a JSON object
     */
    public static WindowAggregate fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new WindowAggregate(
                    timestamp(required(node, "window_start").asText()),
                    timestamp(required(node, "window_end").asText()),
                    required(node, "product").asText(),
                    required(node, "orders").asLong(),
                    required(node, "revenue_cents").asLong());
        } catch (JsonProcessingException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a window aggregate: " + json, e);
        }
    }

    /** Parses every record with {@link #fromJson(String)} and sorts them as {@link #expected}. */
    public static List<WindowAggregate> fromJson(Collection<String> records) {
        return records.stream().map(WindowAggregate::fromJson).sorted().collect(Collectors.toList());
    }

    /** This row as Flink's json sink writes it with the SQL timestamp standard. */
    public String toJson() {
        return JSON.createObjectNode()
                .put("window_start", SQL_TIMESTAMP_FORMAT.format(windowStart))
                .put("window_end", SQL_TIMESTAMP_FORMAT.format(windowEnd))
                .put("product", product)
                .put("orders", orders)
                .put("revenue_cents", revenueCents)
                .toString();
    }

    /** Orders by window start, window end, product, then the counts. */
    @Override
    public int compareTo(WindowAggregate other) {
        return ORDER.compare(this, other);
    }

    private record WindowKey(LocalDateTime start, String product) {
    }

    private static LocalDateTime timestamp(String text) {
        String sql = text.replace('T', ' ');
        if (sql.endsWith("Z")) {
            sql = sql.substring(0, sql.length() - 1);
        }
        return LocalDateTime.parse(sql, SQL_TIMESTAMP_FORMAT);
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("window aggregate without " + field + ": " + node);
        }
        return value;
    }
}
