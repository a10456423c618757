package dev.streamjob.operator.api.v1alpha1;

/** Why a savepoint was taken. */
public enum SavepointTrigger {
    /** Before an upgrade, scale or restart (stop-with-savepoint). */
    Upgrade,
    /** Before a suspend (stop-with-savepoint). */
    Suspend,
    /** {@code spec.job.savepointTriggerNonce} changed. */
    Manual,
    /** {@code spec.savepoints.interval} elapsed. */
    Periodic
}
