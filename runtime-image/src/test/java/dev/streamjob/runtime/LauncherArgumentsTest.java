package dev.streamjob.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamjob.runtime.LauncherArguments.Role;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LauncherArgumentsTest {

    @Test
    void parsesSqlJobManager() {
        LauncherArguments args = LauncherArguments.parse(List.of(
                "jobmanager", "--job-id", "0123456789ABCDEF0123456789abcdef",
                "--from-savepoint", "s3://bucket/savepoints/savepoint-1a2b3c-0123",
                "--allow-non-restored-state", "--sql-file", "/opt/flink/conf/job.sql",
                "-D", "rest.port=8081", "-Dparallelism.default=4"));

        assertThat(args.role()).isEqualTo(Role.JOBMANAGER);
        assertThat(args.jobId()).contains("0123456789abcdef0123456789abcdef");
        assertThat(args.fromSavepoint()).contains("s3://bucket/savepoints/savepoint-1a2b3c-0123");
        assertThat(args.allowNonRestoredState()).isTrue();
        assertThat(args.sqlFile()).contains(Path.of("/opt/flink/conf/job.sql"));
        assertThat(args.isSqlJob()).isTrue();
        assertThat(args.overrides()).containsExactly(
                Map.entry("rest.port", "8081"), Map.entry("parallelism.default", "4"));
        assertThat(args.jobArgs()).isEmpty();
    }

    @Test
    void parsesJarJobWithArgumentsAfterDoubleDash() {
        LauncherArguments args = LauncherArguments.parse(List.of(
                "jobmanager", "--jar-uri", "local:///opt/flink/usrlib/job.jar",
                "--entry-class", "com.example.Job", "-D", "k=v=w",
                "--", "--input", "topic-a", "-D", "not-an-override"));

        assertThat(args.isSqlJob()).isFalse();
        assertThat(args.jarUri()).contains("local:///opt/flink/usrlib/job.jar");
        assertThat(args.entryClass()).contains("com.example.Job");
        assertThat(args.overrides()).containsExactly(Map.entry("k", "v=w"));
        assertThat(args.jobArgs()).containsExactly("--input", "topic-a", "-D", "not-an-override");
    }

    @Test
    void laterOverrideOfTheSameKeyWins() {
        LauncherArguments args = LauncherArguments.parse(List.of(
                "taskmanager", "-D", "a=1", "-D", "b=2", "-Da=3"));

        assertThat(args.role()).isEqualTo(Role.TASKMANAGER);
        assertThat(args.overrides()).containsExactly(Map.entry("b", "2"), Map.entry("a", "3"));
    }

    @Test
    void rejectsCommandLinesOutsideTheContract() {
        assertRejected(List.of(), "missing role");
        assertRejected(List.of("historyserver"), "unknown role 'historyserver'");
        assertRejected(List.of("jobmanager"), "needs a job");
        assertRejected(List.of("jobmanager", "--sql-file", "a.sql", "--jar-uri", "local:///a.jar",
                "--entry-class", "A"), "not both");
        assertRejected(List.of("jobmanager", "--jar-uri", "local:///a.jar"), "--jar-uri needs --entry-class");
        assertRejected(List.of("jobmanager", "--sql-file", "a.sql", "--", "x"), "for jar jobs");
        assertRejected(List.of("jobmanager", "--sql-file", "a.sql", "--job-id", "xyz"), "32 hexadecimal");
        assertRejected(List.of("jobmanager", "--sql-file"), "--sql-file needs a value");
        assertRejected(List.of("jobmanager", "--sql-file", "a.sql", "--parallelism", "2"),
                "unknown option '--parallelism'");
        assertRejected(List.of("jobmanager", "--sql-file", "a.sql", "stray"), "unexpected argument 'stray'");
        assertRejected(List.of("taskmanager", "--sql-file", "a.sql"), "only -D");
        assertRejected(List.of("taskmanager", "-D", "no-equals"), "-D needs key=value");
        assertRejected(List.of("taskmanager", "-D=value"), "-D needs key=value");
    }

    private static void assertRejected(List<String> args, String message) {
        assertThatThrownBy(() -> LauncherArguments.parse(args))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
