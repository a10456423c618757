package dev.streamjob.operator.planner;

/** How a change that replaces or stops the run carries the job's state over. */
public enum Strategy {
    /** Stop the job with a savepoint; the new run (if any) starts from it. */
    SAVEPOINT_FIRST,
    /** Remove the old run's pods, then start from the newest complete snapshot of the lineage. */
    STOP_THEN_LATEST,
    /** Remove the old run's pods, then start a new lineage with empty state. */
    STOP_THEN_EMPTY
}
