package dev.streamjob.runtime.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.streamjob.runtime.sql.SqlStatement.Kind;
import dev.streamjob.runtime.sql.SqlStatement.SetOption;

import java.util.List;

import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsOnSemicolonsOutsideStringsIdentifiersAndComments() throws Exception {
        String script = """
                -- leading comment; not a statement
                CREATE TABLE `odd;name` (
                  note STRING -- a comment with 'quote; and semicolon
                ) WITH ('connector' = 'datagen', 'fields.note.pattern' = 'it''s; fine');
                /* block comment;
                   over lines */
                CREATE VIEW v AS SELECT "a;b" FROM `odd;name`;;
                INSERT INTO sink SELECT note FROM v WHERE note <> ';'
                """;

        List<SqlStatement> statements = SqlScript.parse(script);

        assertThat(statements)
                .extracting(SqlStatement::number, SqlStatement::line, SqlStatement::kind)
                .containsExactly(
                        tuple(1, 2, Kind.OTHER),
                        tuple(2, 7, Kind.OTHER),
                        tuple(3, 8, Kind.INSERT));
        assertThat(statements.get(0).text())
                .startsWith("CREATE TABLE `odd;name` (")
                .endsWith("'fields.note.pattern' = 'it''s; fine')");
        assertThat(statements.get(1).text()).isEqualTo("CREATE VIEW v AS SELECT \"a;b\" FROM `odd;name`");
        assertThat(statements.get(2).text()).isEqualTo("INSERT INTO sink SELECT note FROM v WHERE note <> ';'");
    }

    @Test
    void parsesSetStatements() throws Exception {
        List<SqlStatement> statements = SqlScript.parse("""
                SET 'execution.checkpointing.interval' = '10 s';
                set 'pipeline.name'='it''s; mine';
                SET table.exec.mini-batch.enabled = true;
                INSERT INTO s SELECT 1;
                """);

        assertThat(statements).extracting(SqlStatement::kind)
                .containsExactly(Kind.SET, Kind.SET, Kind.SET, Kind.INSERT);
        assertThat(statements).extracting(statement -> statement.option().orElse(null))
                .containsExactly(
                        new SetOption("execution.checkpointing.interval", "10 s"),
                        new SetOption("pipeline.name", "it's; mine"),
                        new SetOption("table.exec.mini-batch.enabled", "true"),
                        null);
    }

    @Test
    void acceptsExecuteStatementSetBlocks() throws Exception {
        List<SqlStatement> statements = SqlScript.parse("""
                CREATE TABLE t (id INT) WITH ('connector' = 'datagen');

                EXECUTE STATEMENT SET
                BEGIN
                  INSERT INTO a SELECT id FROM t;
                  INSERT INTO b SELECT id FROM t WHERE id > 0;
                END;
                """);

        assertThat(statements)
                .extracting(SqlStatement::number, SqlStatement::line, SqlStatement::kind, SqlStatement::text)
                .containsExactly(
                        tuple(1, 1, Kind.OTHER, "CREATE TABLE t (id INT) WITH ('connector' = 'datagen')"),
                        tuple(2, 3, Kind.BEGIN_STATEMENT_SET, "EXECUTE STATEMENT SET\nBEGIN"),
                        tuple(2, 5, Kind.INSERT, "INSERT INTO a SELECT id FROM t"),
                        tuple(3, 6, Kind.INSERT, "INSERT INTO b SELECT id FROM t WHERE id > 0"),
                        tuple(4, 7, Kind.END_STATEMENT_SET, "END"));
    }

    @Test
    void acceptsSqlClientStatementSetsAndExecuteInsert() throws Exception {
        List<SqlStatement> statements = SqlScript.parse("""
                BEGIN STATEMENT SET;
                INSERT INTO a SELECT 1;
                END;
                EXECUTE INSERT INTO b SELECT 2;
                """);

        assertThat(statements).extracting(SqlStatement::kind, SqlStatement::text)
                .containsExactly(
                        tuple(Kind.BEGIN_STATEMENT_SET, "BEGIN STATEMENT SET"),
                        tuple(Kind.INSERT, "INSERT INTO a SELECT 1"),
                        tuple(Kind.END_STATEMENT_SET, "END"),
                        tuple(Kind.INSERT, "INSERT INTO b SELECT 2"));
    }

    @Test
    void rejectsScriptsThatAreNotOneJob() {
        assertRejected("SELECT * FROM t;", "statement 1 (line 1): queries are not supported");
        assertRejected("CREATE TABLE t (id INT);", "no INSERT statement");
        assertRejected("INSERT INTO a SELECT 1;\n\nWITH x AS (SELECT 1) SELECT * FROM x;",
                "statement 2 (line 3): queries");
        assertRejected("BEGIN STATEMENT SET;\nCREATE TABLE t (id INT);\nEND;",
                "statement 2 (line 2): only INSERT statements are allowed inside a statement set");
        assertRejected("EXECUTE STATEMENT SET BEGIN\nINSERT INTO a SELECT 1;", "statement 1 (line 1): statement set is not closed");
        assertRejected("INSERT INTO a SELECT 1;\nEND;", "statement 2 (line 2): END without BEGIN");
        assertRejected("BEGIN STATEMENT SET;\nBEGIN STATEMENT SET;", "statement 2 (line 2): statement sets cannot be nested");
        assertRejected("SET 'a';\nINSERT INTO a SELECT 1;", "statement 1 (line 1): SET needs a key and a value");
    }

    @Test
    void rejectsUnterminatedStringsAndComments() {
        assertRejected("INSERT INTO a\nSELECT 'oops;", "line 2: ' is not closed");
        assertRejected("INSERT INTO a SELECT 1; /* never closed", "line 1: comment /* is not closed");
    }

    private static void assertRejected(String script, String message) {
        assertThatThrownBy(() -> SqlScript.parse(script))
                .isInstanceOf(SqlScriptException.class)
                .hasMessageContaining(message);
    }
}
