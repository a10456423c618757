package dev.streamjob.runtime.sql;

/**
 * A SQL script that cannot run: a syntax the runner rejects before Flink sees it, or a statement
 * Flink rejected. The message is one line for people, starting with the statement's position, for
 * example {@code statement 3 (line 12): Column 'x' not found in any table}.
 */
public class SqlScriptException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure found by {@link SqlScript} itself. */
    public SqlScriptException(String message) {
        super(message);
    }

    /** A failure Flink reported for a statement; {@code cause} is Flink's exception. */
    public SqlScriptException(String message, Throwable cause) {
        super(message, cause);
    }
}
