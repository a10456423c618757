package dev.streamjob.operator.planner;

import dev.streamjob.operator.api.v1alpha1.JobRun;
import dev.streamjob.operator.api.v1alpha1.JobSpec;
import dev.streamjob.operator.api.v1alpha1.JobState;
import dev.streamjob.operator.api.v1alpha1.OperationType;
import dev.streamjob.operator.api.v1alpha1.SavepointInfo;
import dev.streamjob.operator.api.v1alpha1.SavepointTrigger;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.StreamJobStatus;
import dev.streamjob.operator.api.v1alpha1.UpgradeMode;
import dev.streamjob.operator.flink.JobDetails;
import dev.streamjob.operator.model.Durations;
import dev.streamjob.operator.model.FlinkConfig;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Classifies a spec change against the deployed run ({@code status.currentRun}), in one place
 * and without I/O: which change it is ({@link #plan}), and how that change carries the job's
 * state over ({@link #strategy}). The reconciler acts on the answer; it never compares spec
 * fields itself.
 */
public final class Planner {

    private Planner() {
    }

    /**
     * What the spec asks for, compared with the deployed run.
     *
     * @param plan the change
     * @param savepointTrigger for {@link Change#SAVEPOINT}: manual or periodic
     * @param description one sentence for logs and status messages
     */
    public record Plan(Change change, Optional<SavepointTrigger> savepointTrigger, String description) {

        /** A plan without a savepoint trigger. */
        public static Plan of(Change change, String description) {
            return new Plan(change, Optional.empty(), description);
        }
    }

    /**
     * Classifies the StreamJob's spec against its status. Precedence: the first run; suspend and
     * resume; a new spec (upgrade); a new parallelism (scale); a restart nonce; a due savepoint;
     * otherwise nothing or a change that needs nothing (ignore).
     *
     * @param image the runtime image the spec resolves to (spec.image or the operator's default)
     * @param now the time, for periodic savepoints
     */
    public static Plan plan(StreamJob job, String image, Instant now) {
        StreamJobStatus status = job.getStatus() == null ? new StreamJobStatus() : job.getStatus();
        JobRun run = status.getCurrentRun();
        JobSpec spec = job.getSpec().getJob();
        long generation = job.getMetadata().getGeneration() == null ? 0 : job.getMetadata().getGeneration();
        if (run == null) {
            return Plan.of(Change.DEPLOY, "nothing deployed yet");
        }
        boolean wantSuspended = spec.getState() == JobState.SUSPENDED;
        Plan plan;
        if (run.running() && wantSuspended) {
            plan = Plan.of(Change.SUSPEND, "spec.job.state is suspended");
        } else if (!run.running()) {
            return wantSuspended
                    ? Plan.of(generation == run.generation() ? Change.NONE : Change.IGNORE,
                            "suspended; changes apply when the job resumes")
                    : Plan.of(Change.RESUME, "spec.job.state is running again");
        } else if (!SpecDigest.of(job.getSpec()).equals(run.specHash()) || !image.equals(run.image())) {
            plan = Plan.of(Change.UPGRADE, image.equals(run.image()) ? "the spec changed" : "the image changed to " + image);
        } else if (!Objects.equals(spec.getParallelism(), run.parallelism())) {
            plan = Plan.of(Change.SCALE, "parallelism " + run.parallelism() + " -> " + spec.getParallelism());
        } else if (!Objects.equals(spec.getRestartNonce(), run.restartNonce())) {
            plan = Plan.of(Change.RESTART, "spec.job.restartNonce changed");
        } else {
            return savepointDue(job, status, run, now)
                    .orElse(Plan.of(generation == run.generation() ? Change.NONE : Change.IGNORE,
                            "no change that needs a new run"));
        }
        if (status.getLastFailure() != null && status.getLastFailure().type() != OperationType.Savepoint
                && Objects.equals(status.getLastFailure().generation(), generation)) {
            return Plan.of(Change.HELD, plan.description() + ", but the last attempt for generation " + generation
                    + " failed (" + status.getLastFailure().reason() + "); change the spec to try again");
        }
        return plan;
    }

    private static Optional<Plan> savepointDue(StreamJob job, StreamJobStatus status, JobRun run, Instant now) {
        Long nonce = job.getSpec().getJob().getSavepointTriggerNonce();
        if (nonce != null && !nonce.equals(status.getSavepointTriggerNonce())) {
            return Optional.of(new Plan(Change.SAVEPOINT, Optional.of(SavepointTrigger.Manual),
                    "spec.job.savepointTriggerNonce changed to " + nonce));
        }
        var savepoints = job.getSpec().getSavepoints();
        if (savepoints == null || savepoints.getInterval() == null) {
            return Optional.empty();
        }
        Optional<Instant> last = status.getSavepoints().stream()
                .map(SavepointInfo::time)
                .filter(Objects::nonNull)
                .map(Instant::parse)
                .max(Instant::compareTo);
        if (run.startedAt() != null && last.map(t -> Instant.parse(run.startedAt()).isAfter(t)).orElse(true)) {
            last = Optional.of(Instant.parse(run.startedAt()));
        }
        if (last.isEmpty()) {
            return Optional.empty();
        }
        return last.get().plus(Durations.parse(savepoints.getInterval())).isAfter(now)
                ? Optional.empty()
                : Optional.of(new Plan(Change.SAVEPOINT, Optional.of(SavepointTrigger.Periodic),
                        "spec.savepoints.interval " + savepoints.getInterval() + " elapsed"));
    }

    /**
     * How a change that replaces or stops the run carries state over (Flink Kubernetes Operator's
     * upgrade modes, docs/custom-resource/job-management):
     *
     * <ul>
     *   <li>suspend: in {@code savepoint} mode a savepoint when the job is healthy; otherwise the
     *       pods are removed and the job resumes from its newest snapshot;
     *   <li>{@code stateless}: a new lineage with empty state;
     *   <li>{@code savepoint}: a savepoint when the job is healthy (one cannot be taken
     *       otherwise), else the newest complete snapshot;
     *   <li>{@code last-state}: the newest complete snapshot, but a savepoint when the job is
     *       healthy and the image changes (a checkpoint's format is not portable across Flink
     *       versions) or the lineage has no complete snapshot yet.
     * </ul>
     *
     * @param change {@link Change#replacesRun()} or {@link Change#RESUME}
     * @param jobHealthy whether the job runs with all its tasks (a savepoint can be taken)
     * @param imageChanged whether the new run has another image
     * @param lineageHasSnapshot whether the lineage has a complete checkpoint or savepoint
     */
    public static Strategy strategy(Change change, UpgradeMode mode, boolean jobHealthy, boolean imageChanged,
            boolean lineageHasSnapshot) {
        if (change == Change.SUSPEND) {
            return jobHealthy && mode == UpgradeMode.SAVEPOINT ? Strategy.SAVEPOINT_FIRST : Strategy.STOP_THEN_LATEST;
        }
        if (mode == UpgradeMode.STATELESS) {
            return Strategy.STOP_THEN_EMPTY;
        }
        if (change == Change.RESUME) {
            return Strategy.STOP_THEN_LATEST;
        }
        boolean savepoint = mode == UpgradeMode.SAVEPOINT || imageChanged || !lineageHasSnapshot;
        return jobHealthy && savepoint ? Strategy.SAVEPOINT_FIRST : Strategy.STOP_THEN_LATEST;
    }

    /**
     * How a parallelism change is carried out.
     *
     * @param inPlace whether the running job is rescaled by Flink's adaptive scheduler (no new run)
     * @param reason why: for a savepoint rescale, what rules the in-place path out
     */
    public record RescalePath(boolean inPlace, String reason) {
    }

    /**
     * Chooses how to change the parallelism from {@code from} to {@code to}: in place when the
     * configuration has the adaptive scheduler (not in reactive mode), the job runs with all its
     * tasks, and no vertex's max parallelism is below {@code to} (Flink cannot split key groups
     * further; Flink docs: deployment/elastic_scaling, ops/production_ready). Otherwise through a
     * savepoint and a new run, the upgrade path.
     *
     * @param configuration the run's Flink configuration
     * @param job the job as Flink reports it now, if it could be read
     */
    public static RescalePath rescalePath(Map<String, String> configuration, Optional<JobDetails> job, int from, int to) {
        Optional<String> blocker = FlinkConfig.inPlaceRescaleBlocker(configuration);
        if (blocker.isPresent()) {
            return new RescalePath(false, blocker.get());
        }
        if (job.isEmpty() || !job.get().allTasksRunning()) {
            return new RescalePath(false, "the job is not running with all its tasks, so the adaptive scheduler cannot rescale it");
        }
        for (JobDetails.Vertex v : job.get().vertices()) {
            if (v.maxParallelism() > 0 && v.maxParallelism() < to) {
                return new RescalePath(false, "parallelism " + to + " is above the max parallelism " + v.maxParallelism()
                        + " of vertex '" + v.name() + "' (pipeline.max-parallelism)");
            }
        }
        return new RescalePath(true, "the adaptive scheduler rescales the running job from " + from + " to " + to
                + " from its newest checkpoint");
    }
}
