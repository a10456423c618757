package dev.streamjob.testbed;

import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic batch of orders as {@link OrderGenerator#batch} makes it and
 * {@link OrderGenerator#produce} writes it: order {@code i} (from 0) goes to partition
 * {@code i % partitions}, so every partition holds its orders in event-time order, and each
 * partition then gets one flush record.
 *
 * <p>The flush records carry event time {@link OrderGenerator#FLUSH_AHEAD} (60 s) after the last
 * order. With the example's watermark ({@code order_time - 5 s}, the minimum over partitions)
 * they move the watermark 55 s past the last order, beyond the end of every window holding an
 * order, so every expected window closes and is emitted.
 *
 * @param topic the topic it is (to be) written to
 * @param partitions the topic's partition count
 * @param orders the orders, in production (and event-time) order
 * @param flushes one flush record per partition, {@code flushes.get(p)} for partition {@code p}
 */
public record OrderBatch(String topic, int partitions, List<OrderEvent> orders, List<OrderEvent> flushes) {

    /**
     * Copies the lists.
     *
     * @throws IllegalArgumentException unless there is at least one partition and one flush record per partition
     */
    public OrderBatch {
        if (partitions < 1 || flushes.size() != partitions) {
            throw new IllegalArgumentException("need one flush record for each of " + partitions + " partitions, got "
                    + flushes.size());
        }
        orders = List.copyOf(orders);
        flushes = List.copyOf(flushes);
    }

    /** The partition order {@code index} (0-based) is written to. */
    public int partitionOf(int index) {
        return index % partitions;
    }

    /** Every record of each partition in the order written: its orders, then its flush record. */
    public List<List<OrderEvent>> byPartition() {
        List<List<OrderEvent>> result = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            result.add(new ArrayList<>());
        }
        for (int i = 0; i < orders.size(); i++) {
            result.get(partitionOf(i)).add(orders.get(i));
        }
        for (int p = 0; p < partitions; p++) {
            result.get(p).add(flushes.get(p));
        }
        return result;
    }

    /** All records written: orders then flush records; {@code orders().size() + partitions()} of them. */
    public List<OrderEvent> records() {
        List<OrderEvent> all = new ArrayList<>(orders);
        all.addAll(flushes);
        return all;
    }

    /** The example job's expected output for this batch: {@link WindowAggregate#expected(java.util.Collection)}. */
    public List<WindowAggregate> expectedAggregates() {
        return WindowAggregate.expected(orders);
    }
}
