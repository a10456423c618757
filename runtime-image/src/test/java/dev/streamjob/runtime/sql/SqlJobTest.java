package dev.streamjob.runtime.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs scripts on a real (local, never executed) Flink TableEnvironment: Flink's own messages. */
class SqlJobTest {

    private static final String TABLES = """
            CREATE TABLE src (id BIGINT, note STRING)
              WITH ('connector' = 'datagen', 'number-of-rows' = '10');
            CREATE TABLE snk (id BIGINT) WITH ('connector' = 'blackhole');
            """;

    private TableEnvironment tableEnvironment;

    @BeforeEach
    void createTableEnvironment() {
        tableEnvironment = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    }

    @Test
    void reportsValidationErrorsWithStatementNumberLineAndFlinkMessage() throws Exception {
        String script = TABLES + """
                SET 'pipeline.name' = 'bad column';

                INSERT INTO snk
                SELECT id + 1 FROM src WHERE x > 0;
                """;

        assertThatThrownBy(() -> new SqlJob(tableEnvironment).run(SqlScript.parse(script)))
                .isInstanceOf(SqlScriptException.class)
                .hasMessage("statement 4 (line 6): At line 2, column 30: Column 'x' not found in any table");
        assertThat(tableEnvironment.getConfig().getConfiguration().toMap())
                .containsEntry("pipeline.name", "bad column");
    }

    @Test
    void attributesAnUnknownConnectorToItsInsert() throws Exception {
        String script = TABLES + """
                CREATE TABLE typo (id BIGINT) WITH ('connector' = 'blackhol');
                EXECUTE STATEMENT SET BEGIN
                  INSERT INTO snk SELECT id FROM src;
                  INSERT INTO typo SELECT id FROM src;
                END;
                """;

        assertThatThrownBy(() -> new SqlJob(tableEnvironment).run(SqlScript.parse(script)))
                .isInstanceOf(SqlScriptException.class)
                .hasMessageStartingWith("statement 5 (line 7): Could not find any factory for identifier 'blackhol'")
                .hasMessageContaining("blackhole");
    }

    @Test
    void reportsParseErrors() {
        String script = TABLES + "INSERT INTO snk SELEC id FROM src;";

        assertThatThrownBy(() -> new SqlJob(tableEnvironment).run(SqlScript.parse(script)))
                .isInstanceOf(SqlScriptException.class)
                .hasMessageStartingWith("statement 3 (line 4): ");
    }

    @Test
    void rootCauseMessageKeepsPositionsAndDropsGenericWrappers() {
        Throwable validatorError = new RuntimeException("Column 'x' not found in any table");
        // As Calcite's CalciteContextException (hidden by flink-table-planner-loader) reports it.
        Throwable withPosition = new RuntimeException(
                "From line 2, column 68 to line 2, column 77: Column 'x' not found in any table", validatorError);
        Throwable flinkWrapper = new ValidationException(
                "SQL validation failed. From line 2, column 68 to line 2, column 77: Column 'x' not found in any table",
                withPosition);
        Throwable javaWrapper = new RuntimeException(flinkWrapper);

        assertThat(SqlJob.rootCauseMessage(javaWrapper))
                .isEqualTo("From line 2, column 68 to line 2, column 77: Column 'x' not found in any table");
        assertThat(SqlJob.rootCauseMessage(new ValidationException("Unable to create a sink for writing table 't'.",
                        new ValidationException("Could not find any factory for identifier 'nope'"))))
                .isEqualTo("Could not find any factory for identifier 'nope'");
        assertThat(SqlJob.rootCauseMessage(new IllegalStateException())).isEqualTo("java.lang.IllegalStateException");
    }
}
