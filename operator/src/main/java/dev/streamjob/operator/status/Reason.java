package dev.streamjob.operator.status;

/**
 * CamelCase reasons of the StreamJob's conditions and events. A reason is what code and alerts
 * match on; the message next to it is for people.
 */
public enum Reason {
    /** The spec passed validation. */
    SpecAccepted,
    /** The spec failed validation; the message lists the fields. */
    InvalidSpec,
    /** Flink rejected the SQL script; the message has the statement, line and Flink's error. */
    SqlRejected,
    /** The job is suspended ({@code spec.job.state: suspended}). */
    Suspended,
    /** The Flink pods are being created or rolled. */
    Deploying,
    /** The JobManager runs but the job is not running with all tasks yet. */
    JobStarting,
    /** The job runs with all its tasks. */
    JobRunning,
    /** Flink is restarting the job after a task failure (its own restart strategy). */
    JobRestarting,
    /** The job failed terminally. */
    JobFailed,
    /** The job was cancelled outside the operator. */
    JobCanceled,
    /** The job finished (its sources are bounded). */
    JobFinished,
    /** The JobManager container terminates with an error or cannot start. */
    JobManagerFailing,
    /** A TaskManager container terminates with an error or cannot start. */
    TaskManagerFailing,
    /** The JobManager's REST API does not answer. */
    FlinkRestUnavailable,
    /** Nothing needs attention. */
    AsExpected,
    /** The operator failed to apply the desired objects; it retries with backoff. */
    ReconcileError,
    /** A savepoint was triggered; the operator polls Flink for it. */
    SavepointInProgress,
    /** The old run's Flink pods are being removed before the new run starts. */
    Stopping,
    /** The new run of an upgrade, scale or restart is starting. */
    Upgrading,
    /**
     * The running job is being rescaled in place by Flink's adaptive scheduler (Progressing, and
     * an event naming the path: in place, or with a savepoint and why).
     */
    Rescaling,
    /** A rescale is done: every vertex runs at the new parallelism (event). */
    Rescaled,
    /** The lag-based autoscaler changed spec.job.parallelism (event, with the decision's figures). */
    Autoscaled,
    /** The job is being suspended (savepoint, then its pods removed). */
    Suspending,
    /** The job is starting again after a suspend. */
    Resuming,
    /** A savepoint completed (event). */
    SavepointCompleted,
    /** Flink reported the savepoint as failed; the job keeps running. */
    SavepointFailed,
    /** The savepoint was not complete within spec.savepoints.timeout; the job keeps running. */
    SavepointTimedOut,
    /** The JobManager no longer knows the savepoint's trigger and the job still runs. */
    SavepointLost,
    /** The new run of an upgrade, scale or restart runs with all its tasks (event). */
    UpgradeCompleted,
    /** An upgrade, scale, restart or suspend could not be carried out; the old run is left as it was. */
    UpgradeFailed,
    /** The StreamJob's objects in S3 could not be listed or changed. */
    SnapshotStoreUnavailable,
    /** A change is held: the last attempt for this generation failed. */
    ChangeHeld,
    /** The operator restarts the whole failed job from the newest snapshot of its lineage (event, Progressing). */
    JobRestarted,
    /** The JobManager container keeps exiting with an error (not rejected SQL): a restart trigger. */
    JobManagerFailed,
    /** The JobManager's REST API did not answer for longer than spec.recovery.jobManagerGracePeriod. */
    JobManagerUnreachable,
    /** Fewer TaskManager pods than wanted were ready for longer than spec.recovery.taskManagerGracePeriod. */
    TaskManagersLost,
    /** The job did not run all its tasks for longer than spec.recovery.restartingTimeout. */
    JobStuckRestarting,
    /** The running job completed no checkpoint for spec.recovery.checkpointProgressTimeout. */
    CheckpointsStalled,
    /** The restarted job runs with all its tasks again (event). */
    JobRecovered,
    /** spec.recovery.maxRestarts restarts within spec.recovery.window: no more until the spec changes. */
    RestartBudgetExhausted,
    /** The consumer lag of spec.kafkaSources was read (condition KafkaLagAvailable). */
    KafkaLagRead,
    /** The consumer lag could not be read: Kafka unreachable, login refused, a topic missing (condition KafkaLagAvailable). */
    KafkaUnavailable,
    /** The deleted StreamJob's snapshots were deleted (deletionPolicy: Delete; event). */
    SnapshotsDeleted,
    /** Deleting the deleted StreamJob's snapshots failed; the deletion waits and retries (event). */
    SnapshotDeletionFailed
}
