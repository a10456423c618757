package dev.streamjob.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.operator.api.v1alpha1.CheckpointInfo;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.testbed.CommittedRecords;
import dev.streamjob.testbed.OrderBatch;
import dev.streamjob.testbed.OrderGenerator;
import dev.streamjob.testbed.WindowAggregate;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example StreamJob end to end on real components: the operator reconciles
 * {@code examples/orders-revenue.yaml} against a Kubernetes API (mock server), the JobManager and
 * TaskManager it generated run as local processes of the real runtime, reading and writing a
 * real Kafka broker (KRaft) and checkpointing to a real S3 server, and the operator's own REST
 * client observes that JobManager. The output must be exactly the aggregates of the input.
 */
@QuarkusTest
@TestProfile(LocalFlinkProfile.class)
@WithKubernetesTestServer(crud = true)
class OrdersPipelineIT extends ExamplePipelineTestBase {

    @Override
    String namespace() {
        return "it";
    }

    @Test
    void theExampleProducesExactlyTheAggregatesOfItsInput() throws Exception {
        Instant created = Instant.now();
        ExamplePods pods = createExample("3s");
        assertThat(pods.taskManager().getSpec().getReplicas()).isEqualTo(2);
        flink = pods.start(Files.createTempDirectory("orders-pipeline-it"));

        OrderBatch batch = OrderGenerator.produce(kafka.bootstrapServers(),
                OrderGenerator.batch("orders", 2, 7, 3000, OrderGenerator.DEFAULT_START, Duration.ofMillis(40)));
        List<WindowAggregate> expected = batch.expectedAggregates();
        assertThat(expected.stream().mapToLong(WindowAggregate::orders).sum()).isEqualTo(3000);

        try {
            awaitReady();
            Duration toReady = Duration.between(created, Instant.now());
            StreamJob running = current();
            assertThat(running.getStatus().getJobState()).isEqualTo("RUNNING");
            assertThat(running.getStatus().getParallelism()).isEqualTo(2);
            assertThat(running.getStatus().getObservedGeneration()).isEqualTo(running.getMetadata().getGeneration());
            assertThat(running.getStatus().getRestoredFrom()).isNull();
            System.out.printf("MEASURED StreamJob created -> Ready=True (job RUNNING, all tasks): %.1f s%n",
                    toReady.toMillis() / 1000.0);

            List<WindowAggregate> output = WindowAggregate.fromJson(CommittedRecords.readUntil(kafka.bootstrapServers(),
                    "revenue", values -> values.size() >= expected.size(), Duration.ofMinutes(3)));
            // Let two more checkpoints (and so two more transaction commits) pass: nothing may be added.
            long seen = awaitCheckpoint(0).id();
            CheckpointInfo checkpoint = awaitCheckpoint(seen + 1);
            List<WindowAggregate> all = WindowAggregate.fromJson(
                    CommittedRecords.readAll(kafka.bootstrapServers(), "revenue", Duration.ofSeconds(60)));
            assertThat(output).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(all).containsExactlyInAnyOrderElementsOf(expected);

            String jobId = running.getStatus().getCurrentRun().jobId();
            String prefix = namespace() + "/orders-revenue/checkpoints/" + jobId + "/";
            assertThat(checkpoint.path()).isEqualTo("s3://" + BUCKET + "/" + prefix + "chk-" + checkpoint.id());
            assertThat(s3.listObjects(BUCKET, prefix)).contains(prefix + "chk-" + checkpoint.id() + "/_metadata");
        } catch (AssertionError | RuntimeException e) {
            throw withLogs(e);
        }
    }
}
