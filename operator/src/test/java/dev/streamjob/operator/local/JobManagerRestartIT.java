package dev.streamjob.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamjob.operator.api.v1alpha1.CheckpointInfo;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.testbed.CommittedRecords;
import dev.streamjob.testbed.KafkaBroker;
import dev.streamjob.testbed.OrderBatch;
import dev.streamjob.testbed.OrderGenerator;
import dev.streamjob.testbed.S3Server;
import dev.streamjob.testbed.WindowAggregate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
class JobManagerRestartIT {

    private static final String NAMESPACE = "restart";
    private static final String BUCKET = "flink";
    private static KafkaBroker kafka;
    private static S3Server s3;
    private static LocalFlinkCluster flink;

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void startServers() {
        kafka = new KafkaBroker().start();
        kafka.createTopic("orders", 2);
        kafka.createTopic("revenue", 1);
        s3 = new S3Server().start();
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopEverything() {
        if (flink != null) {
            flink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private StreamJob current() {
        return client.resources(StreamJob.class).inNamespace(NAMESPACE).withName("orders-revenue").get();
    }

    private static boolean ready(StreamJob job) {
        return job != null && job.getStatus() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    @Test
    void aKilledClusterResumesFromItsNewestCheckpointExactlyOnce() throws Exception {
        client.resource(ExampleStreamJobs.credentials(NAMESPACE, s3.accessKey(), s3.secretKey())).create();
        StreamJob example = ExampleStreamJobs.ordersRevenue(NAMESPACE, kafka.bootstrapServers(), s3.endpoint(), BUCKET);
        example.getSpec().getCheckpointing().setInterval("2s");
        client.resource(example).create();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.apps().deployments().inNamespace(NAMESPACE).withName("orders-revenue-taskmanager").get() != null);
        ConfigMap configMap = client.configMaps().inNamespace(NAMESPACE).withName("orders-revenue-config").get();
        Deployment jobManager = client.apps().deployments().inNamespace(NAMESPACE).withName("orders-revenue-jobmanager").get();
        Deployment taskManager = client.apps().deployments().inNamespace(NAMESPACE).withName("orders-revenue-taskmanager").get();
        List<Secret> secrets = List.of(client.secrets().inNamespace(NAMESPACE).withName("s3-credentials").get());
        Path work = Files.createTempDirectory("jobmanager-restart-it");

        OrderBatch batch = OrderGenerator.batch("orders", 2, 11, 4000, OrderGenerator.DEFAULT_START, Duration.ofMillis(40));
        List<WindowAggregate> expected = batch.expectedAggregates();
        OrderGenerator.produceRange(kafka.bootstrapServers(), batch, 0, 2000);

        flink = LocalFlinkCluster.start(LocalFlinkCluster.runtimeHome(), LocalFlinkProfile.REST_PORT, configMap,
                jobManager, taskManager, secrets, work.resolve("first"));
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> ready(current()));
            assertThat(current().getStatus().getRestoredFrom()).isNull();
            // Some windows of the first half are committed, and a checkpoint holds the state after them.
            CommittedRecords.readUntil(kafka.bootstrapServers(), "revenue", values -> !values.isEmpty(), Duration.ofMinutes(2));
            long beforeKill = awaitCheckpoint(1).id();
            awaitCheckpoint(beforeKill + 1);

            flink.kill();
            OrderGenerator.produceRange(kafka.bootstrapServers(), batch, 2000, 4000);
            flink = LocalFlinkCluster.start(LocalFlinkCluster.runtimeHome(), LocalFlinkProfile.REST_PORT, configMap,
                    jobManager, taskManager, secrets, work.resolve("second"));

            String checkpoints = "s3://" + BUCKET + "/" + NAMESPACE + "/orders-revenue/checkpoints/";
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                StreamJob restarted = current();
                assertThat(ready(restarted)).isTrue();
                assertThat(restarted.getStatus().getRestoredFrom()).startsWith(checkpoints).contains("/chk-");
            });
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
            throw new AssertionError(e.getMessage() + "\n" + flink.logTails(40), e);
        }
    }

    /** Waits for status.lastCheckpoint to reach at least checkpoint {@code id}. */
    private CheckpointInfo awaitCheckpoint(long id) {
        return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> current().getStatus().getLastCheckpoint(), c -> c != null && c.id() >= id);
    }
}
