package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The whole-job restarts the operator made after failures.
 *
 * @param count restarts since the StreamJob was created
 * @param recent times of the restarts within {@code spec.recovery.window}, newest first (RFC 3339)
 * @param lastTime time of the last restart, RFC 3339
 * @param lastReason why the last restart was made: JobFailed or JobManagerFailed
 * @param lastMessage what was observed, for people
 */
public record RestartHistory(
        @JsonPropertyDescription("Restarts since the StreamJob was created.") Integer count,
        @JsonPropertyDescription("Times of the restarts within spec.recovery.window, newest first.") List<String> recent,
        @JsonPropertyDescription("Time of the last restart, RFC 3339.") String lastTime,
        @JsonPropertyDescription("Why: JobFailed or JobManagerFailed.") String lastReason,
        @JsonPropertyDescription("What was observed.") String lastMessage) {

    /** No restart yet. */
    public static final RestartHistory NONE = new RestartHistory(0, List.of(), null, null, null);
}
