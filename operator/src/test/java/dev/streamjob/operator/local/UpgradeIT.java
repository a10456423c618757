package dev.streamjob.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamjob.operator.api.v1alpha1.JobState;
import dev.streamjob.operator.api.v1alpha1.SavepointInfo;
import dev.streamjob.operator.api.v1alpha1.SavepointTrigger;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.UpgradeMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamjob.testbed.CommittedRecords;
import dev.streamjob.testbed.OrderBatch;
import dev.streamjob.testbed.OrderGenerator;
import dev.streamjob.testbed.WindowAggregate;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Spec changes of the running example under continuous input, on real Flink, Kafka and S3: the SQL
 * (a new output column) and a Flink setting (savepoint upgrades), a Flink setting with the
 * parallelism (last-state, to fewer TaskManagers), and a suspend followed by a resume. The test plays the kubelet: it runs the pods of each run as local
 * processes, mirrors them as Pod objects, and ends them when the operator scales the Deployments
 * to zero. After all of it, a read_committed consumer must see exactly the aggregates of the
 * input: no record lost, none duplicated, and windows that span an upgrade counted whole (keyed
 * state carried over).
 */
@QuarkusTest
@TestProfile(LocalFlinkProfile.class)
@WithKubernetesTestServer(crud = true)
class UpgradeIT extends UpgradeTestBase {

    private static final int ORDERS = 12_000;

    @Override
    String namespace() {
        return "upgrade";
    }

    @Test
    void upgradesKeepEveryRecordExactlyOnce() throws Exception {
        work = Files.createTempDirectory("upgrade-it");
        // Event times 20 ms apart: 10 s windows of 500 orders, written 100 per second, so windows
        // are open while the job is upgraded.
        OrderBatch batch = OrderGenerator.batch("orders", 2, 23, ORDERS, OrderGenerator.DEFAULT_START, Duration.ofMillis(20));
        ExamplePods pods = createExample("3s");
        startRun(pods);
        InputFeed feed = new InputFeed(batch);
        try {
            awaitReady();

            StreamJob run2 = upgrade("the SQL: a new output column", j -> j.getSpec().getJob().setSql(withAverageColumn(
                    j.getSpec().getJob().getSql())), 2);
            assertThat(run2.getStatus().getRestoredFrom()).isEqualTo(savepoints().get(0).path());
            StreamJob run3 = upgrade("a Flink setting",
                    j -> j.getSpec().getFlinkConfiguration().put("pipeline.auto-watermark-interval", "150ms"), 3);
            assertThat(run3.getStatus().getRestoredFrom()).isEqualTo(savepoints().get(0).path());
            String run3JobId = run3.getStatus().getCurrentRun().jobId();
            StreamJob run4 = upgrade("a Flink setting and the parallelism, last-state", j -> {
                j.getSpec().getJob().setUpgradeMode(UpgradeMode.LAST_STATE);
                j.getSpec().getFlinkConfiguration().put("pipeline.auto-watermark-interval", "200ms");
                j.getSpec().getJob().setParallelism(1);
            }, 4);
            assertThat(run4.getStatus().getRestoredFrom()).as("last-state: the newest checkpoint of run 3")
                    .startsWith("s3://" + BUCKET + "/" + namespace() + "/orders-revenue/checkpoints/" + run3JobId + "/chk-");
            assertThat(savepoints()).hasSize(2);
            assertThat(client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-taskmanager").get()
                    .getSpec().getReplicas()).isEqualTo(1);

            Instant suspend = Instant.now();
            edit(j -> {
                j.getSpec().getJob().setUpgradeMode(UpgradeMode.SAVEPOINT);
                j.getSpec().getJob().setState(JobState.SUSPENDED);
            });
            endRunWhenScaledDown();
            await().atMost(Duration.ofMinutes(2)).until(() -> "SUSPENDED".equals(current().getStatus().getJobState()));
            System.out.printf("MEASURED suspend: spec change -> SUSPENDED: %.1f s%n", seconds(suspend));
            assertThat(savepoints().get(0).trigger()).isEqualTo(SavepointTrigger.Suspend);
            StreamJob run5 = upgrade("resume", j -> j.getSpec().getJob().setState(JobState.RUNNING), 5);
            assertThat(run5.getStatus().getRestoredFrom()).isEqualTo(savepoints().get(0).path());

            int written = feed.stop();
            assertThat(written).as("orders written during the upgrades").isGreaterThan(ORDERS / 4);
            OrderGenerator.produceRange(kafka.bootstrapServers(), batch, written, ORDERS);

            List<WindowAggregate> expected = batch.expectedAggregates();
            List<WindowAggregate> output = WindowAggregate.fromJson(CommittedRecords.readUntil(kafka.bootstrapServers(),
                    "revenue", values -> values.size() >= expected.size(), Duration.ofMinutes(3)));
            long seen = awaitCheckpoint(0).id();
            awaitCheckpoint(seen + 1);
            List<WindowAggregate> all = WindowAggregate.fromJson(
                    CommittedRecords.readAll(kafka.bootstrapServers(), "revenue", Duration.ofSeconds(60)));
            assertThat(output).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(expected.stream().mapToLong(WindowAggregate::orders).sum()).isEqualTo(ORDERS);

            // Windows closed after the SQL upgrade carry the new column, computed from the carried-over state.
            List<JsonNode> withAverage = CommittedRecords.readAll(kafka.bootstrapServers(), "revenue", Duration.ofSeconds(60))
                    .stream().map(UpgradeIT::json).filter(r -> r.has("avg_order_cents")).toList();
            assertThat(withAverage).isNotEmpty().allSatisfy(r -> assertThat(r.get("avg_order_cents").asLong())
                    .isEqualTo(r.get("revenue_cents").asLong() / r.get("orders").asLong()));

            StreamJob done = current();
            assertThat(done.getStatus().getCurrentRun().number()).isEqualTo(5);
            assertThat(done.getStatus().getCurrentRun().lineage()).isEqualTo(1);
            assertThat(done.getStatus().getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
            assertThat(done.getStatus().getLastFailure()).isNull();
            assertThat(savepoints()).extracting(SavepointInfo::trigger)
                    .containsExactly(SavepointTrigger.Suspend, SavepointTrigger.Upgrade, SavepointTrigger.Upgrade);
            assertThat(savepoints()).allSatisfy(s -> assertThat(s.sizeBytes()).as("size of %s", s.path()).isPositive());
            // Retention: once run 5 has its own checkpoint, the checkpoints of runs 1 to 4 are gone.
            String checkpoints = namespace() + "/orders-revenue/checkpoints/";
            assertThat(s3.listObjects(BUCKET, checkpoints)).filteredOn(key -> key.endsWith("/_metadata"))
                    .isNotEmpty()
                    .allSatisfy(key -> assertThat(key).startsWith(checkpoints + done.getStatus().getCurrentRun().jobId() + "/"));
            System.out.printf("MEASURED upgrades: %d orders in, %d window aggregates out, exactly as expected%n",
                    ORDERS, expected.size());
        } catch (AssertionError | RuntimeException e) {
            throw withLogs(e);
        } finally {
            feed.close();
            endRun();
        }
    }

    /**
     * Edits the spec and plays the kubelet through the operator's steps: the old run's pods end
     * when its Deployments are scaled to zero, the new run's start once the operator deployed it.
     * Prints the downtime: spec change to the new job running with all tasks.
     */
    private StreamJob upgrade(String what, Consumer<StreamJob> change, int expectedRun) {
        Instant edited = Instant.now();
        StreamJob job = changeAndFollow(change, expectedRun);
        System.out.printf("MEASURED upgrade (%s): spec change -> run %d RUNNING with all tasks: %.1f s, restored from %s%n",
                what, expectedRun, seconds(edited), job.getStatus().getRestoredFrom());
        return job;
    }

    /** The example's script with a new sink column, the average order value of each window. */
    static String withAverageColumn(String sql) {
        String changed = sql
                .replace("  revenue_cents BIGINT\n)", "  revenue_cents BIGINT,\n  avg_order_cents BIGINT\n)")
                .replace("COUNT(*), SUM(amount_cents)\n", "COUNT(*), SUM(amount_cents), CAST(SUM(amount_cents) / COUNT(*) AS BIGINT)\n");
        assertThat(changed).contains("avg_order_cents BIGINT", "CAST(SUM(amount_cents) / COUNT(*) AS BIGINT)");
        return changed;
    }

    static JsonNode json(String record) {
        try {
            return new ObjectMapper().readTree(record);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(record, e);
        }
    }

    private List<SavepointInfo> savepoints() {
        return current().getStatus().getSavepoints();
    }
}
