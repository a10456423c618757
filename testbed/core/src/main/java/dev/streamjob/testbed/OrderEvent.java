package dev.streamjob.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * One order of the example's {@code orders} topic (in the spirit of the orders/shipments tables
 * of Flink's documentation). Its record value is one JSON object, its key the {@code order_id}
 * bytes:
 *
 * <pre>{"order_id":"o-0000001","customer_id":"c-042","product":"books","amount_cents":1299,"order_time":"2026-11-22T10:00:00.123Z"}</pre>
 *
 * <p>{@code order_time} is ISO-8601 in UTC with exactly three fraction digits and a literal
 * {@code Z}: the form Flink's {@code json} format reads into {@code TIMESTAMP_LTZ(3)} with
 * {@code 'json.timestamp-format.standard' = 'ISO-8601'} (flink-json's
 * {@code TimeFormats.ISO8601_TIMESTAMP_WITH_LOCAL_TIMEZONE_FORMAT}: ISO local date, {@code T},
 * ISO local time with an optional fraction, {@code Z}).
 *
 * @param orderId {@code o-} and a 7-digit sequence number ({@code flush-<partition>} for flush records)
 * @param customerId {@code c-} and 3 digits
 * @param product one of {@link #PRODUCTS}, or {@link #FLUSH_PRODUCT}
 * @param amountCents the order's amount in cents
 * @param orderTime the event time, kept to millisecond precision
 */
public record OrderEvent(String orderId, String customerId, String product, long amountCents, Instant orderTime) {

    /** The products orders are for. */
    public static final List<String> PRODUCTS = List.of("books", "games", "music", "garden", "tools");

    /**
     * The product of flush records: records far ahead in event time whose only purpose is to move
     * the watermark past every window of a batch. They are not orders and are never aggregated
     * in expectations.
     */
    public static final String FLUSH_PRODUCT = "flush";

    /** {@code order_time}'s format: {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC. */
    public static final DateTimeFormatter ORDER_TIME_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Truncates {@code orderTime} to milliseconds, the precision of the JSON form. */
    public OrderEvent {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(product, "product");
        orderTime = orderTime.truncatedTo(ChronoUnit.MILLIS);
    }

    /** True for a flush record ({@link #FLUSH_PRODUCT}). */
    public boolean isFlush() {
        return FLUSH_PRODUCT.equals(product);
    }

    /** The Kafka record key: the UTF-8 bytes of {@code order_id}. */
    public byte[] key() {
        return orderId.getBytes(StandardCharsets.UTF_8);
    }

    /** The Kafka record value: the JSON object above, fields in that order. */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode()
                .put("order_id", orderId)
                .put("customer_id", customerId)
                .put("product", product)
                .put("amount_cents", amountCents)
                .put("order_time", ORDER_TIME_FORMAT.format(orderTime));
        return node.toString();
    }

    /**
     * Parses a record value written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if it is not such a JSON object
     */
    public static OrderEvent fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new OrderEvent(
                    required(node, "order_id").asText(),
                    required(node, "customer_id").asText(),
                    required(node, "product").asText(),
                    required(node, "amount_cents").asLong(),
                    Instant.parse(required(node, "order_time").asText()));
        } catch (JsonProcessingException | DateTimeParseException e) {
            throw new IllegalArgumentException("not an order event: " + json, e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("order event without " + field + ": " + node);
        }
        return value;
    }
}
