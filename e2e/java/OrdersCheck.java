import dev.streamjob.testbed.CommittedRecords;
import dev.streamjob.testbed.OrderBatch;
import dev.streamjob.testbed.OrderEvent;
import dev.streamjob.testbed.OrderGenerator;
import dev.streamjob.testbed.WindowAggregate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The e2e suite's input and output check of examples/orders-revenue.yaml, run on the host with
 * the testbed's classpath (single-file source: {@code java -cp <testbed> e2e/java/OrdersCheck.java}).
 *
 * <pre>
 * OrdersCheck topics BOOTSTRAP                         create `orders` (3 partitions) and `revenue` (1); existing ones are kept
 * OrdersCheck batch BOOTSTRAP COUNT N TIMEOUT_S        write deterministic batch N (COUNT orders, one transaction), then
 *                                                      read `revenue` read_committed until every expected window of
 *                                                      batches 1..N is there, wait longer than a checkpoint interval
 *                                                      and require exactly the expected rows
 * </pre>
 * Exit code 0 when the check passes, 1 with the difference on stderr otherwise.
 */
public class OrdersCheck {

    static final int ORDER_PARTITIONS = 3;
    static final Duration SETTLE = Duration.ofSeconds(15); // more than the example's checkpoint interval (10 s)

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "topics" -> topics(args[1]);
            case "batch" -> batch(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Duration.ofSeconds(Long.parseLong(args[4])));
            default -> {
                System.err.println("usage: OrdersCheck topics BOOTSTRAP | batch BOOTSTRAP COUNT N TIMEOUT_S");
                System.exit(2);
            }
        }
    }

    static void topics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (NewTopic topic : List.of(new NewTopic("orders", ORDER_PARTITIONS, (short) 1),
                    new NewTopic("revenue", 1, (short) 1))) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    System.out.println("created topic " + topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    System.out.println("topic " + topic.name() + " exists");
                }
            }
        }
    }

    /**
     * Writes batch {@code n} (of {@code count} orders, seed 41 + n, starting n - 1 hours after
     * {@link OrderGenerator#DEFAULT_START}) and checks that the topic `revenue` then holds exactly
     * the expected aggregates of batches 1..n. Rows of the `flush` product are ignored: a batch's
     * flush records open a window that the next batch's event time closes.
     */
    static void batch(String bootstrap, int count, int n, Duration timeout) throws Exception {
        List<WindowAggregate> expected = new ArrayList<>();
        OrderBatch batch = null;
        for (int i = 1; i <= n; i++) {
            batch = OrderGenerator.batch("orders", ORDER_PARTITIONS, 41 + i, count,
                    OrderGenerator.DEFAULT_START.plus(Duration.ofHours(i - 1)), Duration.ofMillis(100));
            expected.addAll(batch.expectedAggregates());
        }
        expected.sort(null);
        OrderGenerator.produce(bootstrap, batch);
        System.out.println("wrote batch " + n + " (" + count + " orders); expecting " + expected.size()
                + " window aggregates of batches 1.." + n + " in total");
        long t0 = System.nanoTime();
        CommittedRecords.readUntil(bootstrap, "revenue",
                values -> withoutFlush(WindowAggregate.fromJson(values)).size() >= expected.size(), timeout);
        System.out.printf("%d committed aggregates after %.1f s; waiting %d s for anything extra%n",
                expected.size(), (System.nanoTime() - t0) / 1e9, SETTLE.toSeconds());
        Thread.sleep(SETTLE.toMillis());
        List<WindowAggregate> actual = withoutFlush(
                WindowAggregate.fromJson(CommittedRecords.readAll(bootstrap, "revenue", Duration.ofSeconds(60))));
        actual.sort(null);
        if (actual.equals(expected)) {
            System.out.println("OK: the " + actual.size() + " committed aggregates equal the expected ones, e.g. "
                    + actual.get(actual.size() - 1).toJson());
            return;
        }
        List<WindowAggregate> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        List<WindowAggregate> unexpected = new ArrayList<>(actual);
        unexpected.removeAll(expected);
        System.err.println("FAILED: " + actual.size() + " committed aggregates, " + expected.size() + " expected");
        missing.stream().limit(10).forEach(a -> System.err.println("  missing:    " + a.toJson()));
        unexpected.stream().limit(10).forEach(a -> System.err.println("  unexpected: " + a.toJson()));
        if (missing.isEmpty() && unexpected.isEmpty()) {
            System.err.println("  (same rows, different multiplicity: duplicates)");
        }
        System.exit(1);
    }

    static List<WindowAggregate> withoutFlush(List<WindowAggregate> rows) {
        List<WindowAggregate> result = new ArrayList<>(rows);
        result.removeIf(row -> row.product().equals(OrderEvent.FLUSH_PRODUCT));
        return result;
    }
}
