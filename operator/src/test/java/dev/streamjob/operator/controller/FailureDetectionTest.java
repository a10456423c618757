package dev.streamjob.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.streamjob.operator.api.v1alpha1.JobRun;
import dev.streamjob.operator.api.v1alpha1.JobState;
import dev.streamjob.operator.api.v1alpha1.RecoverySpec;
import dev.streamjob.operator.api.v1alpha1.Symptom;
import dev.streamjob.operator.flink.CheckpointStatistics;
import dev.streamjob.operator.flink.JobDetails;
import dev.streamjob.operator.observer.ObservedState;
import dev.streamjob.operator.observer.ObservedState.ContainerProblem;
import dev.streamjob.operator.status.Reason;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which observations count as a failure that a whole-job restart may cure, at once or after a grace period. */
class FailureDetectionTest {

    private static ObservedState observed(Optional<ContainerProblem> jobManager, ObservedState.FlinkObservation flink) {
        return new ObservedState(Optional.empty(), Optional.empty(), jobManager, Optional.empty(), flink, 2);
    }

    private static ObservedState.Job job(String state) {
        return new ObservedState.Job(new JobDetails("0f8c6a4e1b2d4c3e0000000100000001", "insert-into", state,
                List.of(new JobDetails.Vertex("Source: orders", 2, Map.of("FAILED", 2)))), Optional.empty());
    }

    @Test
    void aFailedFlinkJobIsAFailure() {
        assertThat(FailureDetector.immediate(observed(Optional.empty(), job("FAILED"))))
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(Reason.JobFailed));
    }

    @Test
    void aJobThatFlinkItselfRestartsIsNotYet() {
        assertThat(FailureDetector.immediate(observed(Optional.empty(), job("RESTARTING")))).isEmpty();
        assertThat(FailureDetector.immediate(observed(Optional.empty(), job("FAILING")))).isEmpty();
    }

    @Test
    void aJobManagerThatExitedWithAnErrorIsAFailure() {
        var crashed = new ContainerProblem("Error", Optional.of(1),
                "java.lang.OutOfMemoryError: Metaspace\n\tat java.base/java.lang.ClassLoader.defineClass1(Native Method)\n", 2);

        assertThat(FailureDetector.immediate(observed(Optional.of(crashed), new ObservedState.Unreachable(null, "refused"))))
                .hasValueSatisfying(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.JobManagerFailed);
                    assertThat(f.message()).isEqualTo("the JobManager container exited with code 1 (2 restarts):"
                            + " java.lang.OutOfMemoryError: Metaspace");
                });
    }

    @Test
    void rejectedSqlAndContainersThatCannotStartAreNotCuredByARestart() {
        var rejected = new ContainerProblem("CrashLoopBackOff", Optional.of(163),
                "statement 3 (line 12): Column 'x' not found in any table", 3);
        var cannotPull = new ContainerProblem("ImagePullBackOff", Optional.empty(), "Back-off pulling image", 0);

        assertThat(FailureDetector.immediate(observed(Optional.of(rejected), new ObservedState.NotQueried()))).isEmpty();
        assertThat(FailureDetector.immediate(observed(Optional.of(cannotPull), new ObservedState.NotQueried()))).isEmpty();
    }

    @Test
    void aJobManagerThatKubernetesRestartedAlreadyIsAFailureToo() {
        var killed = new ContainerProblem("Error", Optional.of(137), "", 1);
        var observed = new ObservedState(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                new ObservedState.JobNotFound(), 2, Optional.of(killed));

        assertThat(FailureDetector.immediate(observed)).hasValueSatisfying(f -> {
            assertThat(f.reason()).isEqualTo(Reason.JobManagerFailed);
            assertThat(f.message()).isEqualTo("the JobManager container exited with code 137 (1 restarts)");
        });
    }

    // Symptoms: acted on once they outlast their grace period (spec.recovery).

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    private static final JobRun RUN = new JobRun(2, 1, "0f8c6a4e1b2d4c3e0000000100000002", 1L, "hash", 2, JobState.RUNNING,
            null, false, null, "streamjob-runtime:test", "2026-11-22T11:50:00Z");

    private static ObservedState observedWith(Optional<Deployment> taskManager, ObservedState.FlinkObservation flink) {
        return new ObservedState(Optional.empty(), taskManager, Optional.empty(), Optional.empty(), flink, 3);
    }

    private static Deployment taskManagers(int wanted, Integer ready, boolean statusWritten) {
        var d = new DeploymentBuilder().withNewSpec().withReplicas(wanted).endSpec();
        return statusWritten
                ? d.withNewStatus().withObservedGeneration(1L).withReadyReplicas(ready).endStatus().build()
                : d.build();
    }

    private static ObservedState.Job running(Long lastCheckpointAtMillis) {
        var details = new JobDetails(RUN.jobId(), "insert-into", "RUNNING",
                List.of(new JobDetails.Vertex("Source: orders", 2, Map.of("RUNNING", 2))));
        var checkpoints = lastCheckpointAtMillis == null
                ? new CheckpointStatistics(0, 0, Optional.empty())
                : new CheckpointStatistics(5, 0, Optional.of(new CheckpointStatistics.CompletedCheckpoint(5,
                        "s3://flink/ns/job/checkpoints/" + RUN.jobId() + "/chk-5", lastCheckpointAtMillis)));
        return new ObservedState.Job(details, Optional.of(checkpoints));
    }

    private static FailureDetector.Assessment assess(ObservedState observed, List<Symptom> previous, RecoverySpec recovery,
            Instant now) {
        return FailureDetector.assess(observed, RUN, previous, recovery, true, now);
    }

    @Test
    void anUnreachableJobManagerIsRestartedOnlyAfterItsGracePeriod() {
        var unreachable = observedWith(Optional.empty(), new ObservedState.Unreachable(null, "Connection refused"));
        var recovery = new RecoverySpec(); // jobManagerGracePeriod 1min

        var first = assess(unreachable, List.of(), recovery, T0);
        assertThat(first.failure()).isEmpty();
        assertThat(first.symptoms()).containsExactly(new Symptom("JobManagerUnreachable", "2026-11-22T12:00:00Z",
                "the JobManager's REST API does not answer: Connection refused"));
        assertThat(first.recheckIn()).contains(Duration.ofMinutes(1));

        var later = assess(unreachable, first.symptoms(), recovery, T0.plusSeconds(59));
        assertThat(later.failure()).isEmpty();
        assertThat(later.symptoms()).isEqualTo(first.symptoms());
        assertThat(later.recheckIn()).contains(Duration.ofSeconds(1));

        var due = assess(unreachable, later.symptoms(), recovery, T0.plusSeconds(60));
        assertThat(due.failure()).hasValueSatisfying(f -> {
            assertThat(f.reason()).isEqualTo(Reason.JobManagerUnreachable);
            assertThat(f.message()).isEqualTo("the JobManager's REST API does not answer: Connection refused for 60 s"
                    + " (spec.recovery.jobManagerGracePeriod: 1min)");
        });
    }

    @Test
    void lostTaskManagersCountFromWhenTheDeploymentFirstReportedThemAndAnswerAgainClearsIt() {
        var recovery = new RecoverySpec();
        recovery.setTaskManagerGracePeriod("30s");
        var lost = observedWith(Optional.of(taskManagers(2, 1, true)), running(null));

        var first = assess(lost, List.of(), recovery, T0);
        assertThat(first.symptoms()).extracting(Symptom::reason, Symptom::message)
                .containsExactly(tuple("TaskManagersLost", "1 of 2 TaskManager pods ready"));
        assertThat(assess(lost, first.symptoms(), recovery, T0.plusSeconds(29)).failure()).isEmpty();
        assertThat(assess(lost, first.symptoms(), recovery, T0.plusSeconds(30)).failure())
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(Reason.TaskManagersLost));

        var back = assess(observedWith(Optional.of(taskManagers(2, 2, true)), running(null)), first.symptoms(), recovery,
                T0.plusSeconds(20));
        assertThat(back.symptoms()).isEmpty();
        assertThat(back.failure()).isEmpty();
        // Lost again: counted from then, not from the first loss.
        var again = assess(lost, back.symptoms(), recovery, T0.plusSeconds(40));
        assertThat(again.failure()).isEmpty();
        assertThat(again.symptoms()).extracting(Symptom::since).containsExactly("2026-11-22T12:00:40Z");
    }

    @Test
    void aDeploymentWithoutStatusTellsNothingAboutItsTaskManagers() {
        var unknown = observedWith(Optional.of(taskManagers(2, null, false)), running(null));

        assertThat(assess(unknown, List.of(), new RecoverySpec(), T0).symptoms()).isEmpty();
    }

    @Test
    void aJobThatDoesNotRunAllItsTasksIsRestartedAfterTheRestartingTimeout() {
        var recovery = new RecoverySpec(); // restartingTimeout 5min
        var restarting = observedWith(Optional.empty(), job("RESTARTING"));
        var missing = observedWith(Optional.empty(), new ObservedState.JobNotFound());

        var first = assess(restarting, List.of(), recovery, T0);
        assertThat(first.symptoms()).extracting(Symptom::reason, Symptom::message)
                .containsExactly(tuple("JobStuckRestarting", "the job is RESTARTING without all its tasks running"));
        // The same symptom seen another way (the JobManager lost the job) keeps its time.
        var stillMissing = assess(missing, first.symptoms(), recovery, T0.plusSeconds(299));
        assertThat(stillMissing.failure()).isEmpty();
        assertThat(stillMissing.symptoms()).extracting(Symptom::since, Symptom::message)
                .containsExactly(tuple("2026-11-22T12:00:00Z", "the JobManager runs no job of this run"));
        assertThat(assess(missing, stillMissing.symptoms(), recovery, T0.plusSeconds(300)).failure())
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(Reason.JobStuckRestarting));
    }

    @Test
    void aStartingRunHasNoSymptomsOnlyFailures() {
        var unreachable = observedWith(Optional.of(taskManagers(2, 0, true)), new ObservedState.Unreachable(null, "refused"));

        var starting = FailureDetector.assess(unreachable, RUN, List.of(), new RecoverySpec(), false, T0.plusSeconds(3600));
        assertThat(starting.symptoms()).isEmpty();
        assertThat(starting.failure()).isEmpty();
        assertThat(starting.recheckIn()).isEmpty();
    }

    @Test
    void checkpointProgressIsCheckedOnlyWhenAskedFromTheNewerOfTheLastCheckpointAndTheRunStart() {
        var recovery = new RecoverySpec();
        long twoMinutesAgo = T0.minusSeconds(120).toEpochMilli();
        assertThat(assess(observedWith(Optional.empty(), running(twoMinutesAgo)), List.of(), recovery, T0).failure())
                .isEmpty();

        recovery.setCheckpointProgressTimeout("3min");
        var fresh = assess(observedWith(Optional.empty(), running(twoMinutesAgo)), List.of(), recovery, T0);
        assertThat(fresh.failure()).isEmpty();
        assertThat(fresh.recheckIn()).contains(Duration.ofMinutes(1));

        recovery.setCheckpointProgressTimeout("100s");
        assertThat(assess(observedWith(Optional.empty(), running(twoMinutesAgo)), List.of(), recovery, T0).failure())
                .hasValueSatisfying(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.CheckpointsStalled);
                    assertThat(f.message()).isEqualTo("no checkpoint completed since 2026-11-22T11:58:00Z"
                            + " (spec.recovery.checkpointProgressTimeout: 100s)");
                });
        // No checkpoint of this run yet (the run started 10 min before T0): counted from the start.
        recovery.setCheckpointProgressTimeout("11min");
        assertThat(assess(observedWith(Optional.empty(), running(null)), List.of(), recovery, T0).recheckIn())
                .contains(Duration.ofMinutes(1));
    }
}
