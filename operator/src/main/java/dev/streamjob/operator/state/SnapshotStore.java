package dev.streamjob.operator.state;

import java.util.List;

/**
 * The checkpoints and savepoints of a StreamJob in its object store. One implementation talks to
 * S3/MinIO with minio-java; operator tests use a fake.
 */
public interface SnapshotStore {

    /**
     * Every checkpoint and savepoint under the job's key prefix, complete or not, in no
     * particular order.
     *
     * @throws SnapshotStoreException if the store cannot be listed (unreachable, access denied ...)
     */
    List<Snapshot> list(StoreAccess access) throws SnapshotStoreException;

    /**
     * Deletes every object of a snapshot (its directory).
     *
     * @throws SnapshotStoreException if the store refuses or cannot be reached
     */
    void delete(StoreAccess access, Snapshot snapshot) throws SnapshotStoreException;

    /**
     * Deletes every object of the runs whose Flink job id starts with {@code jobIdPrefix}: their
     * checkpoint directories ({@code chk-N}, {@code shared}, {@code taskowned}) and savepoints.
     * Snapshots of other StreamJobs under the same key prefix are left alone.
     *
     * @param jobIdPrefix at least the 16 hex characters every job id of one StreamJob shares
     * @return the number of objects deleted
     * @throws SnapshotStoreException if the store refuses or cannot be reached
     */
    int deleteRuns(StoreAccess access, String jobIdPrefix) throws SnapshotStoreException;

    /** A failure to read or change the object store. */
    class SnapshotStoreException extends Exception {
        /** A failure with its cause. */
        public SnapshotStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
