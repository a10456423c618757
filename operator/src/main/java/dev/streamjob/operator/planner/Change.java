package dev.streamjob.operator.planner;

/** How the spec differs from the deployed run, as {@link Planner#plan} classifies it. */
public enum Change {
    /** Nothing is deployed yet: deploy the first run. */
    DEPLOY,
    /** The spec matches the run. */
    NONE,
    /** The spec changed only in fields that need no new run (upgradeMode, savepoint settings ...). */
    IGNORE,
    /** Only the parallelism changed. */
    SCALE,
    /** A field that needs a new run changed (SQL, jar, image, Flink configuration, resources ...). */
    UPGRADE,
    /** {@code spec.job.restartNonce} changed. */
    RESTART,
    /** {@code spec.job.state} became suspended. */
    SUSPEND,
    /** {@code spec.job.state} became running after a suspend. */
    RESUME,
    /** A savepoint is due ({@code savepointTriggerNonce} changed, or the periodic interval elapsed). */
    SAVEPOINT,
    /**
     * A change that needs a new run, but the last attempt for this generation failed: held until
     * the spec changes again (the operator does not retry in a loop).
     */
    HELD;

    /** Whether the change replaces the running run with a new one (or stops it). */
    public boolean replacesRun() {
        return this == SCALE || this == UPGRADE || this == RESTART || this == SUSPEND;
    }
}
