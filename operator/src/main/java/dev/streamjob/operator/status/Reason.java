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
    ReconcileError
}
