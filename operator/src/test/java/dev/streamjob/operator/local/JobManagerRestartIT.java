package dev.streamjob.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.testbed.CommittedRecords;
import dev.streamjob.testbed.OrderBatch;
import dev.streamjob.testbed.OrderGenerator;
import dev.streamjob.testbed.WindowAggregate;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every Flink process of the example killed with SIGKILL in the middle of its input, then started
 * again from the same pod specs, as Kubernetes restarts crashed containers with the same
 * arguments. The new JobManager must resume from the newest complete checkpoint in S3, and the
 * committed output must be exactly the aggregates of all the input: no order lost, no window
 * emitted twice, counts continued across the restart.
 */
@QuarkusTest
@TestProfile(LocalFlinkProfile.class)
@WithKubernetesTestServer(crud = true)
class JobManagerRestartIT extends ExamplePipelineTestBase {

    @Override
    String namespace() {
        return "restart";
    }

    @Test
    void aKilledClusterResumesFromItsNewestCheckpointExactlyOnce() throws Exception {
        ExamplePods pods = createExample("2s");
        Path work = Files.createTempDirectory("jobmanager-restart-it");
        OrderBatch batch = OrderGenerator.batch("orders", 2, 11, 4000, OrderGenerator.DEFAULT_START, Duration.ofMillis(40));
        List<WindowAggregate> expected = batch.expectedAggregates();
        OrderGenerator.produceRange(kafka.bootstrapServers(), batch, 0, 2000);
        flink = pods.start(work.resolve("first"));
        try {
            awaitReady();
            assertThat(current().getStatus().getRestoredFrom()).isNull();
            // Some windows of the first half are committed, and a checkpoint holds the state after them.
            CommittedRecords.readUntil(kafka.bootstrapServers(), "revenue", values -> !values.isEmpty(), Duration.ofMinutes(2));
            long beforeKill = awaitCheckpoint(1).id();
            awaitCheckpoint(beforeKill + 1);

            flink.kill();
            OrderGenerator.produceRange(kafka.bootstrapServers(), batch, 2000, 4000);
            Instant restartedAt = Instant.now();
            flink = pods.start(work.resolve("second"));

            String checkpoints = "s3://" + BUCKET + "/" + namespace() + "/orders-revenue/checkpoints/";
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                StreamJob restarted = current();
                assertThat(ready(restarted)).isTrue();
                assertThat(restarted.getStatus().getRestoredFrom()).startsWith(checkpoints).contains("/chk-");
            });
            System.out.printf("MEASURED pods started again -> Ready=True, restored from the newest checkpoint: %.1f s%n",
                    Duration.between(restartedAt, Instant.now()).toMillis() / 1000.0);
            String restoredFrom = current().getStatus().getRestoredFrom();
            long restoredId = Long.parseLong(restoredFrom.substring(restoredFrom.lastIndexOf("chk-") + 4));
            assertThat(restoredId).isGreaterThanOrEqualTo(beforeKill + 1);

            CommittedRecords.readUntil(kafka.bootstrapServers(), "revenue", values -> values.size() >= expected.size(),
                    Duration.ofMinutes(3));
            long seen = awaitCheckpoint(0).id();
            awaitCheckpoint(seen + 2);
            List<WindowAggregate> all = WindowAggregate.fromJson(
                    CommittedRecords.readAll(kafka.bootstrapServers(), "revenue", Duration.ofSeconds(60)));
            assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(all.stream().mapToLong(WindowAggregate::orders).sum()).isEqualTo(4000);
        } catch (AssertionError | RuntimeException e) {
            throw withLogs(e);
        }
    }
}
