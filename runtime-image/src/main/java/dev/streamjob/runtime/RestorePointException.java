package dev.streamjob.runtime;

/**
 * The launcher cannot tell which snapshot the job must resume from (for example, the checkpoint
 * directory cannot be listed because S3 is unreachable). The JobManager must then not start:
 * starting anyway could resume from empty or older state (DESIGN, state safety rule 2). The
 * message is written to the container's termination message as it is.
 */
public final class RestorePointException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure with a message for the user and its cause. */
    public RestorePointException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure with a message for the user. */
    public RestorePointException(String message) {
        super(message);
    }
}
