package dev.streamjob.runtime.sql;

import java.util.Optional;

/**
 * One statement of a SQL script, as {@link SqlScript#parse} found it.
 *
 * @param number the statement's position in the script, from 1, counting statements terminated by
 *     {@code ;} (the last one may lack it); the opening {@code EXECUTE STATEMENT SET BEGIN} and the
 *     first INSERT after it share a number
 * @param line the script line (from 1) where the statement's first keyword is
 * @param kind what the statement does, from its leading keywords
 * @param text the statement without its terminating {@code ;} and without leading comments, as
 *     Flink should receive it
 * @param option for {@link Kind#SET}, the key and value
 */
public record SqlStatement(int number, int line, Kind kind, String text, Optional<SetOption> option) {

    /** What a statement does, from its leading keywords. */
    public enum Kind {
        /** {@code SET 'key' = 'value'}: applied to the TableEnvironment's configuration. */
        SET,
        /** {@code INSERT INTO} / {@code INSERT OVERWRITE}: added to the job's one StatementSet. */
        INSERT,
        /** {@code BEGIN STATEMENT SET} or the {@code EXECUTE STATEMENT SET BEGIN} that opens a block. */
        BEGIN_STATEMENT_SET,
        /** {@code END}, closing a statement set. */
        END_STATEMENT_SET,
        /** {@code SELECT}, {@code WITH}, {@code VALUES}: a query, which would start a job of its own. */
        QUERY,
        /** Anything else (CREATE, DROP, ALTER, USE, LOAD MODULE ...): run with {@code executeSql}. */
        OTHER
    }

    /**
     * The key and value of a {@code SET} statement.
     *
     * @param key the configuration key
     * @param value the value, as a string (Flink parses it by the option's type)
     */
    public record SetOption(String key, String value) {}

    /** Where the statement is, for messages: {@code statement 3 (line 12)}. */
    public String position() {
        return "statement " + number + " (line " + line + ")";
    }
}
