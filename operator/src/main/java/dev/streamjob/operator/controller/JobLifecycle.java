package dev.streamjob.operator.controller;

import dev.streamjob.operator.api.v1alpha1.CheckpointInfo;
import dev.streamjob.operator.api.v1alpha1.JobRun;
import dev.streamjob.operator.api.v1alpha1.JobState;
import dev.streamjob.operator.api.v1alpha1.Operation;
import dev.streamjob.operator.api.v1alpha1.OperationFailure;
import dev.streamjob.operator.api.v1alpha1.OperationPhase;
import dev.streamjob.operator.api.v1alpha1.OperationType;
import dev.streamjob.operator.api.v1alpha1.RecoverySpec;
import dev.streamjob.operator.api.v1alpha1.Rescale;
import dev.streamjob.operator.api.v1alpha1.SavepointInfo;
import dev.streamjob.operator.api.v1alpha1.SavepointTrigger;
import dev.streamjob.operator.api.v1alpha1.SavepointsSpec;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.UpgradeMode;
import dev.streamjob.operator.config.OperatorConfig;
import dev.streamjob.operator.flink.FlinkRestClient;
import dev.streamjob.operator.flink.FlinkRestException;
import dev.streamjob.operator.flink.JobDetails;
import dev.streamjob.operator.flink.SavepointStatus;
import dev.streamjob.operator.model.Durations;
import dev.streamjob.operator.model.FlinkConfig;
import dev.streamjob.operator.model.FlinkPods;
import dev.streamjob.operator.model.ResolvedStorage;
import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.operator.observer.FlinkClusterObserver;
import dev.streamjob.operator.observer.ObservedState;
import dev.streamjob.operator.planner.Change;
import dev.streamjob.operator.planner.Planner;
import dev.streamjob.operator.planner.RestartBudget;
import dev.streamjob.operator.planner.SpecDigest;
import dev.streamjob.operator.planner.Strategy;
import dev.streamjob.operator.state.RestorePoints;
import dev.streamjob.operator.state.Retention;
import dev.streamjob.operator.state.Snapshot;
import dev.streamjob.operator.state.SnapshotStore;
import dev.streamjob.operator.state.SnapshotStore.SnapshotStoreException;
import dev.streamjob.operator.state.StoreAccess;
import dev.streamjob.operator.status.Reason;
import dev.streamjob.operator.status.RunState;
import dev.streamjob.operator.status.StatusComputer;
import dev.streamjob.operator.status.StatusEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Carries a StreamJob's runs through their lifecycle, one idempotent step per reconcile: deploy
 * the first run; on a change the {@link Planner} reports, take a savepoint or stop the old run,
 * then choose the restore point and deploy the new run; take manual and periodic savepoints;
 * apply retention. Every step is recorded in {@link RunState} (written to status by the
 * reconciler), so a reconcile that crashes, or a restarted operator, continues where the last one
 * stopped. Long steps are polled, never waited for.
 *
 * <p>State safety (DESIGN.md): the old run is removed only after its savepoint is complete and
 * recorded in status; the restore point of a new run is the newest complete snapshot of the
 * lineage, chosen once the old run's pods are gone (so nothing newer can appear); a failed
 * savepoint leaves the old run running.
 */
@ApplicationScoped
public class JobLifecycle {

    private static final Logger LOG = Logger.getLogger(JobLifecycle.class);
    /** How soon to look again while an operation is in flight. */
    static final Duration OPERATION_POLL = Duration.ofSeconds(2);

    private final FlinkRestClient flink;
    private final SnapshotStore store;
    private final FlinkClusterObserver observer;
    private final OperatorConfig config;

    /** The lifecycle with its collaborators (CDI). */
    public JobLifecycle(FlinkRestClient flink, SnapshotStore store, FlinkClusterObserver observer, OperatorConfig config) {
        this.flink = flink;
        this.store = store;
        this.observer = observer;
        this.config = config;
    }

    /**
     * The outcome of one step.
     *
     * @param state the run state to write to status
     * @param apply whether to apply the objects of {@code state.currentRun()} now
     * @param scaleDown whether to scale the current Deployments to zero (the old run is stopping)
     * @param events events for people
     * @param requeue how soon to look again, if sooner than the reconciler's usual interval (3 s / 15 s)
     * @param taskManagersRunningTasks when present: the TaskManager pods (by name) that run tasks;
     *     the others are to be removed first when the TaskManager Deployment shrinks
     */
    public record Step(RunState state, boolean apply, boolean scaleDown, List<StatusEvent> events,
            Optional<Duration> requeue, Optional<Set<String>> taskManagersRunningTasks) {

        static Step of(RunState state, boolean apply, StatusEvent... events) {
            return new Step(state, apply, false, List.of(events), Optional.empty(), Optional.empty());
        }

        Step requeueAfter(Duration after) {
            return new Step(state, apply, scaleDown, events, Optional.of(after), taskManagersRunningTasks);
        }

        Step withEvent(StatusEvent event) {
            List<StatusEvent> all = new ArrayList<>(events);
            all.add(0, event);
            return new Step(state, apply, scaleDown, List.copyOf(all), requeue, taskManagersRunningTasks);
        }

        Step scalingDown() {
            return new Step(state, apply, true, events, requeue, taskManagersRunningTasks);
        }

        /**
         * Before the TaskManager Deployment shrinks, its pods are marked so that Kubernetes removes
         * those not in {@code busy} first (the pod-deletion-cost annotation).
         */
        Step removingIdleTaskManagersFirst(Set<String> busy) {
            return new Step(state, apply, scaleDown, events, requeue, Optional.of(busy));
        }
    }

    /**
     * Takes the next step for a StreamJob whose spec passed validation.
     *
     * @param observed the cluster as observed before this step
     * @param access the job's object store, with credentials
     * @param now the time of the reconcile
     */
    public Step step(StreamJob job, ObservedState observed, StoreAccess access, Instant now) {
        RunState state = RunState.of(job.getStatus());
        if (state.operation() != null) {
            return continueOperation(job, state, observed, access, now);
        }
        Planner.Plan plan = Planner.plan(job, FlinkPods.image(job, config), now);
        LOG.debugf("StreamJob %s/%s: %s (%s)", job.getMetadata().getNamespace(), job.getMetadata().getName(),
                plan.change(), plan.description());
        return switch (plan.change()) {
            case DEPLOY -> Step.of(state.withRun(newRun(job, 1, 1, initialSavepoint(job), now)), true)
                    .requeueAfter(OPERATION_POLL);
            case NONE, HELD, SAVEPOINT -> watch(job, state, observed, access, plan, now);
            case IGNORE -> Step.of(state.withRun(withGeneration(state.currentRun(), generation(job))), true);
            case SUSPEND, UPGRADE, SCALE, RESTART, RESUME -> startChange(job, state, observed, access, plan, now);
        };
    }

    /**
     * While the run is meant to run unchanged (nothing to do, a held change, or a savepoint due):
     * restarts it whole if {@link FailureDetector} reports a failure, else records the symptoms
     * and takes the plan's step, looking again when the first grace period ends.
     */
    private Step watch(StreamJob job, RunState state, ObservedState observed, StoreAccess access, Planner.Plan plan,
            Instant now) {
        boolean apply = plan.change() != Change.HELD; // a held spec is not applied
        RunState next = state;
        Optional<Duration> recheck = Optional.empty();
        if (state.currentRun().state() == JobState.RUNNING) {
            FailureDetector.Assessment assessment = FailureDetector.assess(observed, state.currentRun(), state.symptoms(),
                    recovery(job), runHasRecordedCheckpoint(job, state), now);
            if (assessment.failure().isPresent()) {
                return recover(job, state.withSymptoms(assessment.symptoms()), assessment.failure().get(), apply, now);
            }
            next = state.withSymptoms(assessment.symptoms());
            recheck = assessment.recheckIn().map(d -> maxOf(d, Duration.ofMillis(200)));
        }
        Step step = switch (plan.change()) {
            case SAVEPOINT -> savepoint(job, next, observed, plan, now);
            case HELD -> Step.of(next, false);
            default -> Step.of(retainIfFirstCheckpoint(job, next, observed, access, now), true);
        };
        return recheck.filter(r -> step.requeue().map(q -> r.compareTo(q) < 0).orElse(true))
                .map(step::requeueAfter).orElse(step);
    }

    private static RecoverySpec recovery(StreamJob job) {
        return job.getSpec().getRecovery() == null ? new RecoverySpec() : job.getSpec().getRecovery();
    }

    /** Whether status records a completed checkpoint of the current run. */
    private static boolean runHasRecordedCheckpoint(StreamJob job, RunState state) {
        var recorded = job.getStatus() == null ? null : job.getStatus().getLastCheckpoint();
        return recorded != null && recorded.path() != null && recorded.path().contains("/" + state.currentRun().jobId() + "/");
    }

    private Step savepoint(StreamJob job, RunState state, ObservedState observed, Planner.Plan plan, Instant now) {
        SavepointTrigger trigger = plan.savepointTrigger().orElseThrow();
        RunState next = trigger == SavepointTrigger.Manual
                ? state.withSavepointTriggerNonce(job.getSpec().getJob().getSavepointTriggerNonce())
                : state;
        if (!observed.jobHealthy()) {
            if (trigger == SavepointTrigger.Periodic) {
                return Step.of(next, true); // taken once the job runs again
            }
            return Step.of(next.withFailure(failure(OperationType.Savepoint, job, Reason.SavepointFailed,
                    "no savepoint taken: the job is not running with all its tasks", now)), true,
                    warning(Reason.SavepointFailed, "no savepoint taken: the job is not running with all its tasks"));
        }
        JobRun run = state.currentRun();
        try {
            String triggerId = flink.triggerSavepoint(restEndpoint(job), run.jobId(), savepointDirectory(job, run));
            return Step.of(next.withOperation(new Operation(OperationType.Savepoint, OperationPhase.SavepointInProgress,
                    generation(job), null, trigger, triggerId, null, time(now), time(now))), true)
                    .requeueAfter(OPERATION_POLL);
        } catch (FlinkRestException e) {
            return Step.of(next.withFailure(failure(OperationType.Savepoint, job, Reason.SavepointFailed,
                    "triggering the savepoint failed: " + e.getMessage(), now)), true,
                    warning(Reason.SavepointFailed, "triggering the savepoint failed: " + e.getMessage()));
        }
    }

    /** Starts a change that replaces, stops or resumes the run, with the strategy the planner picks. */
    private Step startChange(StreamJob job, RunState state, ObservedState observed, StoreAccess access,
            Planner.Plan plan, Instant now) {
        return startChange(job, state, observed, access, plan, Optional.empty(), now);
    }

    /**
     * Starts a change; a parallelism change goes in place when {@link Planner#rescalePath} allows
     * it and {@code inPlaceRuledOut} is empty, else through the savepoint path like an upgrade.
     */
    private Step startChange(StreamJob job, RunState state, ObservedState observed, StoreAccess access,
            Planner.Plan plan, Optional<String> inPlaceRuledOut, Instant now) {
        JobRun run = state.currentRun();
        UpgradeMode mode = job.getSpec().getJob().getUpgradeMode();
        OperationType type = switch (plan.change()) {
            case SUSPEND -> OperationType.Suspend;
            case SCALE -> OperationType.Scale;
            case RESTART -> OperationType.Restart;
            case RESUME -> OperationType.Resume;
            default -> OperationType.Upgrade;
        };
        Optional<Rescale> rescale = Optional.empty();
        if (plan.change() == Change.SCALE) {
            int from = run.parallelism();
            int to = job.getSpec().getJob().getParallelism();
            Planner.RescalePath path = inPlaceRuledOut.map(reason -> new Planner.RescalePath(false, reason))
                    .orElseGet(() -> Planner.rescalePath(FlinkConfig.of(job, config, run), jobDetails(observed), from, to));
            if (path.inPlace()) {
                return startInPlaceRescale(job, state, observed, access, from, to, path.reason(), now);
            }
            rescale = Optional.of(new Rescale(from, to, Rescale.SAVEPOINT, path.reason(), time(now), null, null));
        }
        boolean healthy = observed.jobHealthy();
        boolean imageChanged = !FlinkPods.image(job, config).equals(run.image());
        boolean lineageHasSnapshot = true;
        if (mode == UpgradeMode.LAST_STATE && healthy && !imageChanged && plan.change() != Change.SUSPEND) {
            try {
                lineageHasSnapshot = RestorePoints.newest(store.list(access), lineage(job, run.lineage())).isPresent();
            } catch (SnapshotStoreException e) {
                return storeUnavailable(state, e);
            }
        }
        Strategy strategy = Planner.strategy(plan.change(), mode, healthy, imageChanged, lineageHasSnapshot);
        String started = time(now);
        LOG.infof("StreamJob %s/%s: %s (%s), strategy %s", job.getMetadata().getNamespace(), job.getMetadata().getName(),
                type, plan.description(), strategy);
        if (rescale.isPresent()) {
            Rescale r = rescale.get();
            return startChangeWithStrategy(job, state.withLastRescale(r), run, type, mode, strategy, started, now)
                    .withEvent(normal(Reason.Rescaling, "rescaling from parallelism " + r.from() + " to " + r.to()
                            + " with a savepoint and a new run: " + r.reason()));
        }
        return startChangeWithStrategy(job, state, run, type, mode, strategy, started, now);
    }

    private Step startChangeWithStrategy(StreamJob job, RunState state, JobRun run, OperationType type, UpgradeMode mode,
            Strategy strategy, String started, Instant now) {
        if (strategy == Strategy.SAVEPOINT_FIRST) {
            try {
                String triggerId = flink.stopWithSavepoint(restEndpoint(job), run.jobId(), savepointDirectory(job, run));
                SavepointTrigger trigger = type == OperationType.Suspend ? SavepointTrigger.Suspend : SavepointTrigger.Upgrade;
                return Step.of(state.withOperation(new Operation(type, OperationPhase.SavepointInProgress, generation(job),
                        mode, trigger, triggerId, null, started, started)), false).requeueAfter(OPERATION_POLL);
            } catch (FlinkRestException e) {
                String message = "stop-with-savepoint could not be triggered, the job keeps running: " + e.getMessage();
                return Step.of(state.withFailure(failure(type, job, Reason.SavepointFailed, message, now)), false,
                        warning(Reason.SavepointFailed, message), warning(Reason.UpgradeFailed, type + " not done: " + message));
            }
        }
        UpgradeMode carried = strategy == Strategy.STOP_THEN_EMPTY ? UpgradeMode.STATELESS : UpgradeMode.LAST_STATE;
        return Step.of(state.withOperation(new Operation(type, OperationPhase.Stopping, generation(job), carried,
                null, null, null, started, started)), false).scalingDown().requeueAfter(OPERATION_POLL);
    }

    private Step continueOperation(StreamJob job, RunState state, ObservedState observed, StoreAccess access,
            Instant now) {
        Operation op = state.operation();
        return switch (op.phase()) {
            case SavepointInProgress -> pollSavepoint(job, state, observed, access, now);
            case Stopping -> stopping(job, state, observed, access, now);
            case Deploying -> deploying(job, state, observed, access, now);
            case Rescaling -> rescaling(job, state, observed, access, now);
        };
    }

    private Step pollSavepoint(StreamJob job, RunState state, ObservedState observed, StoreAccess access, Instant now) {
        Operation op = state.operation();
        JobRun run = state.currentRun();
        Optional<FailureDetector.Failure> failed = FailureDetector.immediate(observed);
        if (failed.isPresent()) {
            return jobFailedDuringSavepoint(job, state, failed.get(), now);
        }
        SavepointStatus savepoint;
        try {
            savepoint = flink.savepointStatus(restEndpoint(job), run.jobId(), op.triggerId());
        } catch (FlinkRestException e) {
            // After a stop, the JobManager exits once the job is FINISHED (Kubernetes then restarts
            // it): the savepoint may be complete with nobody left to report it. The store tells.
            return savepointInStore(job, state, access, now).orElseGet(() -> timedOut(job, op, now)
                    ? savepointFailed(job, state, Reason.SavepointTimedOut, "no answer from the JobManager within "
                            + timeout(job) + ": " + e.getMessage(), now)
                    : Step.of(state, false).requeueAfter(OPERATION_POLL));
        }
        return switch (savepoint.state()) {
            case COMPLETED -> savepointCompleted(job, state, savepoint.location().orElseThrow(), access, now);
            case FAILED -> savepointFailed(job, state, Reason.SavepointFailed, savepoint.failure().orElse("unknown"), now);
            // The JobManager restarted and lost the trigger: a savepoint that completed is in the store.
            case UNKNOWN -> savepointInStore(job, state, access, now).orElseGet(() -> savepointFailed(job, state,
                    Reason.SavepointLost, "the JobManager no longer knows savepoint " + op.triggerId(), now));
            case IN_PROGRESS -> timedOut(job, op, now)
                    ? savepointFailed(job, state, Reason.SavepointTimedOut, "not complete within " + timeout(job), now)
                    : Step.of(state, false).requeueAfter(OPERATION_POLL);
        };
    }

    /**
     * The job failed while a savepoint was in flight, so none will complete. A plain savepoint
     * fails and the job is restarted as after any failure. A stop (upgrade, scale, restart,
     * suspend) goes on without the savepoint, as {@code last-state}: the old run is removed and
     * the new one starts from the newest complete snapshot of the lineage (a savepoint that did
     * complete included), as the Flink Kubernetes operator's last-state fallback does.
     */
    private Step jobFailedDuringSavepoint(StreamJob job, RunState state, FailureDetector.Failure failed, Instant now) {
        Operation op = state.operation();
        if (op.type() == OperationType.Savepoint) {
            String text = op.savepointTrigger() + " savepoint failed: " + failed.message();
            return recover(job, state.withOperation(null).withFailure(failure(OperationType.Savepoint, job,
                    Reason.SavepointFailed, text, now)), failed, true, now);
        }
        String text = op.type() + " of generation " + op.generation() + ": the job failed during its stop-with-savepoint ("
                + failed.message() + "); it goes on without the savepoint, from the newest complete snapshot";
        LOG.warnf("StreamJob %s/%s: %s", job.getMetadata().getNamespace(), job.getMetadata().getName(), text);
        Operation lastState = new Operation(op.type(), OperationPhase.Stopping, op.generation(), UpgradeMode.LAST_STATE,
                op.savepointTrigger(), null, null, op.startedAt(), time(now));
        return Step.of(state.withOperation(lastState), false, warning(Reason.SavepointFailed, text)).scalingDown()
                .requeueAfter(OPERATION_POLL);
    }

    /**
     * The step for a savepoint of the current run that completed in the store since the operation's
     * phase started (a few seconds of clock difference allowed); empty if there is none or the
     * store cannot be listed.
     */
    private Optional<Step> savepointInStore(StreamJob job, RunState state, StoreAccess access, Instant now) {
        JobRun run = state.currentRun();
        Instant since = Instant.parse(state.operation().phaseStartedAt()).minusSeconds(5);
        try {
            return store.list(access).stream()
                    .filter(s -> s.kind() == Snapshot.Kind.SAVEPOINT && s.complete())
                    .filter(s -> s.jobId().equals(run.jobId()) && !s.lastModified().isBefore(since))
                    .min(RestorePoints.NEWEST_FIRST)
                    .map(s -> savepointCompleted(job, state, s.path(), access, now));
        } catch (SnapshotStoreException e) {
            LOG.warnf("StreamJob %s/%s: looking for the savepoint in the store failed: %s",
                    job.getMetadata().getNamespace(), job.getMetadata().getName(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Records a completed savepoint. A plain savepoint ends the operation; for a stop, the path is
     * recorded first and the old run is removed only in the next step, after status was written.
     */
    private Step savepointCompleted(StreamJob job, RunState state, String path, StoreAccess access, Instant now) {
        Operation op = state.operation();
        JobRun run = state.currentRun();
        Long size = null;
        List<Snapshot> listing = List.of();
        try {
            listing = store.list(access);
            size = listing.stream().filter(s -> s.path().equals(trimSlash(path))).map(Snapshot::sizeBytes).findFirst()
                    .orElse(null);
        } catch (SnapshotStoreException e) {
            LOG.warnf("StreamJob %s/%s: savepoint %s completed, but its size is unknown: %s",
                    job.getMetadata().getNamespace(), job.getMetadata().getName(), path, e.getMessage());
        }
        SavepointInfo info = new SavepointInfo(trimSlash(path), op.savepointTrigger(), time(now), size, run.jobId());
        RunState recorded = state.withSavepoint(info, maxCount(job));
        StatusEvent completed = normal(Reason.SavepointCompleted, op.savepointTrigger() + " savepoint " + info.path()
                + (size == null ? "" : " (" + size + " bytes)"));
        if (op.type() == OperationType.Savepoint) {
            RunState done = retain(job, recorded.withOperation(null).withFailure(clearedFailure(state, OperationType.Savepoint)),
                    listing, now, access);
            return Step.of(done, true, completed);
        }
        return Step.of(recorded.withOperation(op.withSavepoint(info.path()).inPhase(OperationPhase.Stopping, time(now))),
                false, completed).requeueAfter(Duration.ofMillis(200));
    }

    private Step savepointFailed(StreamJob job, RunState state, Reason reason, String message, Instant now) {
        Operation op = state.operation();
        String text = op.savepointTrigger() + " savepoint failed, the job keeps running: " + message;
        RunState failed = state.withOperation(null).withFailure(failure(op.type(), job, reason, text, now));
        if (op.type() == OperationType.Savepoint) {
            return Step.of(failed, true, warning(reason, text));
        }
        return Step.of(failed, false, warning(reason, text),
                warning(Reason.UpgradeFailed, op.type() + " of generation " + op.generation() + " not done: " + text));
    }

    /**
     * Restarts the failed run as a whole, from the newest snapshot of its lineage (the Stopping
     * phase chooses it once no pod of the old run is left), within the restart budget of
     * {@code spec.recovery}; waits out the backoff, or gives up with {@code RestartBudgetExhausted}
     * until the spec changes.
     */
    private Step recover(StreamJob job, RunState state, FailureDetector.Failure failure, boolean apply, Instant now) {
        RecoverySpec recovery = recovery(job);
        OperationFailure last = state.lastFailure();
        if (last != null && Reason.RestartBudgetExhausted.name().equals(last.reason())
                && Objects.equals(last.generation(), generation(job))) {
            return Step.of(state, apply); // given up for this generation; Degraded says so
        }
        String name = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
        RestartBudget.Decision decision = RestartBudget.decide(state.restarts(), recovery, now);
        if (decision instanceof RestartBudget.Exhausted e) {
            String message = failure.message() + "; not restarted: " + e.restarts() + " restarts within "
                    + recovery.getWindow() + " used spec.recovery.maxRestarts up; change the spec or"
                    + " spec.job.restartNonce to start again";
            LOG.warnf("StreamJob %s: %s", name, message);
            // Degraded=True/RestartBudgetExhausted; its transition is the Warning event.
            return Step.of(state.withFailure(failure(OperationType.Recover, job, Reason.RestartBudgetExhausted,
                    message, now)), apply);
        }
        if (decision instanceof RestartBudget.Wait w) {
            LOG.infof("StreamJob %s: %s; next restart not before %s (backoff)", name, failure.message(), w.at());
            return Step.of(state, apply).requeueAfter(maxOf(Duration.between(now, w.at()), Duration.ofMillis(200)));
        }
        int attempt = ((RestartBudget.RestartNow) decision).attempt();
        String message = failure.message() + "; restarting the whole job from the newest snapshot of lineage "
                + state.currentRun().lineage() + " (restart " + attempt + " of " + recovery.getMaxRestarts()
                + " within " + recovery.getWindow() + ")";
        LOG.warnf("StreamJob %s: %s", name, message);
        String started = time(now);
        RunState next = state.withSymptoms(List.of())
                .withRestarts(RestartBudget.record(state.restarts(), recovery, now, failure.reason().name(), failure.message()))
                .withOperation(new Operation(OperationType.Recover, OperationPhase.Stopping, generation(job),
                        UpgradeMode.LAST_STATE, null, null, null, started, started));
        return Step.of(next, false, warning(Reason.JobRestarted, message)).scalingDown().requeueAfter(OPERATION_POLL);
    }

    private static Duration maxOf(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Waits until the old run's pods are gone, then deploys the new run (or records the suspend).
     * The restore point is chosen here, when no old JobManager can complete another checkpoint.
     */
    private Step stopping(StreamJob job, RunState state, ObservedState observed, StoreAccess access, Instant now) {
        Operation op = state.operation();
        JobRun run = state.currentRun();
        if (observed.flinkPods() > 0 || observed.jobManager().map(d -> replicas(d) > 0).orElse(false)
                || observed.taskManager().map(d -> replicas(d) > 0).orElse(false)) {
            return Step.of(state, false).scalingDown().requeueAfter(OPERATION_POLL);
        }
        if (op.type() == OperationType.Suspend) {
            JobRun suspended = new JobRun(run.number(), run.lineage(), run.jobId(), run.generation(), run.specHash(),
                    run.parallelism(), JobState.SUSPENDED, run.restorePath(), run.allowNonRestoredState(),
                    run.restartNonce(), run.image(), run.startedAt());
            return Step.of(state.withRun(suspended).withOperation(null).withFailure(clearedFailure(state, null)), true,
                    normal(Reason.Suspended, "job suspended" + (op.savepointPath() == null ? ", resumes from its newest checkpoint"
                            : ", resumes from savepoint " + op.savepointPath())));
        }
        int lineage = run.lineage();
        String restore;
        if (op.upgradeMode() == UpgradeMode.STATELESS) {
            lineage = run.lineage() + 1;
            restore = null;
        } else {
            try {
                Optional<Snapshot> newest = RestorePoints.newest(store.list(access), lineage(job, run.lineage()));
                Optional<CheckpointInfo> missing = newerInStatus(job, run.lineage(), newest);
                if (missing.isPresent()) {
                    String message = "status recorded checkpoint " + missing.get().id() + " (" + missing.get().path()
                            + ") as complete, but the store lists " + newest.map(Snapshot::path).orElse("no snapshot")
                            + " as the newest of lineage " + run.lineage() + ": not restoring older state; waiting for"
                            + " the store to list it";
                    LOG.warnf("StreamJob %s/%s: %s", job.getMetadata().getNamespace(), job.getMetadata().getName(), message);
                    return Step.of(state, false, warning(Reason.SnapshotStoreUnavailable, message))
                            .requeueAfter(config.flink().progressPollInterval());
                }
                // Without a snapshot of its own, the lineage still has the point the run started from.
                restore = newest.map(Snapshot::path).orElse(run.restorePath());
            } catch (SnapshotStoreException e) {
                if (op.savepointPath() == null) {
                    return storeUnavailable(state, e); // never start from older state than the lineage has
                }
                // The stop's savepoint is the newest snapshot: the job ended with it.
                restore = op.savepointPath();
            }
        }
        JobRun next = newRun(job, lineage, run.number() + 1, restore, now);
        LOG.infof("StreamJob %s/%s: deploying run %d (job %s) of lineage %d from %s", job.getMetadata().getNamespace(),
                job.getMetadata().getName(), next.number(), next.jobId(), next.lineage(), restore == null ? "empty state" : restore);
        return Step.of(state.withRun(next).withOperation(op.inPhase(OperationPhase.Deploying, time(now))), true)
                .requeueAfter(OPERATION_POLL);
    }

    /**
     * Starts an in-place rescale. A scale-up sizes the TaskManagers for {@code to} first (the run
     * is rescaled, the Deployment grows) and asks Flink for the new parallelism once their slots
     * have registered; a scale-down asks Flink first and removes TaskManagers once the job runs at
     * {@code to}. Flink restarts the job's tasks from its newest checkpoint inside the running
     * JobManager: no new run, no savepoint.
     */
    private Step startInPlaceRescale(StreamJob job, RunState state, ObservedState observed, StoreAccess access, int from,
            int to, String reason, Instant now) {
        JobDetails details = jobDetails(observed).orElseThrow();
        String started = time(now);
        Operation op = new Operation(OperationType.Scale, OperationPhase.Rescaling, generation(job), null, null, null, null,
                started, started);
        RunState next = state.withOperation(op)
                .withLastRescale(new Rescale(from, to, Rescale.IN_PLACE, reason, started, null, null))
                .withFailure(clearedFailure(state, OperationType.Scale));
        StatusEvent event = normal(Reason.Rescaling, "rescaling in place from parallelism " + from + " to " + to + ": "
                + reason);
        LOG.infof("StreamJob %s/%s: rescaling in place %d -> %d", job.getMetadata().getNamespace(),
                job.getMetadata().getName(), from, to);
        if (to > from) {
            return Step.of(next.withRun(state.currentRun().withParallelism(to)), true, event).requeueAfter(OPERATION_POLL);
        }
        try {
            flink.updateResourceRequirements(restEndpoint(job), state.currentRun().jobId(), requirements(details, from, to));
        } catch (FlinkRestException e) {
            return fallBackToSavepoint(job, state, observed, access, "Flink refused the new resource requirements: "
                    + e.getMessage(), now);
        }
        return Step.of(next.withOperation(op.withTriggerId(REQUIREMENTS_SENT)), true, event).requeueAfter(OPERATION_POLL);
    }

    /** {@code triggerId} of a Rescaling operation once Flink accepted the new resource requirements. */
    static final String REQUIREMENTS_SENT = "resource-requirements";

    /**
     * One step of an in-place rescale (see {@link #startInPlaceRescale}). A job that fails is
     * restarted like any failed run; a rescale that is not done within {@link #RESCALE_TIMEOUT}
     * falls back to the savepoint path. A newer spec change waits until the rescale is over.
     */
    private Step rescaling(StreamJob job, RunState state, ObservedState observed, StoreAccess access, Instant now) {
        Operation op = state.operation();
        JobRun run = state.currentRun();
        int from = state.lastRescale().from(); // recorded when the rescale started
        int to = state.lastRescale().to();
        Optional<FailureDetector.Failure> failed = FailureDetector.immediate(observed);
        if (failed.isPresent()) {
            return recover(job, state.withOperation(null), failed.get(), true, now);
        }
        if (Instant.parse(op.startedAt()).plus(RESCALE_TIMEOUT).isBefore(now)) {
            return fallBackToSavepoint(job, state, observed, access, "the job did not run at parallelism " + to + " within "
                    + RESCALE_TIMEOUT.toSeconds() + " s of rescaling in place", now);
        }
        Optional<JobDetails> details = jobDetails(observed);
        if (details.isEmpty()) {
            return Step.of(state, true).requeueAfter(OPERATION_POLL);
        }
        try {
            if (!REQUIREMENTS_SENT.equals(op.triggerId())) {
                // A scale-up: ask Flink once the added TaskManagers' slots have registered.
                if (flink.slotsTotal(restEndpoint(job)) < to) {
                    return Step.of(state, true).requeueAfter(OPERATION_POLL);
                }
                flink.updateResourceRequirements(restEndpoint(job), run.jobId(), requirements(details.get(), from, to));
                return Step.of(state.withOperation(op.withTriggerId(REQUIREMENTS_SENT)), true).requeueAfter(OPERATION_POLL);
            }
            if (!details.get().allTasksRunning() || details.get().parallelism() != to) {
                return Step.of(state, true).requeueAfter(OPERATION_POLL);
            }
            Rescale done = completed(state.lastRescale(), now);
            RunState finished = state.withOperation(null).withRun(run.withParallelism(to)).withLastRescale(done);
            StatusEvent event = normal(Reason.Rescaled, "rescaled in place from parallelism " + from + " to " + to + " in "
                    + done.seconds() + " s; job " + run.jobId() + " kept running from its newest checkpoint");
            if (to > from) {
                return Step.of(finished, true, event);
            }
            // A scale-down: the TaskManagers without tasks go first.
            Set<String> busy = flink.taskManagersRunningTasks(restEndpoint(job), run.jobId(),
                    details.get().vertices().stream().map(JobDetails.Vertex::id).toList());
            return Step.of(finished, true, event).removingIdleTaskManagersFirst(busy);
        } catch (FlinkRestException e) {
            LOG.infof("StreamJob %s/%s: rescaling, Flink did not answer: %s", job.getMetadata().getNamespace(),
                    job.getMetadata().getName(), e.getMessage());
            return Step.of(state, true).requeueAfter(OPERATION_POLL);
        }
    }

    /** How long an in-place rescale may take before the operator falls back to the savepoint path. */
    static final Duration RESCALE_TIMEOUT = Duration.ofMinutes(3);

    /**
     * Gives up rescaling in place: the run is sized for its current parallelism again and the
     * change goes through the savepoint path (the planner sees it again: spec and run differ).
     */
    private Step fallBackToSavepoint(StreamJob job, RunState state, ObservedState observed, StoreAccess access, String why,
            Instant now) {
        Operation op = state.operation();
        int from = op == null ? state.currentRun().parallelism() : state.lastRescale().from();
        LOG.warnf("StreamJob %s/%s: not rescaling in place: %s", job.getMetadata().getNamespace(),
                job.getMetadata().getName(), why);
        RunState back = state.withOperation(null).withRun(state.currentRun().withParallelism(from));
        return startChange(job, back, observed, access, Planner.Plan.of(Change.SCALE, "in-place rescale abandoned"),
                Optional.of(why), now).withEvent(warning(Reason.Rescaling, "falling back to a savepoint rescale: " + why));
    }

    /**
     * The per-vertex parallelism upper bounds for a rescale: vertices at the job's parallelism
     * {@code from} follow it to {@code to}; a vertex the job pinned to another parallelism keeps it.
     */
    static Map<String, Integer> requirements(JobDetails details, int from, int to) {
        Map<String, Integer> bounds = new LinkedHashMap<>();
        for (JobDetails.Vertex v : details.vertices()) {
            bounds.put(v.id(), v.parallelism() == from ? to : v.parallelism());
        }
        return bounds;
    }

    private static Optional<JobDetails> jobDetails(ObservedState observed) {
        return observed.flink() instanceof ObservedState.Job j ? Optional.of(j.details()) : Optional.empty();
    }

    private static Rescale completed(Rescale rescale, Instant now) {
        long seconds = Duration.between(Instant.parse(rescale.startedAt()), now).toSeconds();
        return new Rescale(rescale.from(), rescale.to(), rescale.path(), rescale.reason(), rescale.startedAt(), time(now),
                seconds);
    }

    /**
     * The cross-check of the restore point with status: the checkpoint of the lineage that status
     * recorded as completed (Flink reported it), if it is newer than the newest complete snapshot
     * the store lists. The listing then misses it, and restoring would go back in time. A chosen
     * snapshot of unknown id (-1) is not compared.
     */
    static Optional<CheckpointInfo> newerInStatus(StreamJob job, int lineage, Optional<Snapshot> chosen) {
        CheckpointInfo recorded = job.getStatus() == null ? null : job.getStatus().getLastCheckpoint();
        if (recorded == null || recorded.id() == null || recorded.path() == null
                || chosen.map(c -> c.checkpointId() < 0).orElse(false)) {
            return Optional.empty();
        }
        String[] parts = recorded.path().split("/");
        if (parts.length < 2 || !lineage(job, lineage).test(parts[parts.length - 2])) {
            return Optional.empty();
        }
        return recorded.id() > chosen.map(Snapshot::checkpointId).orElse(-1L) ? Optional.of(recorded) : Optional.empty();
    }

    /** Ends the operation once the new run's job runs with all its tasks; restarts a new run that fails; gives way to a newer change. */
    private Step deploying(StreamJob job, RunState state, ObservedState observed, StoreAccess access, Instant now) {
        Operation op = state.operation();
        JobRun run = state.currentRun();
        if (observed.jobHealthy()) {
            long seconds = Duration.between(Instant.parse(op.startedAt()), now).toSeconds();
            // The run may have completed its first checkpoint while it was starting.
            RunState done = retainIfRunHasCheckpoint(job, state.withOperation(null).withFailure(clearedFailure(state, null)),
                    observed, access, now);
            if (op.type() == OperationType.Scale && state.lastRescale() != null && state.lastRescale().completedAt() == null) {
                done = done.withLastRescale(completed(state.lastRescale(), now));
            }
            Reason completed = op.type() == OperationType.Recover ? Reason.JobRecovered : Reason.UpgradeCompleted;
            return Step.of(done, true, normal(completed, op.type() + " done in " + seconds + " s: run "
                    + run.number() + " (job " + run.jobId() + ") runs with parallelism " + run.parallelism() + ", started from "
                    + (run.restorePath() == null ? "empty state" : run.restorePath())));
        }
        Optional<FailureDetector.Failure> failed = FailureDetector.immediate(observed);
        if (failed.isPresent()) {
            // The new run failed while starting: restart it like any failed run, within the budget.
            return recover(job, state.withOperation(null), failed.get(), true, now);
        }
        Planner.Plan plan = Planner.plan(job, FlinkPods.image(job, config), now);
        if (plan.change().replacesRun() || plan.change() == Change.SUSPEND) {
            // A newer spec change: stop waiting, the next reconcile plans it.
            return Step.of(state.withOperation(null), false).requeueAfter(Duration.ofMillis(200));
        }
        return Step.of(state, true).requeueAfter(OPERATION_POLL);
    }

    /**
     * Applies retention when the current run has just completed its first checkpoint (the status
     * does not show a checkpoint of the run yet), so the checkpoints of earlier runs can go.
     */
    private RunState retainIfFirstCheckpoint(StreamJob job, RunState state, ObservedState observed, StoreAccess access,
            Instant now) {
        return runHasRecordedCheckpoint(job, state) ? state : retainIfRunHasCheckpoint(job, state, observed, access, now);
    }

    /** Applies retention if Flink reports a completed checkpoint of the current run. */
    private RunState retainIfRunHasCheckpoint(StreamJob job, RunState state, ObservedState observed, StoreAccess access,
            Instant now) {
        String runDirectory = "/" + state.currentRun().jobId() + "/";
        boolean runHasCheckpoint = observed.flink() instanceof ObservedState.Job j
                && j.checkpoints().flatMap(c -> c.latestCompleted())
                        .map(c -> c.externalPath() != null && c.externalPath().contains(runDirectory)).orElse(false);
        if (!runHasCheckpoint) {
            return state;
        }
        try {
            return retain(job, state, store.list(access), now, access);
        } catch (SnapshotStoreException e) {
            LOG.warnf("StreamJob %s/%s: retention skipped: %s", job.getMetadata().getNamespace(),
                    job.getMetadata().getName(), e.getMessage());
            return state;
        }
    }

    /** Deletes what {@link Retention} says and drops deleted savepoints from the history. */
    private RunState retain(StreamJob job, RunState state, List<Snapshot> listing, Instant now, StoreAccess access) {
        if (listing.isEmpty()) {
            return state;
        }
        JobRun run = state.currentRun();
        SavepointsSpec savepoints = job.getSpec().getSavepoints() == null ? new SavepointsSpec() : job.getSpec().getSavepoints();
        Set<String> protectedPaths = run.restorePath() == null ? Set.of() : Set.of(trimSlash(run.restorePath()));
        List<Snapshot> delete = Retention.toDelete(listing, run.jobId(), lineage(job, run.lineage()), protectedPaths,
                maxCount(job), Optional.ofNullable(savepoints.getMaxAge()).map(Durations::parse), now);
        Set<String> deleted = new java.util.HashSet<>();
        for (Snapshot s : delete) {
            try {
                store.delete(access, s);
                deleted.add(s.path());
            } catch (SnapshotStoreException e) {
                LOG.warnf("StreamJob %s/%s: retention could not delete %s: %s", job.getMetadata().getNamespace(),
                        job.getMetadata().getName(), s.path(), e.getMessage());
            }
        }
        if (!deleted.isEmpty()) {
            LOG.infof("StreamJob %s/%s: retention deleted %s", job.getMetadata().getNamespace(),
                    job.getMetadata().getName(), deleted.stream().sorted().collect(Collectors.joining(", ")));
        }
        return state.withoutSavepoints(deleted);
    }

    private Step storeUnavailable(RunState state, SnapshotStoreException e) {
        return Step.of(state, false, warning(Reason.SnapshotStoreUnavailable, e.getMessage()))
                .requeueAfter(config.flink().progressPollInterval());
    }

    /** A new run of the current spec. */
    JobRun newRun(StreamJob job, int lineage, int number, String restorePath, Instant now) {
        var spec = job.getSpec().getJob();
        return new JobRun(number, lineage, StreamJobResources.jobId(job, lineage, number), generation(job),
                SpecDigest.of(job.getSpec()), spec.getParallelism(),
                spec.getState() == JobState.SUSPENDED ? JobState.SUSPENDED : JobState.RUNNING,
                restorePath, Boolean.TRUE.equals(spec.getAllowNonRestoredState()), spec.getRestartNonce(),
                FlinkPods.image(job, config), time(now));
    }

    private static JobRun withGeneration(JobRun run, long generation) {
        return new JobRun(run.number(), run.lineage(), run.jobId(), generation, run.specHash(), run.parallelism(),
                run.state(), run.restorePath(), run.allowNonRestoredState(), run.restartNonce(), run.image(), run.startedAt());
    }

    private static String initialSavepoint(StreamJob job) {
        String path = job.getSpec().getJob().getInitialSavepointPath();
        return path == null || path.isBlank() ? null : path;
    }

    /** Whether a job id belongs to the given lineage of this StreamJob. */
    static Predicate<String> lineage(StreamJob job, int lineage) {
        return jobId -> StreamJobResources.lineageOf(job, jobId).orElse(-1) == lineage;
    }

    private String savepointDirectory(StreamJob job, JobRun run) {
        return ResolvedStorage.of(job, config).savepointDirectory(run.jobId());
    }

    private URI restEndpoint(StreamJob job) {
        return observer.restEndpoint(job);
    }

    private static boolean timedOut(StreamJob job, Operation op, Instant now) {
        return Instant.parse(op.phaseStartedAt()).plus(timeout(job)).isBefore(now);
    }

    private static Duration timeout(StreamJob job) {
        SavepointsSpec savepoints = job.getSpec().getSavepoints();
        return Durations.parse(savepoints == null || savepoints.getTimeout() == null ? "10min" : savepoints.getTimeout());
    }

    private static int maxCount(StreamJob job) {
        SavepointsSpec savepoints = job.getSpec().getSavepoints();
        return savepoints == null || savepoints.getMaxCount() == null ? 5 : savepoints.getMaxCount();
    }

    private static int replicas(io.fabric8.kubernetes.api.model.apps.Deployment d) {
        return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    /** The last failure, unless it was of the given type (null: any type) and is now overcome. */
    private static OperationFailure clearedFailure(RunState state, OperationType type) {
        OperationFailure last = state.lastFailure();
        return last != null && type != null && last.type() != type ? last : null;
    }

    private static OperationFailure failure(OperationType type, StreamJob job, Reason reason, String message, Instant now) {
        return new OperationFailure(type, generation(job), reason.name(), message, time(now));
    }

    private static long generation(StreamJob job) {
        return job.getMetadata().getGeneration() == null ? 0 : job.getMetadata().getGeneration();
    }

    private static String trimSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    static String time(Instant now) {
        return DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    }

    private static StatusEvent warning(Reason reason, String message) {
        return new StatusEvent(true, reason.name(), message);
    }

    private static StatusEvent normal(Reason reason, String message) {
        return new StatusEvent(false, reason.name(), message);
    }
}
