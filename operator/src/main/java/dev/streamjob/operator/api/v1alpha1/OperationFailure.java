package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The last operation that failed. The operator does not retry an operation for the same
 * generation by itself: a new spec change (e.g. {@code spec.job.restartNonce}, or switching
 * {@code upgradeMode}) starts a new attempt.
 *
 * @param type the operation
 * @param generation metadata.generation it was for
 * @param reason CamelCase reason (SavepointFailed, SavepointTimedOut ...)
 * @param message what happened
 * @param time when it failed, RFC 3339
 */
public record OperationFailure(
        @JsonPropertyDescription("The operation that failed.") OperationType type,
        @JsonPropertyDescription("metadata.generation it was for.") Long generation,
        @JsonPropertyDescription("CamelCase reason.") String reason,
        @JsonPropertyDescription("What happened.") String message,
        @JsonPropertyDescription("When it failed, RFC 3339.") String time) {
}
