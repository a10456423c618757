package dev.streamjob.operator.flink;

import java.util.Optional;

/**
 * Checkpoint statistics of a job, from {@code GET /jobs/:jobid/checkpoints}.
 *
 * @param completed number of completed checkpoints of this run
 * @param failed number of failed checkpoints of this run
 * @param latestCompleted the newest completed checkpoint, if any
 * @param restored the checkpoint or savepoint this run started from, if any
 */
public record CheckpointStatistics(long completed, long failed, Optional<CompletedCheckpoint> latestCompleted,
        Optional<RestoredSnapshot> restored) {

    /** Statistics of a run that did not start from a snapshot. */
    public CheckpointStatistics(long completed, long failed, Optional<CompletedCheckpoint> latestCompleted) {
        this(completed, failed, latestCompleted, Optional.empty());
    }

    /**
     * The snapshot a run was restored from ({@code latest.restored}).
     *
     * @param id checkpoint id of the snapshot
     * @param externalPath its location, e.g. {@code s3://bucket/prefix/checkpoints/<jobid>/chk-7}
     * @param savepoint whether it is a savepoint (else a retained checkpoint)
     */
    public record RestoredSnapshot(long id, String externalPath, boolean savepoint) {
    }

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
