package dev.streamjob.operator.flink;

import java.util.Optional;

/**
 * The state of a savepoint operation, from {@code GET /jobs/:jobid/savepoints/:triggerid}.
 *
 * @param state in progress, completed, failed, or unknown (the JobManager does not know the
 *     trigger: it was restarted, or the trigger expired from its cache)
 * @param location the savepoint's directory when completed
 * @param failure Flink's failure cause when failed
 */
public record SavepointStatus(State state, Optional<String> location, Optional<String> failure) {

    /** Where a savepoint operation stands. */
    public enum State {
        IN_PROGRESS,
        COMPLETED,
        FAILED,
        UNKNOWN
    }

    /** A savepoint still being written. */
    public static SavepointStatus inProgress() {
        return new SavepointStatus(State.IN_PROGRESS, Optional.empty(), Optional.empty());
    }

    /** A completed savepoint at {@code location}. */
    public static SavepointStatus completed(String location) {
        return new SavepointStatus(State.COMPLETED, Optional.of(location), Optional.empty());
    }

    /** A failed savepoint. */
    public static SavepointStatus failed(String failure) {
        return new SavepointStatus(State.FAILED, Optional.empty(), Optional.of(failure));
    }

    /** A trigger id the JobManager does not know. */
    public static SavepointStatus unknown() {
        return new SavepointStatus(State.UNKNOWN, Optional.empty(), Optional.empty());
    }
}
