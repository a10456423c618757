package dev.streamjob.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamjob.operator.TestStreamJobs;
import dev.streamjob.operator.api.v1alpha1.DeletionPolicy;
import dev.streamjob.operator.api.v1alpha1.JobState;
import dev.streamjob.operator.api.v1alpha1.OperationPhase;
import dev.streamjob.operator.api.v1alpha1.OperationType;
import dev.streamjob.operator.api.v1alpha1.SavepointTrigger;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.UpgradeMode;
import dev.streamjob.operator.flink.FakeFlinkRestClient;
import dev.streamjob.operator.flink.FlinkRestClient;
import dev.streamjob.operator.flink.FlinkRestException;
import dev.streamjob.operator.flink.SavepointStatus;
import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.operator.observer.FlinkClusterObserver;
import dev.streamjob.operator.state.FakeSnapshotStore;
import dev.streamjob.operator.state.SnapshotStore;
import dev.streamjob.operator.state.StoreAccess;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upgrades, suspend/resume and savepoints through the reconciler, against the fabric8 mock
 * server with Flink's REST API and the object store faked. Each test uses its own namespace.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class JobLifecycleTest {

    private static final String FINALIZER = "streamjobs.streamjob.dev/finalizer";
    private static final String SAVEPOINT = "s3://snapshots/%s/orders/savepoints/%s/savepoint-0a1b2c-3d4e5f6a7b8c";

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

    /** Creates the StreamJob and waits until its first run is Ready (Flink faked RUNNING). */
    private StreamJob running(String namespace) {
        return running(namespace, j -> {
        });
    }

    private StreamJob running(String namespace, Consumer<StreamJob> spec) {
        client.secrets().inNamespace(namespace).resource(TestStreamJobs.credentials(namespace)).create();
        StreamJob job = TestStreamJobs.sqlJob("orders");
        spec.accept(job);
        job.getMetadata().setNamespace(namespace);
        job.getMetadata().setUid(null);
        job.getMetadata().setGeneration(null);
        StreamJob created = client.resource(job).create();
        flink.job(endpoint(created), StreamJobResources.jobId(created, 1, 1), "RUNNING", 2, "RUNNING");
        await().atMost(Duration.ofSeconds(30)).until(() -> get(namespace).getStatus() != null
                && "JobRunning".equals(reason(get(namespace), "Ready")));
        return get(namespace);
    }

    private StreamJob edit(String namespace, Consumer<StreamJob> change) {
        StreamJob job = get(namespace);
        change.accept(job);
        return client.resource(job).update();
    }

    private StreamJob get(String namespace) {
        return client.resources(StreamJob.class).inNamespace(namespace).withName("orders").get();
    }

    private URI endpoint(StreamJob job) {
        return observer.restEndpoint(job);
    }

    private static String reason(StreamJob job, String type) {
        return job.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
                .map(c -> c.getStatus() + "/" + c.getReason()).map(s -> s.substring(s.indexOf('/') + 1)).orElse("");
    }

    private static String condition(StreamJob job, String type) {
        return job.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
                .map(c -> c.getStatus() + "/" + c.getReason()).orElse("");
    }

    private List<String> jobManagerArgs(String namespace) {
        Deployment jm = client.apps().deployments().inNamespace(namespace).withName("orders-jobmanager").get();
        return jm.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    }

    private List<Event> events(String namespace, String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    private static StoreAccess access(String namespace) {
        return new StoreAccess("http://minio.minio.svc:9000", "us-east-1", "snapshots", namespace + "/orders/", null, null);
    }

    @Test
    void aSqlChangeStopsWithASavepointAndStartsTheNewRunFromIt() {
        StreamJob job = running("upgrade");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        String run2 = StreamJobResources.jobId(job, 1, 2);
        String savepoint = SAVEPOINT.formatted("upgrade", run1);
        flink.savepointOutcome(SavepointStatus.completed(savepoint));
        store.checkpoint(access("upgrade"), run1, 11, Instant.now());
        store.savepoint(savepoint, run1, 12, Instant.now());

        edit("upgrade", j -> j.getSpec().getJob().setSql(TestStreamJobs.SQL + "\n-- v2\n"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("upgrade");
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.number()).isEqualTo(2);
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.restorePath()).isEqualTo(savepoint);
            assertThat(current.getStatus().getOperation()).extracting(v -> v.phase()).isEqualTo(OperationPhase.Deploying);
            assertThat(condition(current, "Progressing")).isEqualTo("True/Upgrading");
            assertThat(current.getStatus().getObservedGeneration()).isEqualTo(2L);
        });
        assertThat(flink.savepointRequests()).containsExactly(
                "stop " + run1 + " s3://snapshots/upgrade/orders/savepoints/" + run1);
        assertThat(get("upgrade").getStatus().getSavepoints()).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo(savepoint);
            assertThat(s.trigger()).isEqualTo(SavepointTrigger.Upgrade);
            assertThat(s.sizeBytes()).isEqualTo(2000L);
        });
        assertThat(jobManagerArgs("upgrade")).containsSubsequence("--job-id", run2, "--from-savepoint", savepoint);
        assertThat(events("upgrade", "SavepointCompleted")).hasSize(1);

        flink.job(endpoint(job), run2, "RUNNING", 2, "RUNNING");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("upgrade");
            assertThat(current.getStatus().getOperation()).isNull();
            assertThat(current.getStatus().getJobId()).isEqualTo(run2);
            assertThat(condition(current, "Ready")).isEqualTo("True/JobRunning");
            assertThat(events("upgrade", "UpgradeCompleted")).hasSize(1);
        });
        assertThat(store.deleted()).as("nothing is deleted before the new run has a checkpoint").isEmpty();

        // Retention: once run 2 has a checkpoint of its own, run 1's checkpoints go; the savepoint stays.
        String run2Checkpoint = "s3://snapshots/upgrade/orders/checkpoints/" + run2 + "/chk-13";
        store.checkpoint(access("upgrade"), run2, 13, Instant.now());
        flink.completedCheckpoint(endpoint(job), run2, 13, run2Checkpoint, System.currentTimeMillis());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(store.deleted())
                .containsExactly("s3://snapshots/upgrade/orders/checkpoints/" + run1 + "/chk-11"));
    }

    @Test
    void aFailedSavepointLeavesTheOldRunRunningUntilTheSpecChangesAgain() {
        StreamJob job = running("failed");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        flink.savepointOutcome(SavepointStatus.failed("java.util.concurrent.CompletionException: checkpoint expired"));
        List<String> argsBefore = jobManagerArgs("failed");

        edit("failed", j -> j.getSpec().getJob().setSql(TestStreamJobs.SQL + "\n-- v2\n"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("failed");
            assertThat(current.getStatus().getOperation()).isNull();
            assertThat(current.getStatus().getLastFailure()).extracting(v -> v.reason()).isEqualTo("SavepointFailed");
            assertThat(current.getStatus().getLastFailure()).extracting(v -> v.generation()).isEqualTo(2L);
            assertThat(condition(current, "Degraded")).isEqualTo("True/SavepointFailed");
            assertThat(current.getStatus().getObservedGeneration()).isEqualTo(2L);
            assertThat(events("failed", "UpgradeFailed")).hasSize(1);
        });
        assertThat(get("failed").getStatus().getCurrentRun().jobId()).isEqualTo(run1);
        assertThat(jobManagerArgs("failed")).isEqualTo(argsBefore);
        assertThat(flink.savepointRequests()).hasSize(1); // held: no retry loop

        // The owner switches to last-state: the next generation goes ahead from the newest checkpoint.
        store.checkpoint(access("failed"), run1, 9, Instant.now());
        edit("failed", j -> j.getSpec().getJob().setUpgradeMode(UpgradeMode.LAST_STATE));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("failed");
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.number()).isEqualTo(2);
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.restorePath())
                    .isEqualTo("s3://snapshots/failed/orders/checkpoints/" + run1 + "/chk-9");
        });
        assertThat(flink.savepointRequests()).hasSize(1);
    }

    @Test
    void aSavepointThatTakesTooLongTimesOutAndTheJobKeepsRunning() {
        running("timeout");
        flink.savepointOutcome(SavepointStatus.inProgress());

        edit("timeout", j -> {
            j.getSpec().getSavepoints().setTimeout("1s");
            j.getSpec().getJob().setSql(TestStreamJobs.SQL + "\n-- v2\n");
        });

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("timeout");
            assertThat(current.getStatus().getLastFailure()).extracting(v -> v.reason()).isEqualTo("SavepointTimedOut");
            assertThat(current.getStatus().getOperation()).isNull();
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.number()).isEqualTo(1);
            assertThat(condition(current, "Ready")).isEqualTo("True/JobRunning");
        });
    }

    @Test
    void aStopWhoseTriggerWasLostIsFinishedFromTheObjectStore() {
        StreamJob job = running("resume-upgrade");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        flink.savepointOutcome(SavepointStatus.inProgress());
        edit("resume-upgrade", j -> { // an upgrade with a new parallelism
            j.getSpec().getJob().setSql(TestStreamJobs.SQL + "\n-- v2\n");
            j.getSpec().getJob().setParallelism(4);
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> get("resume-upgrade").getStatus().getOperation() != null);

        // The JobManager restarted and forgot the trigger, but the stop had completed: the job
        // is FINISHED and the savepoint is in the store. Only status and the store tell.
        String savepoint = SAVEPOINT.formatted("resume-upgrade", run1);
        store.savepoint(savepoint, run1, 5, Instant.now());
        flink.jobManagerDown(endpoint(job));
        flink.job(endpoint(job), run1, "FINISHED", 2, "FINISHED");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("resume-upgrade");
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.number()).isEqualTo(2);
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.parallelism()).isEqualTo(4);
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.restorePath()).isEqualTo(savepoint);
        });
        assertThat(client.apps().deployments().inNamespace("resume-upgrade").withName("orders-taskmanager").get()
                .getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void suspendTakesASavepointAndRemovesThePodsAndResumeStartsFromIt() {
        StreamJob job = running("suspend");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        String savepoint = SAVEPOINT.formatted("suspend", run1);
        flink.savepointOutcome(SavepointStatus.completed(savepoint));
        store.savepoint(savepoint, run1, 7, Instant.now());

        edit("suspend", j -> j.getSpec().getJob().setState(JobState.SUSPENDED));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("suspend");
            assertThat(current.getStatus().getJobState()).isEqualTo("SUSPENDED");
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.state()).isEqualTo(JobState.SUSPENDED);
            assertThat(current.getStatus().getOperation()).isNull();
            assertThat(condition(current, "Ready")).isEqualTo("False/Suspended");
        });
        assertThat(client.apps().deployments().inNamespace("suspend").withName("orders-jobmanager").get()
                .getSpec().getReplicas()).isZero();
        assertThat(client.apps().deployments().inNamespace("suspend").withName("orders-taskmanager").get()
                .getSpec().getReplicas()).isZero();
        assertThat(client.configMaps().inNamespace("suspend").withName("orders-config").get()).isNotNull();
        assertThat(get("suspend").getStatus().getSavepoints()).extracting(s -> s.trigger())
                .containsExactly(SavepointTrigger.Suspend);

        edit("suspend", j -> j.getSpec().getJob().setState(JobState.RUNNING));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("suspend");
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.number()).isEqualTo(2);
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.restorePath()).isEqualTo(savepoint);
            assertThat(client.apps().deployments().inNamespace("suspend").withName("orders-jobmanager").get()
                    .getSpec().getReplicas()).isEqualTo(1);
        });
    }

    @Test
    void aSavepointNonceTakesASavepointAndKeepsTheJobRunning() {
        StreamJob job = running("manual");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        String savepoint = SAVEPOINT.formatted("manual", run1);
        flink.savepointOutcome(SavepointStatus.completed(savepoint));

        edit("manual", j -> j.getSpec().getJob().setSavepointTriggerNonce(1L));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("manual");
            assertThat(current.getStatus().getSavepointTriggerNonce()).isEqualTo(1L);
            assertThat(current.getStatus().getSavepoints()).singleElement()
                    .satisfies(s -> assertThat(s.trigger()).isEqualTo(SavepointTrigger.Manual));
            assertThat(current.getStatus().getOperation()).isNull();
        });
        assertThat(flink.savepointRequests()).containsExactly(
                "savepoint " + run1 + " s3://snapshots/manual/orders/savepoints/" + run1);
        assertThat(get("manual").getStatus().getCurrentRun().number()).isEqualTo(1);
    }

    @Test
    void periodicSavepointsAreTakenAtTheIntervalAndTheHistoryIsBounded() {
        StreamJob job = running("periodic");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        flink.savepointOutcome(SavepointStatus.completed(SAVEPOINT.formatted("periodic", run1)));

        edit("periodic", j -> {
            j.getSpec().getSavepoints().setInterval("1s");
            j.getSpec().getSavepoints().setMaxCount(1);
        });

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(flink.savepointRequests()).hasSizeGreaterThanOrEqualTo(2)
                    .allMatch(r -> r.equals("savepoint " + run1 + " s3://snapshots/periodic/orders/savepoints/" + run1));
            assertThat(get("periodic").getStatus().getSavepoints()).singleElement()
                    .satisfies(s -> assertThat(s.trigger()).isEqualTo(SavepointTrigger.Periodic));
        });
        assertThat(get("periodic").getStatus().getCurrentRun().number()).isEqualTo(1);
    }

    @Test
    void deletionKeepsTheSnapshotsByDefault() throws Exception {
        StreamJob job = running("keep");
        store.checkpoint(access("keep"), StreamJobResources.jobId(job, 1, 1), 3, Instant.now());
        assertThat(job.getMetadata().getFinalizers()).containsExactly(FINALIZER);

        client.resource(job).delete();

        await().atMost(Duration.ofSeconds(30)).until(() -> get("keep") == null);
        assertThat(store.deleted()).isEmpty();
        assertThat(store.list(access("keep"))).hasSize(1);
    }

    @Test
    void deletionPolicyDeleteStopsTheFlinkPodsThenDeletesOnlyThisStreamJobsSnapshots() throws Exception {
        StreamJob job = running("purge", j -> j.getSpec().getSavepoints().setDeletionPolicy(DeletionPolicy.Delete));
        String run1 = StreamJobResources.jobId(job, 1, 1);
        String run2 = StreamJobResources.jobId(job, 2, 1);
        store.checkpoint(access("purge"), run1, 3, Instant.now());
        store.savepoint(SAVEPOINT.formatted("purge", run1), run1, 4, Instant.now());
        store.checkpoint(access("purge"), run2, 5, Instant.now());
        // A StreamJob of the same name deleted earlier (another UID) left a savepoint under the same prefix.
        String earlier = "0123456789abcdef0000000100000001";
        store.savepoint(SAVEPOINT.formatted("purge", earlier), earlier, 9, Instant.now());
        client.pods().inNamespace("purge").resource(new PodBuilder().withNewMetadata().withName("orders-taskmanager-0")
                .addToLabels("app.kubernetes.io/managed-by", StreamJobResources.MANAGED_BY)
                .addToLabels(StreamJobResources.NAME_LABEL, "orders").endMetadata().build()).create();

        client.resource(job).delete();

        // First the Flink pods stop: nothing is deleted while one is left.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace("purge").withName("orders-jobmanager").get()
                    .getSpec().getReplicas()).isZero();
            assertThat(client.apps().deployments().inNamespace("purge").withName("orders-taskmanager").get()
                    .getSpec().getReplicas()).isZero();
        });
        assertThat(get("purge")).isNotNull();
        assertThat(store.deleted()).isEmpty();

        // The store is down when the last pod is gone: the deletion waits, and says why.
        store.unreachable(true);
        client.pods().inNamespace("purge").withName("orders-taskmanager-0").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> !events("purge", "SnapshotDeletionFailed").isEmpty());
        assertThat(events("purge", "SnapshotDeletionFailed").get(0).getMessage())
                .contains("deletionPolicy: Retain", "connection refused");
        assertThat(get("purge")).isNotNull();

        store.unreachable(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("purge") == null);
        assertThat(store.deleted()).containsExactlyInAnyOrder(
                "s3://snapshots/purge/orders/checkpoints/" + run1 + "/chk-3",
                SAVEPOINT.formatted("purge", run1),
                "s3://snapshots/purge/orders/checkpoints/" + run2 + "/chk-5");
        assertThat(store.list(access("purge"))).extracting(s -> s.jobId()).containsExactly(earlier);
        assertThat(events("purge", "SnapshotsDeleted")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).startsWith("Deleted the 3 objects"));
    }

    @Test
    void aFailedJobIsRestartedWholeFromTheNewestCheckpointWithinItsRestartBudget() {
        StreamJob job = running("recover", j -> {
            j.getSpec().getRecovery().setMaxRestarts(1);
            j.getSpec().getRecovery().setInitialBackoff("1s");
        });
        String run1 = StreamJobResources.jobId(job, 1, 1);
        String run2 = StreamJobResources.jobId(job, 1, 2);
        store.checkpoint(access("recover"), run1, 7, Instant.now().minusSeconds(20));
        store.checkpoint(access("recover"), run1, 8, Instant.now());

        flink.job(endpoint(job), run1, "FAILED", 2, "FAILED");

        // The whole job goes (both Deployments to zero) and run 2 starts from chk-8 of lineage 1.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("recover");
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.number()).isEqualTo(2);
            assertThat(current.getStatus().getCurrentRun()).extracting(v -> v.restorePath())
                    .isEqualTo("s3://snapshots/recover/orders/checkpoints/" + run1 + "/chk-8");
            assertThat(current.getStatus().getOperation()).extracting(v -> v.type()).isEqualTo(OperationType.Recover);
            assertThat(condition(current, "Progressing")).isEqualTo("True/JobRestarted");
        });
        assertThat(jobManagerArgs("recover")).containsSubsequence("--job-id", run2, "--from-savepoint",
                "s3://snapshots/recover/orders/checkpoints/" + run1 + "/chk-8");
        assertThat(get("recover").getStatus().getRestarts()).satisfies(r -> {
            assertThat(r.count()).isEqualTo(1);
            assertThat(r.recent()).hasSize(1);
            assertThat(r.lastReason()).isEqualTo("JobFailed");
        });
        assertThat(events("recover", "JobRestarted")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("FAILED", "restart 1 of 1"));
        assertThat(flink.savepointRequests()).as("a failed job takes no savepoint").isEmpty();

        flink.job(endpoint(job), run2, "RUNNING", 2, "RUNNING");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("recover");
            assertThat(current.getStatus().getOperation()).isNull();
            assertThat(condition(current, "Ready")).isEqualTo("True/JobRunning");
            assertThat(events("recover", "JobRecovered")).hasSize(1);
        });

        // Run 2 fails too: the budget (1 restart per hour) is used up, so the job stays down.
        flink.job(endpoint(job), run2, "FAILED", 2, "FAILED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("recover");
            assertThat(condition(current, "Degraded")).isEqualTo("True/RestartBudgetExhausted");
            assertThat(events("recover", "RestartBudgetExhausted")).hasSize(1);
        });
        assertThat(get("recover").getStatus().getCurrentRun().number()).isEqualTo(2);
        assertThat(get("recover").getStatus().getOperation()).isNull();

        // A restartNonce starts it again, from run 2's newest checkpoint.
        store.checkpoint(access("recover"), run2, 9, Instant.now());
        edit("recover", j -> j.getSpec().getJob().setRestartNonce(1L));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("recover").getStatus().getCurrentRun())
                .satisfies(r -> {
                    assertThat(r.number()).isEqualTo(3);
                    assertThat(r.restorePath()).isEqualTo("s3://snapshots/recover/orders/checkpoints/" + run2 + "/chk-9");
                }));
    }

    @Test
    void aJobManagerThatCrashesDuringAnUpgradesSavepointLetsTheUpgradeGoOnFromTheNewestCheckpoint() {
        StreamJob job = running("crash-upgrade");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        store.checkpoint(access("crash-upgrade"), run1, 7, Instant.now());
        flink.savepointOutcome(SavepointStatus.inProgress());
        edit("crash-upgrade", j -> j.getSpec().getJob().setSql(TestStreamJobs.SQL + "\n-- v2\n"));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("crash-upgrade").getStatus().getOperation() != null
                && get("crash-upgrade").getStatus().getOperation().phase() == OperationPhase.SavepointInProgress);

        // The JobManager is killed before the savepoint completes (the kubelet saw exit code 137).
        client.pods().inNamespace("crash-upgrade").resource(new PodBuilder().withNewMetadata()
                .withName("orders-jobmanager-0")
                .addToLabels("app.kubernetes.io/managed-by", StreamJobResources.MANAGED_BY)
                .addToLabels(StreamJobResources.NAME_LABEL, "orders")
                .addToLabels(StreamJobResources.COMPONENT_LABEL, "jobmanager").endMetadata()
                .withNewStatus().addNewContainerStatus().withName(StreamJobResources.FLINK_CONTAINER).withRestartCount(0)
                .withNewState().withNewTerminated().withExitCode(137).withReason("Error").endTerminated().endState()
                .endContainerStatus().endStatus().build()).create();

        // The upgrade goes on without the savepoint: the old run is removed ...
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(get("crash-upgrade").getStatus().getOperation()).satisfies(op -> {
                assertThat(op.type()).isEqualTo(OperationType.Upgrade);
                assertThat(op.phase()).isEqualTo(OperationPhase.Stopping);
                assertThat(op.upgradeMode()).isEqualTo(UpgradeMode.LAST_STATE);
            });
            assertThat(client.apps().deployments().inNamespace("crash-upgrade").withName("orders-jobmanager").get()
                    .getSpec().getReplicas()).isZero();
        });
        assertThat(events("crash-upgrade", "SavepointFailed")).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("failed during its stop-with-savepoint", "exited with code 137", "newest complete snapshot"));
        // ... and once its pod is gone, the new spec starts from the newest checkpoint.
        client.pods().inNamespace("crash-upgrade").withName("orders-jobmanager-0").delete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("crash-upgrade").getStatus().getCurrentRun())
                .satisfies(r -> {
                    assertThat(r.number()).isEqualTo(2);
                    assertThat(r.generation()).isEqualTo(2L);
                    assertThat(r.restorePath()).isEqualTo("s3://snapshots/crash-upgrade/orders/checkpoints/" + run1 + "/chk-7");
                }));
        assertThat(events("crash-upgrade", "JobRestarted")).as("the upgrade restarts the job anyway").isEmpty();
    }

    @Test
    void taskManagersLostLongerThanTheGracePeriodRestartTheWholeJob() {
        StreamJob job = running("tm-lost", j -> j.getSpec().getRecovery().setTaskManagerGracePeriod("3s"));
        String run1 = StreamJobResources.jobId(job, 1, 1);
        flink.completedCheckpoint(endpoint(job), run1, 4, "s3://snapshots/tm-lost/orders/checkpoints/" + run1 + "/chk-4",
                Instant.now().toEpochMilli());
        store.checkpoint(access("tm-lost"), run1, 4, Instant.now());
        await().atMost(Duration.ofSeconds(30)).until(() -> get("tm-lost").getStatus().getLastCheckpoint() != null);

        // The Deployment controller reports one of the two TaskManager pods not ready.
        client.apps().deployments().inNamespace("tm-lost").withName("orders-taskmanager").editStatus(d ->
                new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(d).withNewStatus().withObservedGeneration(1L)
                        .withReplicas(2).withReadyReplicas(1).endStatus().build());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("tm-lost").getStatus().getSymptoms())
                .singleElement().satisfies(s -> {
                    assertThat(s.reason()).isEqualTo("TaskManagersLost");
                    assertThat(s.message()).isEqualTo("1 of 2 TaskManager pods ready");
                }));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("tm-lost");
            assertThat(current.getStatus().getCurrentRun().number()).isEqualTo(2);
            assertThat(current.getStatus().getCurrentRun().restorePath())
                    .isEqualTo("s3://snapshots/tm-lost/orders/checkpoints/" + run1 + "/chk-4");
            assertThat(current.getStatus().getRestarts().lastReason()).isEqualTo("TaskManagersLost");
            assertThat(current.getStatus().getSymptoms()).isNullOrEmpty();
        });
        assertThat(events("tm-lost", "JobRestarted")).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("1 of 2 TaskManager pods ready for ", "(spec.recovery.taskManagerGracePeriod: 3s)"));
    }

    @Test
    void aRestartNeverRestoresOlderStateThanTheCheckpointStatusRecorded() {
        StreamJob job = running("cross-check");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        String chk8 = "s3://snapshots/cross-check/orders/checkpoints/" + run1 + "/chk-8";
        flink.completedCheckpoint(endpoint(job), run1, 8, chk8, Instant.now().toEpochMilli());
        store.checkpoint(access("cross-check"), run1, 7, Instant.now().minusSeconds(20));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("cross-check").getStatus().getLastCheckpoint() != null
                && get("cross-check").getStatus().getLastCheckpoint().id() == 8);

        // The job fails; the store lists only chk-7, though Flink reported chk-8 complete.
        flink.job(endpoint(job), run1, "FAILED", 2, "FAILED");
        await().atMost(Duration.ofSeconds(30)).until(() -> !events("cross-check", "SnapshotStoreUnavailable").isEmpty());
        assertThat(events("cross-check", "SnapshotStoreUnavailable").get(0).getMessage())
                .contains("status recorded checkpoint 8", "chk-7", "not restoring older state");
        assertThat(get("cross-check").getStatus().getCurrentRun().number()).isEqualTo(1);
        assertThat(get("cross-check").getStatus().getOperation().phase()).isEqualTo(OperationPhase.Stopping);

        // Once the store lists chk-8, the restart goes on from it.
        store.checkpoint(access("cross-check"), run1, 8, Instant.now());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("cross-check").getStatus().getCurrentRun())
                .satisfies(r -> {
                    assertThat(r.number()).isEqualTo(2);
                    assertThat(r.restorePath()).isEqualTo(chk8);
                }));
    }

    @Test
    void aPendingSymptomNeverDelaysTheNextPollOfFlink() {
        StreamJob job = running("poll");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        flink.completedCheckpoint(endpoint(job), run1, 3, "s3://snapshots/poll/orders/checkpoints/" + run1 + "/chk-3",
                Instant.now().toEpochMilli());
        await().atMost(Duration.ofSeconds(30)).until(() -> get("poll").getStatus().getLastCheckpoint() != null);

        // Flink restarts the tasks: a symptom whose grace period (restartingTimeout) is 5 minutes.
        flink.job(endpoint(job), run1, "RUNNING", 2, "DEPLOYING");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("poll").getStatus().getSymptoms())
                .extracting(s -> s.reason()).containsExactly("JobStuckRestarting"));

        // The tasks run again. No Kubernetes object changes, so only the usual poll can see it.
        flink.job(endpoint(job), run1, "RUNNING", 2, "RUNNING");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(condition(get("poll"), "Ready")).isEqualTo("True/JobRunning");
            assertThat(get("poll").getStatus().getSymptoms()).isNullOrEmpty();
        });
    }

    private Deployment taskManagers(String namespace) {
        return client.apps().deployments().inNamespace(namespace).withName("orders-taskmanager").get();
    }

    private static String configHash(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get(StreamJobResources.CONFIG_HASH_ANNOTATION);
    }

    @Test
    void aScaleUpRescalesInPlaceTaskManagersFirstThenFlinkWithoutANewRun() {
        StreamJob job = running("scale-up");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        String hash = configHash(taskManagers("scale-up"));
        flink.slots(endpoint(job), 2);

        edit("scale-up", j -> j.getSpec().getJob().setParallelism(4));

        // The TaskManagers come first; Flink is asked only once their slots have registered.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(taskManagers("scale-up").getSpec().getReplicas()).isEqualTo(4);
            assertThat(get("scale-up").getStatus().getOperation()).extracting(o -> o.phase()).isEqualTo(OperationPhase.Rescaling);
            assertThat(condition(get("scale-up"), "Progressing")).isEqualTo("True/Rescaling");
        });
        assertThat(flink.requirementRequests()).isEmpty();
        assertThat(configHash(taskManagers("scale-up"))).as("a rescale does not roll the pods").isEqualTo(hash);

        flink.slots(endpoint(job), 4);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(flink.requirementRequests())
                .containsExactly(run1 + " " + FakeFlinkRestClient.WINDOW_VERTEX + "=4," + FakeFlinkRestClient.SOURCE_VERTEX + "=4"));

        flink.job(endpoint(job), run1, "RUNNING", 4, "RUNNING"); // Flink rescaled the running job
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob current = get("scale-up");
            assertThat(current.getStatus().getOperation()).isNull();
            assertThat(current.getStatus().getParallelism()).isEqualTo(4);
            assertThat(current.getStatus().getCurrentRun().number()).isEqualTo(1);
            assertThat(current.getStatus().getCurrentRun().parallelism()).isEqualTo(4);
            assertThat(current.getStatus().getLastRescale()).satisfies(r -> {
                assertThat(r.from()).isEqualTo(2);
                assertThat(r.to()).isEqualTo(4);
                assertThat(r.path()).isEqualTo("InPlace");
                assertThat(r.completedAt()).isNotNull();
            });
            assertThat(events("scale-up", "Rescaled")).hasSize(1);
        });
        assertThat(flink.savepointRequests()).isEmpty();
        assertThat(jobManagerArgs("scale-up")).contains(run1);
        assertThat(configHash(taskManagers("scale-up"))).isEqualTo(hash);
        assertThat(client.configMaps().inNamespace("scale-up").withName("orders-config").get().getData()
                .get(StreamJobResources.FLINK_CONF_FILE)).contains("parallelism.default: \"4\"");
    }

    @Test
    void aScaleDownAsksFlinkFirstThenRemovesTheIdleTaskManagersFirst() {
        StreamJob job = running("scale-down");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        Deployment tm = taskManagers("scale-down");
        for (String pod : List.of("orders-taskmanager-a", "orders-taskmanager-b")) {
            client.pods().inNamespace("scale-down").resource(new PodBuilder().withNewMetadata().withName(pod)
                    .withLabels(tm.getSpec().getTemplate().getMetadata().getLabels()).endMetadata().build()).create();
        }
        flink.busyTaskManagers(Set.of("orders-taskmanager-b"));

        edit("scale-down", j -> j.getSpec().getJob().setParallelism(1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(flink.requirementRequests())
                .containsExactly(run1 + " " + FakeFlinkRestClient.WINDOW_VERTEX + "=1," + FakeFlinkRestClient.SOURCE_VERTEX + "=1"));
        assertThat(taskManagers("scale-down").getSpec().getReplicas()).as("TaskManagers stay until Flink scaled down").isEqualTo(2);

        flink.job(endpoint(job), run1, "RUNNING", 1, "RUNNING");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(taskManagers("scale-down").getSpec().getReplicas()).isEqualTo(1);
            assertThat(get("scale-down").getStatus().getOperation()).isNull();
            assertThat(get("scale-down").getStatus().getLastRescale().path()).isEqualTo("InPlace");
        });
        assertThat(client.pods().inNamespace("scale-down").withName("orders-taskmanager-a").get().getMetadata()
                .getAnnotations()).containsEntry("controller.kubernetes.io/pod-deletion-cost", "-100");
        assertThat(client.pods().inNamespace("scale-down").withName("orders-taskmanager-b").get().getMetadata()
                .getAnnotations()).containsEntry("controller.kubernetes.io/pod-deletion-cost", "100");
        assertThat(flink.savepointRequests()).isEmpty();
    }

    @Test
    void withoutTheAdaptiveSchedulerARescaleTakesTheSavepointPathAndStatusSaysWhy() {
        StreamJob job = running("scale-savepoint", j -> j.getSpec().setFlinkConfiguration(
                new HashMap<>(Map.of("jobmanager.scheduler", "default"))));
        String run1 = StreamJobResources.jobId(job, 1, 1);
        flink.savepointOutcome(SavepointStatus.completed(SAVEPOINT.formatted("scale-savepoint", run1)));

        edit("scale-savepoint", j -> j.getSpec().getJob().setParallelism(3));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(flink.savepointRequests()).hasSize(1).allMatch(r -> r.startsWith("stop " + run1));
            assertThat(get("scale-savepoint").getStatus().getLastRescale()).satisfies(r -> {
                assertThat(r.path()).isEqualTo("Savepoint");
                assertThat(r.reason()).contains("jobmanager.scheduler: default");
            });
            assertThat(events("scale-savepoint", "Rescaling")).singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains("with a savepoint"));
        });
        assertThat(flink.requirementRequests()).isEmpty();
    }

    @Test
    void whenFlinkRefusesTheNewRequirementsTheRescaleFallsBackToASavepoint() {
        StreamJob job = running("scale-refused");
        String run1 = StreamJobResources.jobId(job, 1, 1);
        flink.refuseRequirements(new FlinkRestException(
                FlinkRestException.Kind.HTTP_ERROR, "answered HTTP 400", null));

        edit("scale-refused", j -> j.getSpec().getJob().setParallelism(1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(flink.savepointRequests()).hasSize(1).allMatch(r -> r.startsWith("stop " + run1));
            assertThat(get("scale-refused").getStatus().getLastRescale().path()).isEqualTo("Savepoint");
            assertThat(get("scale-refused").getStatus().getLastRescale().reason()).contains("HTTP 400");
        });
    }
}
