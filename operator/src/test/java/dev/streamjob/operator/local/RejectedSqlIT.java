package dev.streamjob.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.testbed.PodProcess;
import dev.streamjob.testbed.S3Server;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A SQL script Flink rejects, from the real runtime to the StreamJob's status: the operator's
 * JobManager pod runs as a local process, Flink's planner rejects a column, the launcher writes
 * the termination message, and this test plays the kubelet by reporting the terminated container
 * in the pod's status, as Kubernetes would. The operator must show Flink's own message on
 * {@code spec.job.sql}.
 */
@QuarkusTest
@TestProfile(LocalFlinkProfile.class)
@WithKubernetesTestServer(crud = true)
class RejectedSqlIT {

    private static final String NAMESPACE = "rejected";

    private static S3Server s3;

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void startS3() {
        // The launcher lists the job's checkpoints in S3 before Flink plans the script.
        s3 = new S3Server().start();
        s3.createBucket("flink");
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void flinksRejectionOfTheScriptIsShownOnTheSpecField() throws Exception {
        // Nothing listens on Kafka port 9: planning fails before Kafka would be contacted.
        StreamJob job = ExampleStreamJobs.ordersRevenue(NAMESPACE, "127.0.0.1:9", s3.endpoint(), "flink");
        String sql = job.getSpec().getJob().getSql();
        assertThat(sql).contains("SUM(amount_cents)");
        job.getSpec().getJob().setSql(sql.replace("SUM(amount_cents)", "SUM(amount)"));
        client.resource(ExampleStreamJobs.credentials(NAMESPACE, s3.accessKey(), s3.secretKey())).create();
        client.resource(job).create();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.apps().deployments().inNamespace(NAMESPACE).withName("orders-revenue-jobmanager").get() != null);
        ConfigMap configMap = client.configMaps().inNamespace(NAMESPACE).withName("orders-revenue-config").get();
        Deployment jobManager = client.apps().deployments().inNamespace(NAMESPACE).withName("orders-revenue-jobmanager").get();

        String message;
        int exitCode;
        try (PodProcess jm = PodProcess.builder(jobManager.getSpec().getTemplate(), "flink")
                .podName("orders-revenue-jobmanager-0")
                .namespace(NAMESPACE)
                .configMaps(List.of(configMap))
                .secrets(List.of(client.secrets().inNamespace(NAMESPACE).withName("s3-credentials").get()))
                .mapPath("/opt/flink", LocalFlinkCluster.runtimeHome())
                .extraArgs("-Djobmanager.rpc.address=127.0.0.1", "-Djobmanager.bind-host=127.0.0.1",
                        "-Djobmanager.rpc.port=" + LocalFlinkCluster.freePort(),
                        "-Drest.address=127.0.0.1", "-Drest.bind-address=127.0.0.1",
                        "-Drest.port=" + LocalFlinkCluster.freePort(),
                        "-Dblob.server.port=" + LocalFlinkCluster.freePort())
                .filesDirectory(Files.createTempDirectory("rejected-sql-it"))
                .start()) {
            OptionalInt exit = jm.waitFor(Duration.ofMinutes(2));
            assertThat(exit).as("the JobManager must exit when its script is rejected:\n" + jm.log()).isPresent();
            exitCode = exit.getAsInt();
            message = jm.terminationMessage();
        }
        assertThat(exitCode).isNotZero();
        assertThat(message).startsWith("statement 4 (line ").contains("Column 'amount' not found in any table");

        // The kubelet's report of that container, restarted once and now backing off.
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("orders-revenue-jobmanager-0").withNamespace(NAMESPACE)
                .withLabels(jobManager.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withSpec(jobManager.getSpec().getTemplate().getSpec())
                .withNewStatus().addNewContainerStatus().withName("flink").withRestartCount(1)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(exitCode).withReason("Error")
                .withMessage(message).endTerminated().endLastState()
                .endContainerStatus().endStatus()
                .build();
        client.resource(pod).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = client.resources(StreamJob.class).inNamespace(NAMESPACE).withName("orders-revenue").get();
            Condition specValid = current.getStatus().getConditions().stream()
                    .filter(c -> c.getType().equals("SpecValid")).findFirst().orElseThrow();
            assertThat(specValid.getStatus()).isEqualTo("False");
            assertThat(specValid.getReason()).isEqualTo("SqlRejected");
            assertThat(specValid.getMessage()).isEqualTo("spec.job.sql: " + message);
            assertThat(client.v1().events().inNamespace(NAMESPACE).list().getItems())
                    .anySatisfy(e -> {
                        assertThat(e.getReason()).isEqualTo("SqlRejected");
                        assertThat(e.getType()).isEqualTo("Warning");
                    });
        });
    }
}
