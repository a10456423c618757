package dev.streamjob.operator.api.v1alpha1;

/**
 * What happens to a StreamJob's checkpoints and savepoints in the object store when the
 * StreamJob is deleted. Named after the {@code deletionPolicy} of Kubernetes'
 * VolumeSnapshotClass and the {@code Retain}/{@code Delete} reclaim policy of PersistentVolumes.
 */
public enum DeletionPolicy {
    /** Keep them: a new StreamJob can start from one with {@code spec.job.initialSavepointPath}. */
    Retain,
    /** Stop the Flink pods, then delete every checkpoint and savepoint this StreamJob wrote. */
    Delete
}
