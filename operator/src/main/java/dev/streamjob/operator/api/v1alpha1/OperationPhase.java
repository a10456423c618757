package dev.streamjob.operator.api.v1alpha1;

/** The step an operation in {@code status.operation} is at. */
public enum OperationPhase {
    /** A savepoint (or stop-with-savepoint) was triggered; the operator polls Flink for it. */
    SavepointInProgress,
    /** The old run's Flink pods are being removed; the restore point is chosen once they are gone. */
    Stopping,
    /** The new run was deployed; the operation ends when its job runs with all tasks. */
    Deploying,
    /**
     * An in-place rescale: the running job's parallelism is changed through Flink's adaptive
     * scheduler (TaskManagers are added before a scale-up and removed after a scale-down); the
     * operation ends when every vertex runs at the new parallelism.
     */
    Rescaling
}
