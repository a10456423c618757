package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The run of the Flink job the operator deployed last: what the planner compares the spec with.
 * Every deployment of the job (first start, upgrade, restart, resume) is a new run with a new
 * Flink job id; a run belongs to a state lineage, which only a stateless upgrade or an
 * {@code initialSavepointPath} starts (DESIGN.md, state safety rule 1).
 *
 * @param number run number, 1 for the first run, increasing by one per deployment
 * @param lineage state lineage number, 1 for the first, increasing by one per new lineage
 * @param jobId Flink job id of the run (32 hex characters; encodes the lineage and the run)
 * @param generation metadata.generation of the spec the run was deployed from
 * @param specHash hash of the spec fields whose change needs a new run (not parallelism or state)
 * @param parallelism job parallelism of the run (what its TaskManagers are sized for; an in-place
 *     rescale changes it)
 * @param state running, or suspended when the run was stopped by a suspend
 * @param restorePath the snapshot the run was started from; empty for empty state
 * @param allowNonRestoredState whether the run was started with allowNonRestoredState
 * @param restartNonce spec.job.restartNonce of the run
 * @param image the runtime image of the run
 * @param startedAt when the operator deployed the run, RFC 3339
 */
public record JobRun(
        @JsonPropertyDescription("Run number, increasing by one per deployment.") Integer number,
        @JsonPropertyDescription("State lineage number; a stateless upgrade or an initialSavepointPath starts a new one.") Integer lineage,
        @JsonPropertyDescription("Flink job id of the run.") String jobId,
        @JsonPropertyDescription("metadata.generation the run was deployed from.") Long generation,
        @JsonPropertyDescription("Hash of the spec fields whose change needs a new run.") String specHash,
        @JsonPropertyDescription("Job parallelism of the run.") Integer parallelism,
        @JsonPropertyDescription("running, or suspended.") JobState state,
        @JsonPropertyDescription("The snapshot the run was started from; empty for empty state.") String restorePath,
        @JsonPropertyDescription("Whether the run was started with allowNonRestoredState.") Boolean allowNonRestoredState,
        @JsonPropertyDescription("spec.job.restartNonce of the run.") Long restartNonce,
        @JsonPropertyDescription("Runtime image of the run.") String image,
        @JsonPropertyDescription("When the operator deployed the run, RFC 3339.") String startedAt) {

    /**
     * The run rescaled in place to {@code next}: same job, same state, the TaskManagers sized for
     * {@code next} (an in-place rescale keeps the run, only its parallelism changes).
     */
    public JobRun withParallelism(int next) {
        return new JobRun(number, lineage, jobId, generation, specHash, next, state, restorePath, allowNonRestoredState,
                restartNonce, image, startedAt);
    }

    /** Whether the run's Flink pods should be up (not suspended). */
    public boolean running() {
        return state != JobState.SUSPENDED;
    }
}
