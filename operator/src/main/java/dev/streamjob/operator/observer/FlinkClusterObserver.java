package dev.streamjob.operator.observer;

import dev.streamjob.operator.api.v1alpha1.JobRun;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.config.OperatorConfig;
import dev.streamjob.operator.flink.CheckpointStatistics;
import dev.streamjob.operator.flink.FlinkRestClient;
import dev.streamjob.operator.flink.FlinkRestException;
import dev.streamjob.operator.flink.JobDetails;
import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.operator.model.StreamJobResources.Component;
import dev.streamjob.operator.observer.ObservedState.ContainerProblem;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a StreamJob's Flink cluster into an {@link ObservedState}: Deployments and pods from the
 * informer caches, the job from the JobManager's REST API. Never writes, never throws for a
 * REST failure (that becomes {@link ObservedState.Unreachable}).
 */
@ApplicationScoped
public class FlinkClusterObserver {

    /** Waiting reasons of a container that will not start without a change. */
    private static final Set<String> STUCK_WAITING_REASONS = Set.of("CrashLoopBackOff", "ImagePullBackOff",
            "ErrImagePull", "CreateContainerConfigError", "CreateContainerError", "InvalidImageName");

    private final FlinkRestClient flink;
    private final OperatorConfig config;

    /** An observer asking the given REST client. */
    public FlinkClusterObserver(FlinkRestClient flink, OperatorConfig config) {
        this.flink = flink;
        this.config = config;
    }

    /**
     * Observes the StreamJob's cluster through the reconcile context's caches and the REST API.
     *
     * @param run the run whose job to ask the REST API for; null: none deployed, nothing to ask
     */
    public ObservedState observe(StreamJob job, JobRun run, Context<StreamJob> context) {
        Optional<Deployment> jobManager = deployment(context, StreamJobResources.jobManagerName(job));
        Optional<Deployment> taskManager = deployment(context, StreamJobResources.taskManagerName(job));
        Set<Pod> pods = context.getSecondaryResources(Pod.class);
        boolean jobManagerWanted = jobManager.map(d -> d.getSpec().getReplicas() != null && d.getSpec().getReplicas() > 0)
                .orElse(false);
        ObservedState.FlinkObservation observation = jobManagerWanted && run != null
                ? queryFlink(restEndpoint(job), run.jobId())
                : new ObservedState.NotQueried();
        return new ObservedState(jobManager, taskManager,
                problem(pods, Component.JOBMANAGER), problem(pods, Component.TASKMANAGER), observation, pods.size(),
                crashed(pods, Component.JOBMANAGER));
    }

    /** The JobManager's REST URL from {@code streamjob.flink.rest-url-template}. */
    public URI restEndpoint(StreamJob job) {
        return URI.create(config.flink().restUrlTemplate()
                .replace("{service}", StreamJobResources.jobManagerName(job))
                .replace("{namespace}", job.getMetadata().getNamespace())
                .replace("{port}", String.valueOf(StreamJobResources.REST_PORT)));
    }

    private ObservedState.FlinkObservation queryFlink(URI endpoint, String jobId) {
        try {
            Optional<JobDetails> details = flink.job(endpoint, jobId);
            if (details.isEmpty()) {
                return new ObservedState.JobNotFound();
            }
            Optional<CheckpointStatistics> checkpoints;
            try {
                checkpoints = Optional.of(flink.checkpoints(endpoint, jobId));
            } catch (FlinkRestException e) {
                checkpoints = Optional.empty();
            }
            return new ObservedState.Job(details.get(), checkpoints);
        } catch (FlinkRestException e) {
            return new ObservedState.Unreachable(e.kind(), e.getMessage());
        }
    }

    private static Optional<Deployment> deployment(Context<StreamJob> context, String name) {
        return context.getSecondaryResourcesAsStream(Deployment.class)
                .filter(d -> name.equals(d.getMetadata().getName()))
                .findFirst();
    }

    /** The most recent problem of a component's Flink container, over all its pods. */
    static Optional<ContainerProblem> problem(Collection<Pod> pods, Component component) {
        return pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(component::of)
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp(),
                        Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .map(FlinkClusterObserver::problem)
                .flatMap(Optional::stream)
                .findFirst();
    }

    /**
     * The last crash of a component's Flink container that Kubernetes has restarted since: a
     * restart count of at least 1 and a last termination with a non-zero exit code. Seen even when
     * the restarted container already runs again.
     */
    static Optional<ContainerProblem> crashed(Collection<Pod> pods, Component component) {
        return pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(component::of)
                .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
                .flatMap(p -> p.getStatus().getContainerStatuses().stream())
                .filter(s -> StreamJobResources.FLINK_CONTAINER.equals(s.getName()))
                .filter(s -> s.getRestartCount() != null && s.getRestartCount() > 0)
                .filter(s -> s.getLastState() != null && s.getLastState().getTerminated() != null
                        && nonZero(s.getLastState().getTerminated().getExitCode()))
                .map(s -> new ContainerProblem(s.getLastState().getTerminated().getReason(),
                        Optional.of(s.getLastState().getTerminated().getExitCode()),
                        text(s.getLastState().getTerminated().getMessage()), s.getRestartCount()))
                .findFirst();
    }

    private static Optional<ContainerProblem> problem(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> StreamJobResources.FLINK_CONTAINER.equals(s.getName()))
                .findFirst()
                .flatMap(FlinkClusterObserver::problem);
    }

    private static Optional<ContainerProblem> problem(ContainerStatus status) {
        int restarts = status.getRestartCount() == null ? 0 : status.getRestartCount();
        ContainerState state = status.getState();
        ContainerState last = status.getLastState();
        if (state != null && state.getTerminated() != null && nonZero(state.getTerminated().getExitCode())) {
            return Optional.of(new ContainerProblem(state.getTerminated().getReason(),
                    Optional.of(state.getTerminated().getExitCode()), text(state.getTerminated().getMessage()), restarts));
        }
        if (state != null && state.getWaiting() != null && STUCK_WAITING_REASONS.contains(state.getWaiting().getReason())) {
            boolean crashed = last != null && last.getTerminated() != null && nonZero(last.getTerminated().getExitCode());
            return Optional.of(new ContainerProblem(state.getWaiting().getReason(),
                    crashed ? Optional.of(last.getTerminated().getExitCode()) : Optional.empty(),
                    crashed && last.getTerminated().getMessage() != null
                            ? last.getTerminated().getMessage()
                            : text(state.getWaiting().getMessage()),
                    restarts));
        }
        return Optional.empty();
    }

    private static boolean nonZero(Integer exitCode) {
        return exitCode != null && exitCode != 0;
    }

    private static String text(String message) {
        return message == null ? "" : message;
    }
}
