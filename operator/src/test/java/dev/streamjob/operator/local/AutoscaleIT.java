package dev.streamjob.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.operator.api.v1alpha1.AutoscalerSpec;
import dev.streamjob.operator.api.v1alpha1.AutoscalerStatus;
import dev.streamjob.operator.api.v1alpha1.KafkaSourceSpec;
import dev.streamjob.operator.api.v1alpha1.Rescale;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.testbed.OrderBatch;
import dev.streamjob.testbed.OrderGenerator;
import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The lag-based autoscaler on the running example, on real Flink, Kafka and S3, under continuous
 * input (100 orders/s): with little load it scales the job in from 2 to 1; a backlog written at
 * once makes it scale out to 2; once the backlog is drained it scales back in. Each rescale goes
 * in place. The test plays the kubelet and the ReplicaSet. In the end the read_committed output
 * must be exactly the input's aggregates.
 *
 * <p>The example as it is processes tens of thousands of orders per second here and drains any
 * backlog the test can write in a few seconds, before a lag reading or two can see it. So this
 * job does real work per order: a filter that hashes the order id repeated {@value #WORK} times
 * (always true, so the aggregates are the example's), which brings one subtask to some thousands
 * of orders per second, and a backlog of {@value #BACKLOG} orders to tens of seconds of work at
 * parallelism 1.
 */
@QuarkusTest
@TestProfile(LocalFlinkProfile.class)
@WithKubernetesTestServer(crud = true)
class AutoscaleIT extends UpgradeTestBase {

    /** The backlog written at once. */
    private static final int BACKLOG = 120_000;
    private static final int ORDERS = 45_000 + BACKLOG;
    private static final int COOLDOWN_SECONDS = 20;
    /** How often the hashed order id is repeated: the work per order. */
    static final int WORK = 10_000;

    /**
     * The example with a costly filter in front of its windows (see the class comment), and Flink's
     * metric fetcher refreshing every second, so the busy time the operator reads is fresh.
     */
    static void withWorkPerOrder(StreamJob job) {
        String sql = job.getSpec().getJob().getSql();
        String source = "FROM TABLE(TUMBLE(TABLE orders,";
        if (!sql.contains(source)) {
            throw new IllegalStateException("the example's query no longer reads " + source + "; update this test");
        }
        String view = "CREATE TEMPORARY VIEW worked_orders AS SELECT * FROM orders\n"
                + "WHERE CHAR_LENGTH(SHA256(REPEAT(order_id, " + WORK + "))) = 64;\n\n";
        int insert = sql.indexOf("INSERT INTO");
        job.getSpec().getJob().setSql(sql.substring(0, insert) + view
                + sql.substring(insert).replace(source, "FROM TABLE(TUMBLE(TABLE worked_orders,"));
        job.getSpec().getFlinkConfiguration().put("metrics.fetcher.update-interval", "1000");
    }

    @Override
    String namespace() {
        return "autoscale";
    }

    @Test
    void scalesOutOnABacklogAndBackInOnceItIsDrained() throws Exception {
        work = Files.createTempDirectory("autoscale-it");
        OrderBatch batch = OrderGenerator.batch("orders", 2, 31, ORDERS, OrderGenerator.DEFAULT_START, Duration.ofMillis(20));
        ExamplePods pods = createExample("3s", AutoscaleIT::withWorkPerOrder);
        startRun(pods);
        InputFeed feed = new InputFeed(batch);
        try {
            awaitReady();
            edit(j -> {
                KafkaSourceSpec source = new KafkaSourceSpec();
                source.setBootstrapServers(kafka.bootstrapServers());
                source.setConsumerGroup("orders-revenue");
                source.setTopics(List.of("orders"));
                j.getSpec().setKafkaSources(List.of(source));
                AutoscalerSpec autoscaler = new AutoscalerSpec();
                autoscaler.setMinParallelism(1);
                autoscaler.setMaxParallelism(2);
                autoscaler.setTargetLagSeconds(5);
                autoscaler.setMetricWindow("15s"); // several checkpoints: offsets are committed with each
                autoscaler.setStabilizationWindow("20s");
                autoscaler.setCooldown(COOLDOWN_SECONDS + "s"); // longer than the catch-up after a rescale
                j.getSpec().setAutoscaler(autoscaler);
            });

            AutoscalerStatus.AutoscalerDecision in = awaitAutoscaled(1, d -> d.reason().equals("ScaleIn"));
            System.out.printf("MEASURED autoscaler scale-in with little load: %s%n", in.message());

            // Write the backlog once the autoscaler decides again: the cooldown after the scale-in is
            // over and its metric window has enough samples.
            Instant cooled = Instant.parse(current().getStatus().getLastRescale().completedAt()).plusSeconds(COOLDOWN_SECONDS);
            followUntil(Duration.ofMinutes(1), () -> {
                AutoscalerStatus.AutoscalerDecision last = current().getStatus().getAutoscaler().lastDecision();
                return last != null && !Instant.parse(last.time()).isBefore(cooled)
                        && List.of("WithinTarget", "ScaleInStabilizing", "AtBound").contains(last.reason());
            });
            int written = feed.stop();
            Instant injected = Instant.now();
            OrderGenerator.produceRange(kafka.bootstrapServers(), batch, written, written + BACKLOG);
            double writing = seconds(injected);
            feed = new InputFeed(batch, written + BACKLOG);
            AutoscalerStatus.AutoscalerDecision out = awaitAutoscaled(2, d -> d.reason().equals("ScaleOut"));
            assertThat(out.lagRecords()).as("the backlog was seen").isGreaterThan(10_000L);
            System.out.printf("MEASURED autoscaler: a backlog of %d orders written in %.1f s; scale-out decided %.0f s"
                    + " after the write began, running in place at parallelism 2 after %.1f s: %s%n", BACKLOG, writing,
                    secondsBetween(injected, out.time()), seconds(injected), out.message());

            AutoscalerStatus.AutoscalerDecision back = awaitAutoscaled(1, d -> d.reason().equals("ScaleIn"));
            System.out.printf("MEASURED autoscaler: scale-in decided %.0f s after the backlog's write began: %s%n",
                    secondsBetween(injected, back.time()), back.message());

            written = feed.stop();
            finishInputAndAssertExactOutput(batch, written);
            StreamJob done = current();
            assertThat(done.getStatus().getCurrentRun().number()).as("every rescale in place").isEqualTo(1);
            assertThat(done.getStatus().getSavepoints()).isEmpty();
            List<Event> autoscaled = client.v1().events().inNamespace(namespace()).list().getItems().stream()
                    .filter(e -> "Autoscaled".equals(e.getReason())).toList();
            assertThat(autoscaled).extracting(Event::getMessage).anyMatch(m -> m.startsWith("ScaleOut: parallelism 1 -> 2"))
                    .anyMatch(m -> m.startsWith("ScaleIn: parallelism 2 -> 1"));
        } catch (AssertionError | RuntimeException e) {
            throw withLogs(e);
        } finally {
            feed.close();
            endRun();
        }
    }

    private static double secondsBetween(Instant from, String rfc3339) {
        return Duration.between(from, Instant.parse(rfc3339)).toMillis() / 1000.0;
    }

    /**
     * Plays the kubelet and the ReplicaSet until the autoscaler's last scaling decision matches and
     * the job runs at {@code parallelism} after an in-place rescale.
     *
     * @return that decision
     */
    private AutoscalerStatus.AutoscalerDecision awaitAutoscaled(int parallelism,
            Predicate<AutoscalerStatus.AutoscalerDecision> decision) {
        followUntil(Duration.ofMinutes(3), () -> {
            followTaskManagerReplicas();
            StreamJob job = current();
            AutoscalerStatus autoscaler = job.getStatus().getAutoscaler();
            Rescale last = job.getStatus().getLastRescale();
            return autoscaler != null && autoscaler.lastScale() != null && decision.test(autoscaler.lastScale())
                    && autoscaler.lastScale().scaleTo() == parallelism && last != null && last.to() == parallelism
                    && last.completedAt() != null && job.getStatus().getOperation() == null
                    && job.getStatus().getParallelism() == parallelism && ready(job);
        });
        Rescale last = current().getStatus().getLastRescale();
        assertThat(last.path()).isEqualTo(Rescale.IN_PLACE);
        return current().getStatus().getAutoscaler().lastScale();
    }
}
