package dev.streamjob.operator.state;

import java.time.Instant;

/**
 * A checkpoint ({@code <checkpoints>/<job id>/chk-N/}) or savepoint
 * ({@code <savepoints>/<job id>/savepoint-.../}) of a StreamJob in the object store.
 *
 * @param path the snapshot's directory as Flink names it, {@code s3://bucket/key} without a
 *     trailing slash (what {@code --from-savepoint} takes)
 * @param kind checkpoint or savepoint
 * @param jobId the Flink job id of the run that wrote it
 * @param checkpointId Flink's checkpoint id: N of {@code chk-N}, or read from a savepoint's
 *     {@code _metadata}; -1 if unknown. Ids grow along a lineage: a run restored from a snapshot
 *     with id N numbers its checkpoints and savepoints from N + 1.
 * @param complete whether {@code _metadata} exists (Flink writes it last)
 * @param lastModified newest modification time of its objects
 * @param sizeBytes total size of its objects in bytes
 */
public record Snapshot(String path, Kind kind, String jobId, long checkpointId, boolean complete,
        Instant lastModified, long sizeBytes) {

    /** Checkpoint (Flink's, periodic) or savepoint (taken on purpose). */
    public enum Kind {
        CHECKPOINT,
        SAVEPOINT
    }
}
