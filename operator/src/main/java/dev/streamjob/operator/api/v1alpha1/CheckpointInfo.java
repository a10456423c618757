package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A completed checkpoint as Flink's REST API reports it ({@code GET /jobs/:jobid/checkpoints},
 * {@code latest.completed}).
 *
 * @param id checkpoint id, increasing within a job
 * @param path external path of the checkpoint, e.g. {@code s3://bucket/prefix/checkpoints/<jobid>/chk-7}
 * @param time completion time, RFC 3339 (UTC)
 */
public record CheckpointInfo(
        @JsonPropertyDescription("Checkpoint id.") Long id,
        @JsonPropertyDescription("External path, e.g. s3://bucket/prefix/checkpoints/<jobid>/chk-7.") String path,
        @JsonPropertyDescription("Completion time, RFC 3339.") String time) {
}
