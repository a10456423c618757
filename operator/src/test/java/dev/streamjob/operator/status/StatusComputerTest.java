package dev.streamjob.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.operator.TestStreamJobs;
import dev.streamjob.operator.api.v1alpha1.JobState;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.StreamJobStatus;
import dev.streamjob.operator.flink.CheckpointStatistics;
import dev.streamjob.operator.flink.FlinkRestException;
import dev.streamjob.operator.flink.JobDetails;
import dev.streamjob.operator.observer.ObservedState;
import dev.streamjob.operator.validation.FieldError;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusComputerTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-22T10:05:00Z");

    private static final Deployment JM = new DeploymentBuilder().withNewMetadata().withName("orders-jobmanager")
            .withGeneration(1L).endMetadata().withNewSpec().withReplicas(1).endSpec().build();

    private static JobDetails job(String state, int running, int parallelism) {
        return new JobDetails("0f8c6a4e1b2d4c3e0000000100000001", "insert-into", state, List.of(
                new JobDetails.Vertex("Source: orders", parallelism, Map.of("RUNNING", running, "DEPLOYING", parallelism - running)),
                new JobDetails.Vertex("Window", parallelism, Map.of("RUNNING", running, "DEPLOYING", parallelism - running))));
    }

    private static ObservedState observed(ObservedState.FlinkObservation flink) {
        return new ObservedState(Optional.of(JM), Optional.empty(), Optional.empty(), Optional.empty(), flink, 2);
    }

    /** The status for the job's first run (or the run its status holds). */
    private static StreamJobStatus compute(StreamJob job, List<FieldError> errors, ObservedState observed, Instant now) {
        RunState state = job.getStatus() != null && job.getStatus().getCurrentRun() != null
                ? RunState.of(job.getStatus())
                : RunState.of(null).withRun(TestStreamJobs.firstRun(job));
        return StatusComputer.compute(job, errors, observed, state, now);
    }

    private static Condition condition(StreamJobStatus status, ConditionType type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type.name())).findFirst().orElseThrow();
    }

    private static void assertCondition(StreamJobStatus status, ConditionType type, String value, Reason reason) {
        Condition c = condition(status, type);
        assertThat(c.getStatus()).as(type + " status").isEqualTo(value);
        assertThat(c.getReason()).as(type + " reason").isEqualTo(reason.name());
    }

    @Test
    void runningJobIsReadyWithItsCheckpoint() {
        StreamJob sj = TestStreamJobs.sqlJob("orders");
        var checkpoints = new CheckpointStatistics(4, 0, Optional.of(new CheckpointStatistics.CompletedCheckpoint(
                4, "s3://snapshots/ns/orders/checkpoints/0f8c/chk-4", 1_795_000_000_000L)));

        StreamJobStatus status = compute(sj, List.of(),
                observed(new ObservedState.Job(job("RUNNING", 2, 2), Optional.of(checkpoints))), T0);

        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getJobState()).isEqualTo("RUNNING");
        assertThat(status.getParallelism()).isEqualTo(2);
        assertThat(status.getJobId()).isEqualTo("0f8c6a4e1b2d4c3e0000000100000001");
        assertThat(status.getSelector()).isEqualTo("streamjob.dev/name=orders,app.kubernetes.io/component=taskmanager");
        assertThat(status.getLastCheckpoint().id()).isEqualTo(4L);
        assertThat(status.getLastCheckpoint().path()).isEqualTo("s3://snapshots/ns/orders/checkpoints/0f8c/chk-4");
        assertThat(status.getLastCheckpoint().time()).isEqualTo("2026-11-18T11:06:40Z");
        assertCondition(status, ConditionType.Ready, "True", Reason.JobRunning);
        assertCondition(status, ConditionType.Progressing, "False", Reason.JobRunning);
        assertCondition(status, ConditionType.Degraded, "False", Reason.AsExpected);
        assertCondition(status, ConditionType.SpecValid, "True", Reason.SpecAccepted);
        assertThat(status.getConditions()).allSatisfy(c -> {
            assertThat(c.getObservedGeneration()).isEqualTo(1L);
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
        });
    }

    @Test
    void tasksStillDeployingIsProgressing() {
        StreamJobStatus status = compute(TestStreamJobs.sqlJob("orders"), List.of(),
                observed(new ObservedState.Job(job("RUNNING", 1, 2), Optional.empty())), T0);

        assertCondition(status, ConditionType.Ready, "False", Reason.JobStarting);
        assertCondition(status, ConditionType.Progressing, "True", Reason.JobStarting);
        assertThat(status.getLastCheckpoint()).isNull();
    }

    @Test
    void lastTransitionTimeIsKeptWhileTheStatusStaysTheSame() {
        StreamJob sj = TestStreamJobs.sqlJob("orders");
        sj.setStatus(compute(sj, List.of(),
                observed(new ObservedState.Job(job("RUNNING", 1, 2), Optional.empty())), T0));

        StreamJobStatus later = compute(sj, List.of(),
                observed(new ObservedState.Job(job("RUNNING", 2, 2), Optional.empty())), T1);

        assertThat(condition(later, ConditionType.Ready).getLastTransitionTime()).isEqualTo("2026-11-22T10:05:00Z");
        assertThat(condition(later, ConditionType.Degraded).getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(condition(later, ConditionType.SpecValid).getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
    }

    @Test
    void lastCheckpointSurvivesAJobManagerRestart() {
        StreamJob sj = TestStreamJobs.sqlJob("orders");
        var checkpoints = new CheckpointStatistics(1, 0, Optional.of(new CheckpointStatistics.CompletedCheckpoint(
                9, "s3://snapshots/ns/orders/checkpoints/x/chk-9", 0L)));
        sj.setStatus(compute(sj, List.of(),
                observed(new ObservedState.Job(job("RUNNING", 2, 2), Optional.of(checkpoints))), T0));

        StreamJobStatus restarting = compute(sj, List.of(),
                observed(new ObservedState.Unreachable(FlinkRestException.Kind.UNREACHABLE, "cannot connect")), T1);

        assertThat(restarting.getLastCheckpoint().id()).isEqualTo(9L);
        assertThat(restarting.getJobState()).isEqualTo("DEPLOYING");
        assertCondition(restarting, ConditionType.Ready, "False", Reason.Deploying);
    }

    @Test
    void restoredFromFollowsTheCurrentRun() {
        StreamJob sj = TestStreamJobs.sqlJob("orders");
        var restored = new CheckpointStatistics(1, 0, Optional.empty(), Optional.of(
                new CheckpointStatistics.RestoredSnapshot(7, "s3://snapshots/ns/orders/checkpoints/x/chk-7", false)));
        sj.setStatus(compute(sj, List.of(),
                observed(new ObservedState.Job(job("RUNNING", 2, 2), Optional.of(restored))), T0));
        assertThat(sj.getStatus().getRestoredFrom()).isEqualTo("s3://snapshots/ns/orders/checkpoints/x/chk-7");

        // While the JobManager does not answer, status keeps what it knew.
        StreamJobStatus down = compute(sj, List.of(),
                observed(new ObservedState.Unreachable(FlinkRestException.Kind.UNREACHABLE, "cannot connect")), T1);
        assertThat(down.getRestoredFrom()).isEqualTo("s3://snapshots/ns/orders/checkpoints/x/chk-7");

        // A run that started without state says so.
        StreamJobStatus empty = compute(sj, List.of(), observed(new ObservedState.Job(job("RUNNING", 2, 2),
                Optional.of(new CheckpointStatistics(0, 0, Optional.empty())))), T1);
        assertThat(empty.getRestoredFrom()).isNull();
    }

    @Test
    void invalidSpecIsReportedWithTheFieldPaths() {
        StreamJobStatus status = compute(TestStreamJobs.sqlJob("orders"),
                List.of(new FieldError("spec.job", "both sql and jarURI are set; set exactly one"),
                        new FieldError("spec.job.parallelism", "must be between 1 and 32768, got 0")),
                observed(new ObservedState.Job(job("RUNNING", 2, 2), Optional.empty())), T0);

        assertCondition(status, ConditionType.SpecValid, "False", Reason.InvalidSpec);
        assertThat(condition(status, ConditionType.SpecValid).getMessage()).isEqualTo(
                "spec.job: both sql and jarURI are set; set exactly one; spec.job.parallelism: must be between 1 and 32768, got 0");
        assertCondition(status, ConditionType.Degraded, "True", Reason.InvalidSpec);
        // The previous, valid generation keeps running untouched and is still reported.
        assertCondition(status, ConditionType.Ready, "True", Reason.JobRunning);
        assertThat(status.getJobState()).isEqualTo("RUNNING");
    }

    @Test
    void sqlRejectedByFlinkPointsAtTheScript() {
        var problem = new ObservedState.ContainerProblem("CrashLoopBackOff", Optional.of(163),
                "statement 3 (line 12): From line 2, column 68 to line 2, column 77: Column 'x' not found in any table", 2);
        var observed = new ObservedState(Optional.of(JM), Optional.empty(), Optional.of(problem), Optional.empty(),
                new ObservedState.Unreachable(FlinkRestException.Kind.UNREACHABLE, "cannot connect"), 1);

        StreamJobStatus status = compute(TestStreamJobs.sqlJob("orders"), List.of(), observed, T0);

        assertCondition(status, ConditionType.SpecValid, "False", Reason.SqlRejected);
        assertThat(condition(status, ConditionType.SpecValid).getMessage()).isEqualTo(
                "spec.job.sql: statement 3 (line 12): From line 2, column 68 to line 2, column 77: Column 'x' not found in any table");
        assertCondition(status, ConditionType.Degraded, "True", Reason.JobManagerFailing);
        assertThat(condition(status, ConditionType.Degraded).getMessage())
                .startsWith("JobManager container CrashLoopBackOff, exit code 163, 2 restarts: statement 3 (line 12)");
        assertCondition(status, ConditionType.Ready, "False", Reason.JobManagerFailing);
    }

    @Test
    void otherJobManagerCrashesAreDegradedButTheSpecStaysValid() {
        var problem = new ObservedState.ContainerProblem("OOMKilled", Optional.of(137), "", 1);
        var observed = new ObservedState(Optional.of(JM), Optional.empty(), Optional.of(problem), Optional.empty(),
                new ObservedState.NotQueried(), 1);

        StreamJobStatus status = compute(TestStreamJobs.sqlJob("orders"), List.of(), observed, T0);

        assertCondition(status, ConditionType.SpecValid, "True", Reason.SpecAccepted);
        assertCondition(status, ConditionType.Degraded, "True", Reason.JobManagerFailing);
    }

    @Test
    void failedAndRestartingJobs() {
        StreamJob sj = TestStreamJobs.sqlJob("orders");
        StreamJobStatus failed = compute(sj, List.of(),
                observed(new ObservedState.Job(job("FAILED", 0, 2), Optional.empty())), T0);
        assertCondition(failed, ConditionType.Degraded, "True", Reason.JobFailed);
        assertCondition(failed, ConditionType.Ready, "False", Reason.JobFailed);

        StreamJobStatus restarting = compute(sj, List.of(),
                observed(new ObservedState.Job(job("RESTARTING", 0, 2), Optional.empty())), T0);
        assertCondition(restarting, ConditionType.Degraded, "True", Reason.JobRestarting);
        assertCondition(restarting, ConditionType.Progressing, "True", Reason.JobRestarting);
    }

    @Test
    void aReconcileErrorDegradesAndKeepsTheRest() {
        StreamJob sj = TestStreamJobs.sqlJob("orders");
        sj.setStatus(compute(sj, List.of(),
                observed(new ObservedState.Job(job("RUNNING", 2, 2), Optional.empty())), T0));

        StreamJobStatus failed = StatusComputer.reconcileError(sj, "Deployment orders-jobmanager is invalid", T1);

        assertCondition(failed, ConditionType.Degraded, "True", Reason.ReconcileError);
        assertThat(condition(failed, ConditionType.Degraded).getMessage())
                .isEqualTo("applying the desired objects failed, retrying: Deployment orders-jobmanager is invalid");
        assertThat(condition(failed, ConditionType.Degraded).getLastTransitionTime()).isEqualTo("2026-11-22T10:05:00Z");
        assertCondition(failed, ConditionType.Ready, "True", Reason.JobRunning);
        assertThat(condition(failed, ConditionType.Ready).getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(failed.getJobState()).isEqualTo("RUNNING");

        sj.setStatus(failed);
        StreamJobStatus again = StatusComputer.reconcileError(sj, "still invalid", T1.plusSeconds(60));
        assertThat(condition(again, ConditionType.Degraded).getLastTransitionTime()).isEqualTo("2026-11-22T10:05:00Z");
    }

    @Test
    void suspendedJob() {
        StreamJob sj = TestStreamJobs.sqlJob("orders");
        sj.getSpec().getJob().setState(JobState.SUSPENDED);

        StreamJobStatus status = compute(sj, List.of(), observed(new ObservedState.NotQueried()), T0);

        assertThat(status.getJobState()).isEqualTo("SUSPENDED");
        assertThat(status.getParallelism()).isZero();
        assertCondition(status, ConditionType.Ready, "False", Reason.Suspended);
        assertCondition(status, ConditionType.Degraded, "False", Reason.AsExpected);
    }

    @Test
    void eventsAnnounceTransitionsOnce() {
        StreamJob sj = TestStreamJobs.sqlJob("orders");
        StreamJobStatus starting = compute(sj, List.of(),
                observed(new ObservedState.JobNotFound()), T0);
        StreamJobStatus running = compute(sj, List.of(),
                observed(new ObservedState.Job(job("RUNNING", 2, 2), Optional.empty())), T1);
        StreamJobStatus invalid = compute(sj, List.of(new FieldError("spec.job.parallelism", "bad")),
                observed(new ObservedState.Job(job("RUNNING", 2, 2), Optional.empty())), T1);

        assertThat(StatusEvent.between(List.of(), starting.getConditions())).isEmpty();
        assertThat(StatusEvent.between(starting.getConditions(), running.getConditions()))
                .containsExactly(new StatusEvent(false, "JobRunning", "job running with parallelism 2"));
        assertThat(StatusEvent.between(running.getConditions(), running.getConditions())).isEmpty();
        assertThat(StatusEvent.between(running.getConditions(), invalid.getConditions()))
                .containsExactly(new StatusEvent(true, "InvalidSpec", "spec.job.parallelism: bad"));
    }
}
