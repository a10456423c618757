package dev.streamjob.operator.api.v1alpha1;

/** What a multi-step operation in {@code status.operation} does. */
public enum OperationType {
    /** Replace the run with one of the new spec. */
    Upgrade,
    /** Replace the run with one of a new parallelism. */
    Scale,
    /** Replace the run with one of the same spec ({@code spec.job.restartNonce}). */
    Restart,
    /** Replace a failed run with one restored from the newest snapshot of its lineage (automatic). */
    Recover,
    /** Stop the run and remove its Flink pods. */
    Suspend,
    /** Start a new run after a suspend. */
    Resume,
    /** Take a savepoint and keep the job running. */
    Savepoint
}
