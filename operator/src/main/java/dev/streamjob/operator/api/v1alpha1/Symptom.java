package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A sign of a failure that the operator watches: if it lasts longer than its grace period in
 * {@code spec.recovery}, the whole job is restarted with the symptom's reason.
 *
 * @param reason JobManagerUnreachable, TaskManagersLost or JobStuckRestarting
 * @param since when it was first seen, RFC 3339
 * @param message what was observed, for people
 */
public record Symptom(
        @JsonPropertyDescription("JobManagerUnreachable, TaskManagersLost or JobStuckRestarting.") String reason,
        @JsonPropertyDescription("When it was first seen, RFC 3339.") String since,
        @JsonPropertyDescription("What was observed.") String message) {
}
