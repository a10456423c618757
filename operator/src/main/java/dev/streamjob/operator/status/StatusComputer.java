package dev.streamjob.operator.status;

import dev.streamjob.operator.api.v1alpha1.CheckpointInfo;
import dev.streamjob.operator.api.v1alpha1.JobRun;
import dev.streamjob.operator.api.v1alpha1.Operation;
import dev.streamjob.operator.api.v1alpha1.OperationFailure;
import dev.streamjob.operator.api.v1alpha1.OperationType;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.StreamJobStatus;
import dev.streamjob.operator.flink.CheckpointStatistics;
import dev.streamjob.operator.flink.JobDetails;
import dev.streamjob.operator.kafka.KafkaLagObserver;
import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.operator.observer.ObservedState;
import dev.streamjob.operator.observer.ObservedState.ContainerProblem;
import dev.streamjob.operator.validation.FieldError;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Computes a StreamJob's status from what was observed, as a pure function (no client, no clock:
 * {@code now} is passed in). Conditions follow the Kubernetes API conventions:
 * {@code lastTransitionTime} changes only when a condition's status changes, and each carries the
 * {@code observedGeneration} it was computed for.
 */
public final class StatusComputer {

    /** Largest condition message kept; longer ones are cut (Kubernetes allows 32768). */
    static final int MAX_MESSAGE = 4096;
    /**
     * The launcher's termination message for a script Flink rejected starts
     * {@code statement <n> (line <l>): } (runtime-image/README.md).
     */
    private static final Pattern SQL_REJECTION = Pattern.compile("^statement \\d+ \\(line \\d+\\): ", Pattern.MULTILINE);

    private StatusComputer() {
    }

    /**
     * The status for this reconcile.
     *
     * @param errors validation errors of the current spec; when non-empty the cluster was not touched
     * @param observed the cluster as observed after acting
     * @param runState the deployed run, the operation in flight and the savepoint history, as the
     *     lifecycle step left them
     * @param now time of the reconcile, for {@code lastTransitionTime}
     */
    public static StreamJobStatus compute(StreamJob job, List<FieldError> errors, ObservedState observed,
            RunState runState, Instant now) {
        StreamJobStatus previous = job.getStatus() == null ? new StreamJobStatus() : job.getStatus();
        long generation = job.getMetadata().getGeneration() == null ? 0 : job.getMetadata().getGeneration();
        StreamJobStatus status = new StreamJobStatus();
        status.setObservedGeneration(generation);
        runState.writeTo(status);
        status.setJobId(runState.currentRun() == null ? null : runState.currentRun().jobId());
        status.setSelector(StreamJobResources.taskManagerSelector(job));
        status.setLastCheckpoint(lastCheckpoint(observed).orElse(previous.getLastCheckpoint()));
        Optional<Optional<String>> restoredFrom = restoredFrom(observed);
        status.setRestoredFrom(restoredFrom.isPresent() ? restoredFrom.get().orElse(null) : previous.getRestoredFrom());
        status.setReadyTaskManagers(observed.taskManager()
                .map(d -> d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas())
                .orElse(0));

        Conditions conditions = new Conditions();
        Optional<String> sqlRejection = observed.jobManagerProblem()
                .filter(p -> job.getSpec() != null && job.getSpec().getJob() != null && job.getSpec().getJob().getSql() != null)
                .map(ContainerProblem::message)
                .flatMap(StatusComputer::sqlRejection);
        if (!errors.isEmpty()) {
            String message = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
            conditions.specValid = condition(ConditionType.SpecValid, false, Reason.InvalidSpec, message);
            conditions.degraded = condition(ConditionType.Degraded, true, Reason.InvalidSpec,
                    "the spec cannot be applied; the cluster was left as it was: " + message);
            conditions.progressing = condition(ConditionType.Progressing, false, Reason.InvalidSpec,
                    "waiting for a valid spec");
        } else if (sqlRejection.isPresent()) {
            conditions.specValid = condition(ConditionType.SpecValid, false, Reason.SqlRejected,
                    "spec.job.sql: " + sqlRejection.get());
        } else {
            conditions.specValid = condition(ConditionType.SpecValid, true, Reason.SpecAccepted, "");
        }

        describeOperation(runState, conditions);
        describeJob(runState, observed, status, conditions);
        status.setConditions(conditions.list(previous.getConditions(), generation, now));
        return status;
    }

    /**
     * The status after a reconcile that failed to apply the desired objects: the previous status
     * with {@code Degraded=True}, reason {@code ReconcileError}; the other conditions are kept
     * (nothing new was observed). The operator retries with backoff.
     *
     * @param message what failed, for people
     * @param now time of the failure, for {@code lastTransitionTime}
     */
    public static StreamJobStatus reconcileError(StreamJob job, String message, Instant now) {
        StreamJobStatus previous = job.getStatus() == null ? new StreamJobStatus() : job.getStatus();
        long generation = job.getMetadata().getGeneration() == null ? 0 : job.getMetadata().getGeneration();
        StreamJobStatus status = Serialization.clone(previous);
        List<Condition> conditions = new ArrayList<>(previous.getConditions());
        conditions.removeIf(c -> ConditionType.Degraded.name().equals(c.getType()));
        Condition degraded = condition(ConditionType.Degraded, true, Reason.ReconcileError,
                "applying the desired objects failed, retrying: " + message);
        stamp(degraded, previous.getConditions(), generation, now);
        conditions.add(degraded);
        status.setConditions(conditions);
        return status;
    }

    /** Progressing for the operation in flight, and Degraded for the last failed operation. */
    private static void describeOperation(RunState runState, Conditions c) {
        Operation op = runState.operation();
        JobRun run = runState.currentRun();
        if (op != null) {
            String since = " (since " + op.phaseStartedAt() + ")";
            switch (op.phase()) {
                case SavepointInProgress -> c.setIfAbsent(condition(ConditionType.Progressing, true, Reason.SavepointInProgress,
                        op.savepointTrigger() + " savepoint of job " + run.jobId() + " in progress, Flink trigger "
                                + op.triggerId() + since));
                case Stopping -> c.setIfAbsent(condition(ConditionType.Progressing, true,
                        op.type() == OperationType.Suspend ? Reason.Suspending
                                : op.type() == OperationType.Recover ? Reason.JobRestarted : Reason.Stopping,
                        op.type() + ": removing the pods of run " + run.number()
                                + (op.savepointPath() == null ? "" : " after savepoint " + op.savepointPath()) + since));
                case Deploying -> c.setIfAbsent(condition(ConditionType.Progressing, true,
                        op.type() == OperationType.Resume ? Reason.Resuming
                                : op.type() == OperationType.Recover ? Reason.JobRestarted : Reason.Upgrading,
                        op.type() + ": run " + run.number() + " (job " + run.jobId() + ") starting from "
                                + (run.restorePath() == null ? "empty state" : run.restorePath()) + since));
                case Rescaling -> c.setIfAbsent(condition(ConditionType.Progressing, true, Reason.Rescaling,
                        "rescaling job " + run.jobId() + " in place from parallelism " + runState.lastRescale().from() + " to "
                                + runState.lastRescale().to() + (runState.lastRescale().to() > runState.lastRescale().from()
                                        ? ": TaskManagers first, then the adaptive scheduler"
                                        : ": the adaptive scheduler first, then the TaskManagers") + since));
            }
        }
        OperationFailure failure = runState.lastFailure();
        if (failure != null) {
            Reason reason = Reason.UpgradeFailed;
            for (Reason r : Reason.values()) {
                if (r.name().equals(failure.reason())) {
                    reason = r;
                }
            }
            c.setIfAbsent(condition(ConditionType.Degraded, true, reason, failure.message()
                    + " (" + failure.type() + " for generation " + failure.generation() + " at " + failure.time() + ")"));
        }
    }

    /** Fills job state, parallelism and the Ready / Progressing / Degraded conditions not yet set. */
    private static void describeJob(RunState runState, ObservedState observed, StreamJobStatus status, Conditions c) {
        JobRun run = runState.currentRun();
        if (run != null && !run.running()) {
            status.setJobState("SUSPENDED");
            status.setParallelism(0);
            c.setIfAbsent(condition(ConditionType.Ready, false, Reason.Suspended, "the job is suspended (spec.job.state)"));
            c.setIfAbsent(condition(ConditionType.Progressing, false, Reason.Suspended, "the job is suspended (spec.job.state)"));
            c.setIfAbsent(condition(ConditionType.Degraded, false, Reason.AsExpected, ""));
            return;
        }
        Optional<ContainerProblem> jobManagerProblem = observed.jobManagerProblem();
        Optional<ContainerProblem> taskManagerProblem = observed.taskManagerProblem();
        ObservedState.FlinkObservation flink = observed.flink();
        if (flink instanceof ObservedState.Job running) {
            JobDetails details = running.details();
            status.setJobState(details.state());
            status.setParallelism(details.parallelism());
            describeFlinkJob(details, c);
        } else {
            status.setJobState(flink instanceof ObservedState.Unreachable && rolledOut(observed) ? "UNKNOWN" : "DEPLOYING");
            status.setParallelism(0);
        }
        if (jobManagerProblem.isPresent()) {
            ContainerProblem p = jobManagerProblem.get();
            c.setIfAbsent(condition(ConditionType.Degraded, true, Reason.JobManagerFailing, describe("JobManager", p)));
            c.setIfAbsent(condition(ConditionType.Ready, false, Reason.JobManagerFailing, describe("JobManager", p)));
            c.setIfAbsent(condition(ConditionType.Progressing, false, Reason.JobManagerFailing, "the JobManager cannot run"));
            return;
        }
        if (taskManagerProblem.isPresent()) {
            ContainerProblem p = taskManagerProblem.get();
            c.setIfAbsent(condition(ConditionType.Degraded, true, Reason.TaskManagerFailing, describe("TaskManager", p)));
        }
        if (flink instanceof ObservedState.Unreachable unreachable) {
            if (rolledOut(observed)) {
                c.setIfAbsent(condition(ConditionType.Ready, false, Reason.FlinkRestUnavailable, unreachable.message()));
                c.setIfAbsent(condition(ConditionType.Progressing, false, Reason.FlinkRestUnavailable, unreachable.message()));
            } else {
                c.setIfAbsent(condition(ConditionType.Ready, false, Reason.Deploying, "the JobManager is starting"));
                c.setIfAbsent(condition(ConditionType.Progressing, true, Reason.Deploying, "the JobManager is starting"));
            }
        } else if (!(flink instanceof ObservedState.Job)) {
            String message = flink instanceof ObservedState.JobNotFound
                    ? "the JobManager runs; the job is being submitted"
                    : "creating the Flink pods";
            Reason reason = flink instanceof ObservedState.JobNotFound ? Reason.JobStarting : Reason.Deploying;
            c.setIfAbsent(condition(ConditionType.Ready, false, reason, message));
            c.setIfAbsent(condition(ConditionType.Progressing, true, reason, message));
        }
        c.setIfAbsent(condition(ConditionType.Degraded, false, Reason.AsExpected, ""));
    }

    private static void describeFlinkJob(JobDetails details, Conditions c) {
        String state = details.state();
        if (details.allTasksRunning()) {
            c.setIfAbsent(condition(ConditionType.Ready, true, Reason.JobRunning,
                    "job running with parallelism " + details.parallelism()));
            c.setIfAbsent(condition(ConditionType.Progressing, false, Reason.JobRunning, ""));
            return;
        }
        switch (state) {
            case "FAILED" -> {
                c.setIfAbsent(condition(ConditionType.Degraded, true, Reason.JobFailed, "the Flink job failed"));
                c.setIfAbsent(condition(ConditionType.Ready, false, Reason.JobFailed, "the Flink job failed"));
                c.setIfAbsent(condition(ConditionType.Progressing, false, Reason.JobFailed, "the Flink job failed"));
            }
            case "FAILING", "RESTARTING" -> {
                c.setIfAbsent(condition(ConditionType.Degraded, true, Reason.JobRestarting,
                        "Flink is restarting the job after a failure"));
                c.setIfAbsent(condition(ConditionType.Ready, false, Reason.JobRestarting, "job " + state));
                c.setIfAbsent(condition(ConditionType.Progressing, true, Reason.JobRestarting, "job " + state));
            }
            case "CANCELED", "CANCELLING" -> {
                c.setIfAbsent(condition(ConditionType.Degraded, true, Reason.JobCanceled, "the job was cancelled outside the operator"));
                c.setIfAbsent(condition(ConditionType.Ready, false, Reason.JobCanceled, "job " + state));
                c.setIfAbsent(condition(ConditionType.Progressing, false, Reason.JobCanceled, "job " + state));
            }
            case "FINISHED" -> {
                c.setIfAbsent(condition(ConditionType.Ready, false, Reason.JobFinished, "the job finished"));
                c.setIfAbsent(condition(ConditionType.Progressing, false, Reason.JobFinished, "the job finished"));
            }
            default -> {
                String message = "job " + state + ", tasks starting";
                c.setIfAbsent(condition(ConditionType.Ready, false, Reason.JobStarting, message));
                c.setIfAbsent(condition(ConditionType.Progressing, true, Reason.JobStarting, message));
            }
        }
    }

    /** Whether the Deployments report their rollout complete; false while they have no status. */
    private static boolean rolledOut(ObservedState observed) {
        return observed.jobManager().map(StatusComputer::rolledOut).orElse(false);
    }

    private static boolean rolledOut(Deployment d) {
        if (d.getStatus() == null || d.getStatus().getObservedGeneration() == null) {
            return false;
        }
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        Integer ready = d.getStatus().getReadyReplicas();
        Integer updated = d.getStatus().getUpdatedReplicas();
        return d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
                && ready != null && ready >= replicas && updated != null && updated >= replicas;
    }

    private static Optional<CheckpointInfo> lastCheckpoint(ObservedState observed) {
        if (!(observed.flink() instanceof ObservedState.Job job)) {
            return Optional.empty();
        }
        return job.checkpoints()
                .flatMap(CheckpointStatistics::latestCompleted)
                .map(c -> new CheckpointInfo(c.id(), c.externalPath(),
                        DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(c.completedAtMillis()))));
    }

    /**
     * What the observed run started from: empty when the REST API gave no statistics (keep what
     * status says), else the snapshot's path, or an empty path when the run started without state.
     */
    private static Optional<Optional<String>> restoredFrom(ObservedState observed) {
        if (!(observed.flink() instanceof ObservedState.Job job) || job.checkpoints().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(job.checkpoints().get().restored().map(CheckpointStatistics.RestoredSnapshot::externalPath));
    }

    /**
     * The rejection the launcher wrote into a JobManager's termination message, if the message is
     * one (Flink rejected the SQL script).
     */
    public static Optional<String> sqlRejection(String terminationMessage) {
        Matcher m = SQL_REJECTION.matcher(terminationMessage);
        return m.find() ? Optional.of(terminationMessage.substring(m.start()).strip()) : Optional.empty();
    }

    private static String describe(String component, ContainerProblem p) {
        StringBuilder s = new StringBuilder(component).append(" container ").append(p.reason() == null ? "failed" : p.reason());
        p.exitCode().ifPresent(code -> s.append(", exit code ").append(code));
        s.append(", ").append(p.restarts()).append(" restarts");
        if (!p.message().isBlank()) {
            s.append(": ").append(p.message().strip());
        }
        return s.toString();
    }

    /**
     * Adds the consumer lag of {@code spec.kafkaSources} to a computed status, with the condition
     * {@code KafkaLagAvailable}. A failed reading keeps the last lag (its {@code time} tells its
     * age) and sets the condition False with reason {@code KafkaUnavailable}; nothing else of the
     * status depends on Kafka.
     *
     * @param status the status {@link #compute} returned, changed in place
     * @param outcome what the lag observer found
     * @param now time of the reconcile, for {@code lastTransitionTime}
     */
    public static void addKafkaLag(StreamJob job, StreamJobStatus status, KafkaLagObserver.Outcome outcome, Instant now) {
        StreamJobStatus previous = job.getStatus() == null ? new StreamJobStatus() : job.getStatus();
        long generation = job.getMetadata().getGeneration() == null ? 0 : job.getMetadata().getGeneration();
        Optional<Condition> before = previous.getConditions().stream()
                .filter(c -> ConditionType.KafkaLagAvailable.name().equals(c.getType())).findFirst();
        Condition condition;
        if (outcome instanceof KafkaLagObserver.NotConfigured) {
            status.setKafkaLag(null);
            return;
        } else if (outcome instanceof KafkaLagObserver.Unchanged) {
            status.setKafkaLag(previous.getKafkaLag());
            if (before.isEmpty()) {
                return;
            }
            condition = new ConditionBuilder(before.get()).build();
        } else if (outcome instanceof KafkaLagObserver.Read read) {
            status.setKafkaLag(read.lag());
            condition = condition(ConditionType.KafkaLagAvailable, true, Reason.KafkaLagRead, read.lag().records()
                    + " records behind on " + read.lag().topics().size() + " topics");
        } else {
            status.setKafkaLag(previous.getKafkaLag());
            condition = condition(ConditionType.KafkaLagAvailable, false, Reason.KafkaUnavailable,
                    ((KafkaLagObserver.Failed) outcome).message());
        }
        stamp(condition, previous.getConditions(), generation, now);
        status.getConditions().add(condition);
    }

    /**
     * Sets the condition's observedGeneration and its lastTransitionTime: kept from the previous
     * condition of the same type when the status did not change, else {@code now}.
     */
    private static void stamp(Condition c, List<Condition> previous, long generation, Instant now) {
        Optional<Condition> before = previous == null ? Optional.empty()
                : previous.stream().filter(p -> c.getType().equals(p.getType())).findFirst();
        c.setObservedGeneration(generation);
        c.setLastTransitionTime(before.filter(p -> c.getStatus().equals(p.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))));
    }

    private static Condition condition(ConditionType type, boolean status, Reason reason, String message) {
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
        return new ConditionBuilder().withType(type.name()).withStatus(status ? "True" : "False")
                .withReason(reason.name()).withMessage(text).build();
    }

    /** The four conditions being computed; the first one set for a type wins. */
    private static final class Conditions {
        Condition ready;
        Condition progressing;
        Condition degraded;
        Condition specValid;

        void setIfAbsent(Condition c) {
            switch (ConditionType.valueOf(c.getType())) {
                case Ready -> ready = ready == null ? c : ready;
                case Progressing -> progressing = progressing == null ? c : progressing;
                case Degraded -> degraded = degraded == null ? c : degraded;
                case SpecValid -> specValid = specValid == null ? c : specValid;
                case KafkaLagAvailable -> throw new IllegalArgumentException("set by addKafkaLag");
            }
        }

        List<Condition> list(List<Condition> previous, long generation, Instant now) {
            List<Condition> out = new ArrayList<>();
            for (Condition c : new Condition[] {ready, progressing, degraded, specValid}) {
                stamp(c, previous, generation, now);
                out.add(c);
            }
            return out;
        }
    }
}
