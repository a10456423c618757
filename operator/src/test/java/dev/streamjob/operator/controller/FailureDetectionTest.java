package dev.streamjob.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.operator.flink.JobDetails;
import dev.streamjob.operator.observer.ObservedState;
import dev.streamjob.operator.observer.ObservedState.ContainerProblem;
import dev.streamjob.operator.status.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which observations count as a failure that a whole-job restart may cure. */
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
        assertThat(JobLifecycle.detectFailure(observed(Optional.empty(), job("FAILED"))))
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(Reason.JobFailed));
    }

    @Test
    void aJobThatFlinkItselfRestartsIsNotYet() {
        assertThat(JobLifecycle.detectFailure(observed(Optional.empty(), job("RESTARTING")))).isEmpty();
        assertThat(JobLifecycle.detectFailure(observed(Optional.empty(), job("FAILING")))).isEmpty();
    }

    @Test
    void aJobManagerThatExitedWithAnErrorIsAFailure() {
        var crashed = new ContainerProblem("Error", Optional.of(1), "java.lang.OutOfMemoryError: Metaspace", 2);

        assertThat(JobLifecycle.detectFailure(observed(Optional.of(crashed), new ObservedState.Unreachable(null, "refused"))))
                .hasValueSatisfying(f -> {
                    assertThat(f.reason()).isEqualTo(Reason.JobManagerFailed);
                    assertThat(f.message()).contains("exited with code 1", "2 restarts", "OutOfMemoryError");
                });
    }

    @Test
    void rejectedSqlAndContainersThatCannotStartAreNotCuredByARestart() {
        var rejected = new ContainerProblem("CrashLoopBackOff", Optional.of(163),
                "statement 3 (line 12): Column 'x' not found in any table", 3);
        var cannotPull = new ContainerProblem("ImagePullBackOff", Optional.empty(), "Back-off pulling image", 0);

        assertThat(JobLifecycle.detectFailure(observed(Optional.of(rejected), new ObservedState.NotQueried()))).isEmpty();
        assertThat(JobLifecycle.detectFailure(observed(Optional.of(cannotPull), new ObservedState.NotQueried()))).isEmpty();
    }

    @Test
    void aJobManagerThatKubernetesRestartedAlreadyIsAFailureToo() {
        var killed = new ContainerProblem("Error", Optional.of(137), "", 1);
        var observed = new ObservedState(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                new ObservedState.JobNotFound(), 2, Optional.of(killed));

        assertThat(JobLifecycle.detectFailure(observed)).hasValueSatisfying(f -> {
            assertThat(f.reason()).isEqualTo(Reason.JobManagerFailed);
            assertThat(f.message()).isEqualTo("the JobManager container exited with code 137 (1 restarts)");
        });
    }
}
