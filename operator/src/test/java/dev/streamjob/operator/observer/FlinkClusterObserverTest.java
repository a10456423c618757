package dev.streamjob.operator.observer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.operator.model.StreamJobResources.Component;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How container states of the Flink pods read as problems and crashes. */
class FlinkClusterObserverTest {

    /** A JobManager pod whose Flink container runs again after {@code restarts} restarts, the last ending with {@code lastExitCode}. */
    private static Pod jobManagerRunningAgain(int restarts, Integer lastExitCode) {
        var status = new ContainerStatusBuilder().withName(StreamJobResources.FLINK_CONTAINER).withRestartCount(restarts)
                .withState(new ContainerStateBuilder().withNewRunning().withStartedAt("2026-11-22T12:00:10Z").endRunning().build());
        if (lastExitCode != null) {
            status.withLastState(new ContainerStateBuilder().withNewTerminated().withExitCode(lastExitCode)
                    .withReason(lastExitCode == 137 ? "Error" : "Completed").endTerminated().build());
        }
        return new PodBuilder().withNewMetadata().withName("orders-jobmanager-abc")
                .addToLabels(StreamJobResources.COMPONENT_LABEL, Component.JOBMANAGER.label()).endMetadata()
                .withNewStatus().withContainerStatuses(status.build()).endStatus().build();
    }

    @Test
    void aJobManagerKilledAndRestartedByKubernetesIsACrashThoughItRunsAgain() {
        List<Pod> pods = List.of(jobManagerRunningAgain(1, 137));

        assertThat(FlinkClusterObserver.problem(pods, Component.JOBMANAGER)).isEmpty();
        assertThat(FlinkClusterObserver.crashed(pods, Component.JOBMANAGER)).hasValueSatisfying(p -> {
            assertThat(p.exitCode()).contains(137);
            assertThat(p.restarts()).isEqualTo(1);
        });
        assertThat(FlinkClusterObserver.crashed(pods, Component.TASKMANAGER)).isEmpty();
    }

    @Test
    void aCleanExitOrNoRestartIsNoCrash() {
        // After stop-with-savepoint the application-mode JobManager exits with 0 and is restarted.
        assertThat(FlinkClusterObserver.crashed(List.of(jobManagerRunningAgain(1, 0)), Component.JOBMANAGER)).isEmpty();
        assertThat(FlinkClusterObserver.crashed(List.of(jobManagerRunningAgain(0, null)), Component.JOBMANAGER))
                .isEqualTo(Optional.empty());
    }
}
