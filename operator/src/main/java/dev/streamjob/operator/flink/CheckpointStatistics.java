package dev.streamjob.operator.flink;

import java.util.Optional;

/**
 * Checkpoint statistics of a job, from {@code GET /jobs/:jobid/checkpoints}.
 *
 * @param completed number of completed checkpoints of this run
 * @param failed number of failed checkpoints of this run
 * @param latestCompleted the newest completed checkpoint, if any
 */
public record CheckpointStatistics(long completed, long failed, Optional<CompletedCheckpoint> latestCompleted) {

    /**
     * A completed checkpoint.
     *
     * @param id checkpoint id
     * @param externalPath where it was written, e.g. {@code s3://bucket/prefix/checkpoints/<jobid>/chk-7}
     * @param completedAtMillis when the last subtask acknowledged it, epoch milliseconds
     */
    public record CompletedCheckpoint(long id, String externalPath, long completedAtMillis) {
    }
}
