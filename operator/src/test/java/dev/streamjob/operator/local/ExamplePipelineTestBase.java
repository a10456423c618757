package dev.streamjob.operator.local;

import static org.awaitility.Awaitility.await;

import dev.streamjob.operator.api.v1alpha1.CheckpointInfo;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.testbed.KafkaBroker;
import dev.streamjob.testbed.S3Server;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the integration tests of the example share: a Kafka broker with the example's topics and
 * an S3 server with its bucket, the example StreamJob created through the operator, its pods
 * started as local processes, and waits on its status.
 */
abstract class ExamplePipelineTestBase {

    static final String BUCKET = "flink";
    static KafkaBroker kafka;
    static S3Server s3;
    static LocalFlinkCluster flink;

    @Inject
    KubernetesClient client;

    /** The objects the operator created for the example, as a kubelet would receive them. */
    record ExamplePods(ConfigMap configMap, Deployment jobManager, Deployment taskManager, List<Secret> secrets) {

        /** Starts these pods as local processes of the runtime, their files under {@code work}. */
        LocalFlinkCluster start(Path work) {
            return LocalFlinkCluster.start(LocalFlinkCluster.runtimeHome(), LocalFlinkProfile.REST_PORT, configMap,
                    jobManager, taskManager, secrets, work);
        }
    }

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
        // The fields are shared by every subclass: clear them for the next test class.
        if (flink != null) {
            flink.close();
            flink = null;
        }
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
    }

    /** The namespace of this test's StreamJob. */
    abstract String namespace();

    /**
     * Creates the credentials Secret and {@code examples/orders-revenue.yaml} with the given
     * checkpoint interval, and waits for the operator to create its objects.
     */
    ExamplePods createExample(String checkpointInterval) {
        return createExample(checkpointInterval, example -> {
        });
    }

    /** {@link #createExample(String)} with the spec changed by {@code customize} before it is created. */
    ExamplePods createExample(String checkpointInterval, java.util.function.Consumer<StreamJob> customize) {
        client.resource(ExampleStreamJobs.credentials(namespace(), s3.accessKey(), s3.secretKey())).create();
        StreamJob example = ExampleStreamJobs.ordersRevenue(namespace(), kafka.bootstrapServers(), s3.endpoint(), BUCKET);
        example.getSpec().getCheckpointing().setInterval(checkpointInterval);
        customize.accept(example);
        client.resource(example).create();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-taskmanager").get() != null);
        return new ExamplePods(
                client.configMaps().inNamespace(namespace()).withName("orders-revenue-config").get(),
                client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-jobmanager").get(),
                client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-taskmanager").get(),
                List.of(client.secrets().inNamespace(namespace()).withName("s3-credentials").get()));
    }

    /** The example StreamJob as the API server has it now. */
    StreamJob current() {
        return client.resources(StreamJob.class).inNamespace(namespace()).withName("orders-revenue").get();
    }

    /** Whether the StreamJob's Ready condition is True. */
    static boolean ready(StreamJob job) {
        return job != null && job.getStatus() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** Waits up to 3 minutes for Ready=True. */
    void awaitReady() {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> ready(current()));
    }

    /** Waits for status.lastCheckpoint to reach at least checkpoint {@code id}. */
    CheckpointInfo awaitCheckpoint(long id) {
        return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> current().getStatus().getLastCheckpoint(), c -> c != null && c.id() >= id);
    }

    /** The assertion error with the last lines of every Flink process's log appended. */
    static AssertionError withLogs(Throwable failure) {
        return new AssertionError(failure.getMessage() + "\n" + (flink == null ? "" : flink.logTails(40)), failure);
    }
}
