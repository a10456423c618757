package dev.streamjob.runtime.sql;

import dev.streamjob.runtime.TerminationMessage;
import dev.streamjob.runtime.sql.SqlStatement.SetOption;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The main class of a SQL job: runs a Flink SQL script inside the JobManager (application mode,
 * {@code StandaloneApplicationClusterEntryPoint --job-classname dev.streamjob.runtime.sql.SqlJob --
 * <script>}) and submits exactly one streaming job.
 *
 * <p>Statements run in script order: {@code SET 'k' = 'v'} sets the TableEnvironment's
 * configuration (in application mode {@code executeSql} rejects SET); other statements (DDL, USE
 * ...) run with {@code executeSql}; every INSERT, inside or outside a statement set, goes into one
 * {@link StatementSet}, executed at the end.
 *
 * <p>When the script or Flink rejects a statement, the reason goes to the container's termination
 * message ({@link TerminationMessage}) as one paragraph: the statement number, the line where it
 * starts and Flink's own message, e.g. {@code statement 3 (line 12): ... Column 'x' not found in
 * any table}; then the exception is rethrown so the JobManager exits non-zero.
 */
public final class SqlJob {

    private static final Logger LOG = LoggerFactory.getLogger(SqlJob.class);

    private final TableEnvironment tableEnvironment;

    /** A runner on the given TableEnvironment. */
    public SqlJob(TableEnvironment tableEnvironment) {
        this.tableEnvironment = tableEnvironment;
    }

    /**
     * Runs the script whose path is the only argument, then returns (the job keeps running).
     *
     * @throws SqlScriptException if the script or a statement is rejected
     * @throws Exception for anything else, such as an unreadable file
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SqlJob <SQL script file>");
        }
        TerminationMessage terminationMessage = TerminationMessage.fromEnvironment(System.getenv());
        try {
            String script = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
            List<SqlStatement> statements = SqlScript.parse(script);
            StreamExecutionEnvironment environment = StreamExecutionEnvironment.getExecutionEnvironment();
            TableResult result = new SqlJob(StreamTableEnvironment.create(environment)).run(statements);
            LOG.info("SQL job submitted as job {}",
                    result.getJobClient().map(client -> client.getJobID().toString()).orElse("(unknown)"));
        } catch (SqlScriptException e) {
            LOG.error("SQL job rejected: {}", e.getMessage());
            terminationMessage.write(e.getMessage());
            throw e;
        } catch (Exception e) {
            String message = "SQL job failed: " + rootCauseMessage(e);
            LOG.error(message);
            terminationMessage.write(message);
            throw e;
        }
    }

    /**
     * Runs parsed statements and submits the job.
     *
     * @param statements statements from {@link SqlScript#parse}
     * @return the result of executing the StatementSet (holds the job's client)
     * @throws SqlScriptException naming the statement Flink rejected, with Flink's message
     */
    public TableResult run(List<SqlStatement> statements) throws SqlScriptException {
        StatementSet statementSet = tableEnvironment.createStatementSet();
        List<SqlStatement> inserts = new ArrayList<>();
        for (SqlStatement statement : statements) {
            try {
                switch (statement.kind()) {
                    case SET -> {
                        SetOption option = statement.option().orElseThrow();
                        tableEnvironment.getConfig().set(option.key(), option.value());
                        // The key only: values may be secrets (passwords in Kafka properties).
                        LOG.info("{}: SET '{}'", statement.position(), option.key());
                    }
                    case INSERT -> {
                        statementSet.addInsertSql(statement.text());
                        inserts.add(statement);
                        LOG.info("{}: INSERT added to the statement set", statement.position());
                    }
                    case OTHER -> {
                        tableEnvironment.executeSql(statement.text());
                        LOG.info("{}: executed", statement.position());
                    }
                    case BEGIN_STATEMENT_SET, END_STATEMENT_SET -> {
                        // Every INSERT goes into the one statement set anyway.
                    }
                    case QUERY -> throw new IllegalStateException("SqlScript.parse rejects queries");
                }
            } catch (RuntimeException e) {
                throw new SqlScriptException(statement.position() + ": " + rootCauseMessage(e), e);
            }
        }
        try {
            return statementSet.execute();
        } catch (RuntimeException e) {
            String position = failingInsert(inserts).map(SqlStatement::position).orElseGet(() -> describe(inserts));
            throw new SqlScriptException(position + ": " + rootCauseMessage(e), e);
        }
    }

    /**
     * The INSERT that Flink rejects when the statement set is planned (an unknown connector, for
     * example, surfaces only then): found by planning each INSERT alone. Runs only on failure.
     */
    private Optional<SqlStatement> failingInsert(List<SqlStatement> inserts) {
        if (inserts.size() == 1) {
            return Optional.of(inserts.get(0));
        }
        for (SqlStatement insert : inserts) {
            try {
                tableEnvironment.createStatementSet().addInsertSql(insert.text()).explain();
            } catch (RuntimeException e) {
                return Optional.of(insert);
            }
        }
        return Optional.empty();
    }

    /**
     * The message that says what went wrong: that of the deepest cause, or of an enclosing
     * exception that only puts a context in front of it as {@code "<context>: <message>"}, such as
     * Calcite's position ({@code "From line 2, column 68 to line 2, column 77: Column 'x' not found
     * in any table"}). Generic wrappers ({@code "SQL validation failed. ..."}) and those whose
     * message is their cause's {@code toString()} are left out.
     */
    static String rootCauseMessage(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        int deepest = chain.size() - 1;
        while (deepest >= 0 && isBlank(chain.get(deepest).getMessage())) {
            deepest--;
        }
        if (deepest < 0) {
            return error.getClass().getName();
        }
        String message = chain.get(deepest).getMessage().strip();
        for (int i = deepest - 1; i >= 0; i--) {
            Throwable outer = chain.get(i);
            String outerMessage = outer.getMessage();
            if (isBlank(outerMessage) || outerMessage.equals(String.valueOf(outer.getCause()))) {
                continue;
            }
            String outerStripped = outerMessage.strip();
            if (!outerStripped.equals(message) && !outerStripped.endsWith(": " + message)) {
                break;
            }
            message = outerStripped;
        }
        return message;
    }

    private static String describe(List<SqlStatement> inserts) {
        if (inserts.size() == 1) {
            return inserts.get(0).position();
        }
        return "INSERT statements "
                + inserts.stream().map(s -> String.valueOf(s.number())).collect(Collectors.joining(", "))
                + " (from line " + inserts.get(0).line() + ")";
    }

    private static boolean isBlank(String message) {
        return message == null || message.isBlank();
    }
}
