package dev.streamjob.operator.flink;

/**
 * A Flink REST call that did not give an answer. {@link #kind()} says why, so callers never match
 * on message text.
 */
public class FlinkRestException extends Exception {

    /** Why a REST call failed. */
    public enum Kind {
        /** Connection refused or the host did not resolve: the JobManager is not (yet) serving. */
        UNREACHABLE,
        /** No complete answer within the configured timeout. */
        TIMEOUT,
        /** The JobManager answered with an HTTP error status. */
        HTTP_ERROR,
        /** The answer was not the JSON Flink documents. */
        BAD_RESPONSE
    }

    private final Kind kind;

    /** A failure of the given kind; {@code message} is short and safe to show in status. */
    public FlinkRestException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** Why the call failed. */
    public Kind kind() {
        return kind;
    }
}
