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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
class OrdersPipelineIT {

    private static final String NAMESPACE = "it";
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
    void theExampleProducesExactlyTheAggregatesOfItsInput() throws Exception {
        Secret credentials = ExampleStreamJobs.credentials(NAMESPACE, s3.accessKey(), s3.secretKey());
        client.resource(credentials).create();
        StreamJob example = ExampleStreamJobs.ordersRevenue(NAMESPACE, kafka.bootstrapServers(), s3.endpoint(), BUCKET);
        example.getSpec().getCheckpointing().setInterval("3s");
        Instant created = Instant.now();
        StreamJob job = client.resource(example).create();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.apps().deployments().inNamespace(NAMESPACE).withName("orders-revenue-taskmanager").get() != null);
        ConfigMap configMap = client.configMaps().inNamespace(NAMESPACE).withName("orders-revenue-config").get();
        Deployment jobManager = client.apps().deployments().inNamespace(NAMESPACE).withName("orders-revenue-jobmanager").get();
        Deployment taskManager = client.apps().deployments().inNamespace(NAMESPACE).withName("orders-revenue-taskmanager").get();
        assertThat(taskManager.getSpec().getReplicas()).isEqualTo(2);
        Path work = Files.createTempDirectory("orders-pipeline-it");
        flink = LocalFlinkCluster.start(LocalFlinkCluster.runtimeHome(), LocalFlinkProfile.REST_PORT, configMap,
                jobManager, taskManager, List.of(client.secrets().inNamespace(NAMESPACE).withName("s3-credentials").get()), work);

        OrderBatch batch = OrderGenerator.produce(kafka.bootstrapServers(),
                OrderGenerator.batch("orders", 2, 7, 3000, OrderGenerator.DEFAULT_START, Duration.ofMillis(40)));
        List<WindowAggregate> expected = batch.expectedAggregates();
        assertThat(expected.stream().mapToLong(WindowAggregate::orders).sum()).isEqualTo(3000);

        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> ready(current()));
            Duration toReady = Duration.between(created, Instant.now());
            StreamJob running = current();
            assertThat(running.getStatus().getJobState()).isEqualTo("RUNNING");
            assertThat(running.getStatus().getParallelism()).isEqualTo(2);
            assertThat(running.getStatus().getObservedGeneration()).isEqualTo(running.getMetadata().getGeneration());
            System.out.printf("MEASURED StreamJob created -> Ready=True (job RUNNING, all tasks): %.1f s%n",
                    toReady.toMillis() / 1000.0);

            List<WindowAggregate> output = WindowAggregate.fromJson(CommittedRecords.readUntil(kafka.bootstrapServers(),
                    "revenue", values -> values.size() >= expected.size(), Duration.ofMinutes(3)));
            // Let two more checkpoints (and so two more transaction commits) pass: nothing may be added.
            long seen = awaitCheckpointAfter(0).id();
            CheckpointInfo checkpoint = awaitCheckpointAfter(seen + 1);
            List<WindowAggregate> all = WindowAggregate.fromJson(
                    CommittedRecords.readAll(kafka.bootstrapServers(), "revenue", Duration.ofSeconds(60)));
            assertThat(output).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(all).containsExactlyInAnyOrderElementsOf(expected);

            String jobId = job.getMetadata().getUid().replace("-", "");
            String prefix = NAMESPACE + "/orders-revenue/checkpoints/" + jobId + "/";
            assertThat(checkpoint.path()).isEqualTo("s3://" + BUCKET + "/" + prefix + "chk-" + checkpoint.id());
            assertThat(s3.listObjects(BUCKET, prefix)).contains(prefix + "chk-" + checkpoint.id() + "/_metadata");
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + flink.logTails(40), e);
        }
    }

    /** Waits for status.lastCheckpoint to reach at least checkpoint {@code id}. */
    private CheckpointInfo awaitCheckpointAfter(long id) {
        return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> current().getStatus().getLastCheckpoint(), c -> c != null && c.id() >= id);
    }
}
