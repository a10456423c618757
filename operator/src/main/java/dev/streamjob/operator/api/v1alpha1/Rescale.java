package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The last parallelism change the operator completed, and how it was done.
 *
 * @param from the parallelism before
 * @param to the parallelism after
 * @param path {@link #IN_PLACE} (Flink's adaptive scheduler changed the running job's parallelism)
 *     or {@link #SAVEPOINT} (stop-with-savepoint, then a new run)
 * @param reason why that path: for a savepoint rescale, what ruled out rescaling in place
 * @param startedAt when the rescale started, RFC 3339
 * @param completedAt when every vertex ran at the new parallelism, RFC 3339
 * @param seconds from start to completion
 */
public record Rescale(
        @JsonPropertyDescription("Parallelism before.") Integer from,
        @JsonPropertyDescription("Parallelism after.") Integer to,
        @JsonPropertyDescription("InPlace (adaptive scheduler, the job keeps running) or Savepoint (stop-with-savepoint and a new run).") String path,
        @JsonPropertyDescription("Why that path was taken.") String reason,
        @JsonPropertyDescription("When the rescale started, RFC 3339.") String startedAt,
        @JsonPropertyDescription("When the job ran at the new parallelism, RFC 3339.") String completedAt,
        @JsonPropertyDescription("Seconds from start to completion.") Long seconds) {

    /** The path of a rescale through Flink's adaptive scheduler: the running job changes parallelism. */
    public static final String IN_PLACE = "InPlace";
    /** The path of a rescale through stop-with-savepoint and a new run. */
    public static final String SAVEPOINT = "Savepoint";
}
