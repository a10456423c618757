package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A completed savepoint in {@code status.savepoints}.
 *
 * @param path its directory, e.g. {@code s3://bucket/prefix/savepoints/<jobid>/savepoint-1a2b3c-...}
 * @param trigger why it was taken
 * @param time when the operator saw it complete, RFC 3339
 * @param sizeBytes total size of its objects in bytes, if the store could be listed
 * @param jobId the Flink job id of the run it was taken from
 */
public record SavepointInfo(
        @JsonPropertyDescription("Savepoint directory.") String path,
        @JsonPropertyDescription("Upgrade, Suspend, Manual or Periodic.") SavepointTrigger trigger,
        @JsonPropertyDescription("Completion time, RFC 3339.") String time,
        @JsonPropertyDescription("Total size of its objects in bytes, if known.") Long sizeBytes,
        @JsonPropertyDescription("Flink job id of the run it was taken from.") String jobId) {
}
