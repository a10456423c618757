package dev.streamjob.operator.controller;

import dev.streamjob.operator.api.v1alpha1.JobRun;
import dev.streamjob.operator.api.v1alpha1.RecoverySpec;
import dev.streamjob.operator.api.v1alpha1.Symptom;
import dev.streamjob.operator.model.Durations;
import dev.streamjob.operator.observer.ObservedState;
import dev.streamjob.operator.status.Reason;
import dev.streamjob.operator.status.StatusComputer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides from one observation whether the deployed run has failed, so the operator restarts it
 * whole (docs/recovery.md). Pure: the times a symptom was first seen come in and go out through
 * {@code status.symptoms}, so a restarted operator keeps counting.
 *
 * <p>Failures acted on at once: the Flink job FAILED (its own restart strategy gave up), or a
 * JobManager container of the run exited with an error. Symptoms acted on once they outlast their
 * grace period in {@code spec.recovery}: the REST API unreachable, fewer TaskManager pods ready
 * than wanted, the job not running all its tasks, and (opt-in) no completed checkpoint.
 */
final class FailureDetector {

    private FailureDetector() {
    }

    /**
     * A failure of the deployed run that a whole-job restart may cure.
     *
     * @param reason {@code JobFailed}, {@code JobManagerFailed}, or the reason of the symptom
     *     that outlasted its grace period
     * @param message what was observed, for people
     */
    record Failure(Reason reason, String message) {
    }

    /**
     * The outcome of one look at the run.
     *
     * @param symptoms the symptoms seen now, with the time each was first seen
     * @param failure the failure to act on, if any
     * @param recheckIn when the first grace period ends, so the operator looks again then (empty
     *     when there is a failure or nothing to wait for)
     */
    record Assessment(List<Symptom> symptoms, Optional<Failure> failure, Optional<Duration> recheckIn) {
    }

    /**
     * A failure to act on at once: the Flink job FAILED, or a JobManager container of the run
     * exited with an error that is not rejected SQL (a restart cannot fix the SQL; the spec must
     * change), whether Kubernetes restarted it already or not. The pods of a new run start with no
     * restarts, so one crash triggers one restart. A container that cannot start (an image pull, a
     * missing Secret) is not a failure a restart cures either.
     */
    static Optional<Failure> immediate(ObservedState observed) {
        if (observed.flink() instanceof ObservedState.Job job && "FAILED".equals(job.details().state())) {
            return Optional.of(new Failure(Reason.JobFailed, "the Flink job " + job.details().jobId() + " FAILED"));
        }
        return observed.jobManagerProblem().filter(p -> p.exitCode().isPresent())
                .or(observed::jobManagerCrashed)
                .filter(p -> StatusComputer.sqlRejection(p.message()).isEmpty())
                .map(p -> new Failure(Reason.JobManagerFailed, "the JobManager container exited with code "
                        + p.exitCode().get() + " (" + p.restarts() + " restarts)"
                        + (p.message().isBlank() ? "" : ": " + firstLine(p.message()))));
    }

    /**
     * The first line of a termination message, at most 200 characters: after a kill the kubelet
     * puts the end of the container's log there ({@code FallbackToLogsOnError}), which belongs in
     * the pod, not in every event and status message.
     */
    private static String firstLine(String message) {
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }

    /**
     * Looks at a run that should be running.
     *
     * @param observed the cluster now
     * @param run the deployed run (its start time bounds the checkpoint progress check)
     * @param previous the symptoms of the last look, from status
     * @param recovery the grace periods
     * @param started whether the run has completed a checkpoint: before that it is starting (an
     *     image pull, a restore of large state) and only immediate failures and the checkpoint
     *     progress timeout count
     * @throws IllegalArgumentException if a duration of {@code recovery} is malformed (the
     *     validator rejects those before)
     */
    static Assessment assess(ObservedState observed, JobRun run, List<Symptom> previous, RecoverySpec recovery,
            boolean started, Instant now) {
        Optional<Failure> failure = immediate(observed);
        if (failure.isPresent()) {
            return new Assessment(List.of(), failure, Optional.empty());
        }
        List<Symptom> symptoms = new ArrayList<>();
        Optional<Duration> recheck = Optional.empty();
        for (Sign sign : started ? signs(observed, recovery) : List.<Sign>of()) {
            Instant since = previous.stream().filter(s -> s.reason().equals(sign.reason().name())).findFirst()
                    .map(s -> Instant.parse(s.since())).orElse(now);
            symptoms.add(new Symptom(sign.reason().name(), JobLifecycle.time(since), sign.message()));
            Instant deadline = since.plus(sign.grace());
            if (!deadline.isAfter(now) && failure.isEmpty()) {
                failure = Optional.of(new Failure(sign.reason(), sign.message() + " for "
                        + Duration.between(since, now).toSeconds() + " s (spec.recovery." + sign.field() + ": "
                        + sign.graceText() + ")"));
            }
            recheck = earliest(recheck, Duration.between(now, deadline));
        }
        if (failure.isEmpty() && recovery.getCheckpointProgressTimeout() != null && observed.jobHealthy()) {
            Duration timeout = Durations.parse(recovery.getCheckpointProgressTimeout());
            Instant lastProgress = lastProgress(observed, run);
            Instant deadline = lastProgress.plus(timeout);
            if (!deadline.isAfter(now)) {
                failure = Optional.of(new Failure(Reason.CheckpointsStalled, "no checkpoint completed since "
                        + JobLifecycle.time(lastProgress) + " (spec.recovery.checkpointProgressTimeout: "
                        + recovery.getCheckpointProgressTimeout() + ")"));
            }
            recheck = earliest(recheck, Duration.between(now, deadline));
        }
        return failure.isPresent()
                ? new Assessment(symptoms, failure, Optional.empty())
                : new Assessment(symptoms, Optional.empty(), recheck.map(d -> d.isNegative() ? Duration.ZERO : d));
    }

    /** A symptom seen in this observation, with the grace period it is allowed. */
    private record Sign(Reason reason, String message, Duration grace, String field, String graceText) {
    }

    private static List<Sign> signs(ObservedState observed, RecoverySpec recovery) {
        List<Sign> signs = new ArrayList<>();
        if (observed.flink() instanceof ObservedState.Unreachable u) {
            signs.add(new Sign(Reason.JobManagerUnreachable, "the JobManager's REST API does not answer: " + u.message(),
                    Durations.parse(recovery.getJobManagerGracePeriod()), "jobManagerGracePeriod",
                    recovery.getJobManagerGracePeriod()));
        }
        observed.taskManager().flatMap(FailureDetector::taskManagersLost).ifPresent(message -> signs.add(new Sign(
                Reason.TaskManagersLost, message, Durations.parse(recovery.getTaskManagerGracePeriod()),
                "taskManagerGracePeriod", recovery.getTaskManagerGracePeriod())));
        notRunning(observed.flink()).ifPresent(message -> signs.add(new Sign(Reason.JobStuckRestarting, message,
                Durations.parse(recovery.getRestartingTimeout()), "restartingTimeout", recovery.getRestartingTimeout())));
        return signs;
    }

    /**
     * Fewer TaskManager pods ready than the Deployment wants, as its status reports. A Deployment
     * whose status the Deployment controller has not written yet tells nothing.
     */
    private static Optional<String> taskManagersLost(Deployment taskManager) {
        var status = taskManager.getStatus();
        Integer wanted = taskManager.getSpec() == null ? null : taskManager.getSpec().getReplicas();
        if (status == null || status.getObservedGeneration() == null || wanted == null || wanted == 0) {
            return Optional.empty();
        }
        int ready = status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
        return ready < wanted ? Optional.of(ready + " of " + wanted + " TaskManager pods ready") : Optional.empty();
    }

    /** The job answers but does not run all its tasks (Flink restarts it, or waits for slots), or is missing. */
    private static Optional<String> notRunning(ObservedState.FlinkObservation flink) {
        if (flink instanceof ObservedState.JobNotFound) {
            return Optional.of("the JobManager runs no job of this run");
        }
        if (flink instanceof ObservedState.Job job && !job.details().allTasksRunning() && !job.details().terminal()) {
            return Optional.of("the job is " + job.details().state() + " without all its tasks running");
        }
        return Optional.empty();
    }

    /** The newest completed checkpoint of the run, or the start of the run before its first. */
    private static Instant lastProgress(ObservedState observed, JobRun run) {
        Instant started = Instant.parse(run.startedAt());
        return observed.flink() instanceof ObservedState.Job job
                ? job.checkpoints().flatMap(c -> c.latestCompleted())
                        .map(c -> Instant.ofEpochMilli(c.completedAtMillis()))
                        .filter(t -> t.isAfter(started)).orElse(started)
                : started;
    }

    private static Optional<Duration> earliest(Optional<Duration> a, Duration b) {
        return Optional.of(a.filter(d -> d.compareTo(b) <= 0).orElse(b));
    }
}
