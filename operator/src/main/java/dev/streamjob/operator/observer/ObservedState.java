package dev.streamjob.operator.observer;

import dev.streamjob.operator.flink.CheckpointStatistics;
import dev.streamjob.operator.flink.FlinkRestException;
import dev.streamjob.operator.flink.JobDetails;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Optional;

/**
 * What the operator saw of one StreamJob's Flink cluster in one reconcile: its Deployments, the
 * health of its Flink containers and the job as the JobManager's REST API reports it. Immutable;
 * the status computer derives everything from it.
 *
 * @param jobManager the JobManager Deployment, if it exists
 * @param taskManager the TaskManager Deployment, if it exists
 * @param jobManagerProblem a failing JobManager container, if any
 * @param taskManagerProblem a failing TaskManager container, if any
 * @param flink the REST API's answer
 * @param flinkPods Flink pods of the StreamJob that exist, terminating ones included
 * @param jobManagerCrashed the last crash of a JobManager container that Kubernetes restarted
 *     since (it may run again), if any
 */
public record ObservedState(Optional<Deployment> jobManager, Optional<Deployment> taskManager,
        Optional<ContainerProblem> jobManagerProblem, Optional<ContainerProblem> taskManagerProblem,
        FlinkObservation flink, int flinkPods, Optional<ContainerProblem> jobManagerCrashed) {

    /** An observation without a restarted JobManager container. */
    public ObservedState(Optional<Deployment> jobManager, Optional<Deployment> taskManager,
            Optional<ContainerProblem> jobManagerProblem, Optional<ContainerProblem> taskManagerProblem,
            FlinkObservation flink, int flinkPods) {
        this(jobManager, taskManager, jobManagerProblem, taskManagerProblem, flink, flinkPods, Optional.empty());
    }

    /** Whether the job runs with all its tasks, so a savepoint can be taken. */
    public boolean jobHealthy() {
        return flink instanceof Job job && job.details().allTasksRunning();
    }

    /** The JobManager REST API's view of the job. */
    public sealed interface FlinkObservation {
    }

    /** No JobManager is supposed to run (suspended, or nothing deployed yet), so it was not asked. */
    public record NotQueried() implements FlinkObservation {
    }

    /** The REST API gave no answer. */
    public record Unreachable(FlinkRestException.Kind kind, String message) implements FlinkObservation {
    }

    /** The JobManager answers but has no job with the StreamJob's job id (yet). */
    public record JobNotFound() implements FlinkObservation {
    }

    /**
     * The job, and its checkpoint statistics when they could be read.
     *
     * @param details the job's state and vertices
     * @param checkpoints checkpoint statistics; empty if that call failed
     */
    public record Job(JobDetails details, Optional<CheckpointStatistics> checkpoints) implements FlinkObservation {
    }

    /**
     * A Flink container that terminated with an error or cannot start.
     *
     * @param reason the kubelet's reason (Error, OOMKilled, CrashLoopBackOff, ImagePullBackOff,
     *     CreateContainerConfigError ...)
     * @param exitCode exit code of the last termination, if it terminated
     * @param message the termination message (written by the launcher, or the log tail), or the
     *     kubelet's waiting message
     * @param restarts container restart count
     */
    public record ContainerProblem(String reason, Optional<Integer> exitCode, String message, int restarts) {
    }
}
