package dev.streamjob.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamjob.operator.TestStreamJobs;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.flink.FakeFlinkRestClient;
import dev.streamjob.operator.flink.FlinkRestClient;
import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.operator.observer.FlinkClusterObserver;
import dev.streamjob.operator.state.FakeSnapshotStore;
import dev.streamjob.operator.state.SnapshotStore;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against a Kubernetes API (the fabric8 mock server, CRUD mode) with Flink's REST
 * API faked. Each test uses its own namespace.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class StreamJobReconcilerTest {

    @Inject
    KubernetesClient client;
    @Inject
    FlinkClusterObserver observer;

    private final FakeFlinkRestClient flink = new FakeFlinkRestClient();
    private final FakeSnapshotStore store = new FakeSnapshotStore();

    @BeforeEach
    void installFakes() {
        QuarkusMock.installMockForType(flink, FlinkRestClient.class);
        QuarkusMock.installMockForType(store, SnapshotStore.class);
    }

    private StreamJob create(String namespace, String name) {
        client.secrets().inNamespace(namespace).resource(TestStreamJobs.credentials(namespace)).createOr(r -> r.update());
        StreamJob job = TestStreamJobs.sqlJob(name);
        job.getMetadata().setNamespace(namespace);
        job.getMetadata().setUid(null);
        job.getMetadata().setGeneration(null);
        return client.resource(job).create();
    }

    private StreamJob get(String namespace, String name) {
        return client.resources(StreamJob.class).inNamespace(namespace).withName(name).get();
    }

    private static Optional<Condition> condition(StreamJob job, String type) {
        return job == null || job.getStatus() == null ? Optional.empty()
                : job.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    private static boolean hasCondition(StreamJob job, String type, String status, String reason) {
        return condition(job, type).filter(c -> c.getStatus().equals(status) && c.getReason().equals(reason)).isPresent();
    }

    private List<Event> events(String namespace, String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    private String jobId(StreamJob job) {
        return StreamJobResources.jobId(job, 1, 1);
    }

    @Test
    void aValidStreamJobGetsItsClusterAndBecomesReady() {
        StreamJob job = create("ready", "orders");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.configMaps().inNamespace("ready").withName("orders-config").get()).isNotNull();
            assertThat(client.services().inNamespace("ready").withName("orders-jobmanager").get()).isNotNull();
            assertThat(client.apps().deployments().inNamespace("ready").withName("orders-jobmanager").get()).isNotNull();
            assertThat(client.apps().deployments().inNamespace("ready").withName("orders-taskmanager").get()).isNotNull();
        });
        Deployment tm = client.apps().deployments().inNamespace("ready").withName("orders-taskmanager").get();
        assertThat(tm.getSpec().getReplicas()).isEqualTo(2);
        for (var owned : List.of(tm,
                client.configMaps().inNamespace("ready").withName("orders-config").get(),
                client.services().inNamespace("ready").withName("orders-jobmanager").get())) {
            assertThat(owned.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getKind()).isEqualTo("StreamJob");
                assertThat(ref.getUid()).isEqualTo(job.getMetadata().getUid());
            });
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> hasCondition(get("ready", "orders"), "Ready", "False", "Deploying"));

        var endpoint = observer.restEndpoint(job);
        assertThat(endpoint.toString()).isEqualTo("http://orders-jobmanager.ready.svc:8081");
        flink.job(endpoint, jobId(job), "RUNNING", 2, "RUNNING");
        flink.completedCheckpoint(endpoint, jobId(job), 3, "s3://snapshots/ready/orders/checkpoints/x/chk-3", 1_795_000_000_000L);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("ready", "orders");
            assertThat(hasCondition(current, "Ready", "True", "JobRunning")).isTrue();
            assertThat(current.getStatus().getObservedGeneration()).isEqualTo(current.getMetadata().getGeneration());
            assertThat(current.getStatus().getJobState()).isEqualTo("RUNNING");
            assertThat(current.getStatus().getParallelism()).isEqualTo(2);
            assertThat(current.getStatus().getLastCheckpoint().id()).isEqualTo(3L);
            assertThat(hasCondition(current, "SpecValid", "True", "SpecAccepted")).isTrue();
            assertThat(hasCondition(current, "Degraded", "False", "AsExpected")).isTrue();
        });
        assertThat(events("ready", "JobRunning")).singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Normal"));
    }

    @Test
    void parallelismEditsResizeTheTaskManagers() {
        create("scale", "orders");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.apps().deployments().inNamespace("scale").withName("orders-taskmanager").get() != null);

        StreamJob job = get("scale", "orders");
        job.getSpec().getJob().setParallelism(5);
        job.getSpec().getTaskManager().setSlots(2);
        client.resource(job).update();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace("scale").withName("orders-taskmanager").get()
                    .getSpec().getReplicas()).isEqualTo(3);
            assertThat(get("scale", "orders").getStatus().getObservedGeneration()).isEqualTo(2L);
        });
    }

    @Test
    void anInvalidStreamJobIsReportedAndOthersKeepReconciling() {
        client.secrets().inNamespace("invalid").resource(TestStreamJobs.credentials("invalid")).create();
        StreamJob bad = TestStreamJobs.sqlJob("both");
        bad.getMetadata().setNamespace("invalid");
        bad.getMetadata().setUid(null);
        bad.getSpec().getJob().setJarURI("local:///opt/flink/usrlib/job.jar");
        bad.getSpec().getJob().setParallelism(0);
        client.resource(bad).create();
        create("invalid", "good");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("invalid", "both");
            assertThat(condition(current, "SpecValid")).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("InvalidSpec");
                assertThat(c.getMessage()).isEqualTo("spec.job: both sql and jarURI are set; set exactly one; "
                        + "spec.job.parallelism: must be between 1 and 32768, got 0");
            });
            assertThat(events("invalid", "InvalidSpec")).singleElement()
                    .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
            assertThat(client.apps().deployments().inNamespace("invalid").withName("good-jobmanager").get()).isNotNull();
        });
        assertThat(client.configMaps().inNamespace("invalid").withName("both-config").get()).isNull();
        assertThat(client.apps().deployments().inNamespace("invalid").withName("both-jobmanager").get()).isNull();
    }

    @Test
    void anInvalidEditLeavesTheRunningClusterAlone() {
        StreamJob job = create("edit", "orders");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.apps().deployments().inNamespace("edit").withName("orders-taskmanager").get() != null);
        flink.job(observer.restEndpoint(job), jobId(job), "RUNNING", 2, "RUNNING");
        await().atMost(Duration.ofSeconds(30)).until(() -> hasCondition(get("edit", "orders"), "Ready", "True", "JobRunning"));

        StreamJob edited = get("edit", "orders");
        edited.getSpec().getJob().setParallelism(0);
        edited.getSpec().getFlinkConfiguration().put("s3.secret-key", "plain-text");
        client.resource(edited).update();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("edit", "orders");
            assertThat(current.getStatus().getObservedGeneration()).isEqualTo(2L);
            assertThat(hasCondition(current, "SpecValid", "False", "InvalidSpec")).isTrue();
            assertThat(hasCondition(current, "Degraded", "True", "InvalidSpec")).isTrue();
            assertThat(hasCondition(current, "Ready", "True", "JobRunning")).isTrue();
        });
        assertThat(client.apps().deployments().inNamespace("edit").withName("orders-taskmanager").get()
                .getSpec().getReplicas()).isEqualTo(2);
        ConfigMap config = client.configMaps().inNamespace("edit").withName("orders-config").get();
        assertThat(config.getData().get("config.yaml")).doesNotContain("plain-text");
        assertThat(Serialization.asJson(get("edit", "orders").getStatus())).doesNotContain("plain-text");
    }

    @Test
    void aMissingCredentialsSecretIsReportedUntilItExists() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getMetadata().setNamespace("secret");
        job.getMetadata().setUid(null);
        client.resource(job).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(condition(get("secret", "orders"), "SpecValid")).hasValueSatisfying(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getMessage()).isEqualTo(
                            "spec.storage.credentialsSecret.name: Secret 's3-credentials' not found in namespace secret");
                }));
        assertThat(client.apps().deployments().inNamespace("secret").withName("orders-jobmanager").get()).isNull();

        client.secrets().inNamespace("secret").resource(TestStreamJobs.credentials("secret")).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(hasCondition(get("secret", "orders"), "SpecValid", "True", "SpecAccepted")).isTrue();
            assertThat(client.apps().deployments().inNamespace("secret").withName("orders-jobmanager").get()).isNotNull();
        });
    }

    @Test
    void anUnknownUpgradeModeIsReportedWithoutBreakingTheInformer() {
        client.secrets().inNamespace("enum").resource(TestStreamJobs.credentials("enum")).create();
        GenericKubernetesResource raw = Serialization.unmarshal("""
                apiVersion: streamjob.dev/v1alpha1
                kind: StreamJob
                metadata: {name: odd, namespace: enum}
                spec:
                  job: {sql: "INSERT INTO a SELECT 1", upgradeMode: sometimes}
                  storage: {endpoint: "http://minio:9000", bucket: snapshots, credentialsSecret: {name: s3-credentials}}
                """, GenericKubernetesResource.class);
        client.genericKubernetesResources("streamjob.dev/v1alpha1", "StreamJob").inNamespace("enum").resource(raw).create();
        create("enum", "fine");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(condition(get("enum", "odd"), "SpecValid")).hasValueSatisfying(c ->
                    assertThat(c.getMessage()).isEqualTo("spec.job.upgradeMode: unsupported value; use savepoint, last-state or stateless"));
            assertThat(client.apps().deployments().inNamespace("enum").withName("fine-jobmanager").get()).isNotNull();
        });
    }

    @Test
    void sqlRejectedByFlinkIsShownOnTheStreamJob() {
        StreamJob job = create("sql", "orders");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.apps().deployments().inNamespace("sql").withName("orders-jobmanager").get() != null);

        // The kubelet's view of a JobManager whose launcher wrote Flink's rejection to the termination log.
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("orders-jobmanager-5d9c-x1").withNamespace("sql")
                .withLabels(client.apps().deployments().inNamespace("sql").withName("orders-jobmanager").get()
                        .getSpec().getTemplate().getMetadata().getLabels())
                .endMetadata()
                .withNewSpec().addNewContainer().withName("flink").withImage("streamjob-runtime:0.1.0").endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("flink").withRestartCount(1)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 10s").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(163).withReason("Error")
                .withMessage("statement 3 (line 12): Object 'oders' not found").endTerminated().endLastState()
                .endContainerStatus().endStatus()
                .build();
        client.pods().inNamespace("sql").resource(pod).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("sql", "orders");
            assertThat(condition(current, "SpecValid")).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("SqlRejected");
                assertThat(c.getMessage()).isEqualTo("spec.job.sql: statement 3 (line 12): Object 'oders' not found");
            });
            assertThat(hasCondition(current, "Degraded", "True", "JobManagerFailing")).isTrue();
            assertThat(events("sql", "SqlRejected")).singleElement()
                    .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
        });
        // The JobManager is left for the next spec change to replace; nothing was deleted.
        assertThat(client.apps().deployments().inNamespace("sql").withName("orders-jobmanager").get()).isNotNull();
        assertThat(client.configMaps().inNamespace("sql").withName("orders-config").get()).isNotNull();
        assertThat(client.services().inNamespace("sql").list().getItems()).extracting(Service::getMetadata)
                .extracting(m -> m.getName()).containsExactly("orders-jobmanager");
    }
}
