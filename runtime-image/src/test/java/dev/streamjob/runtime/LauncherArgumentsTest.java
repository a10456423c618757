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
        assertThat(args.restoreFromLatestCheckpoint()).isEmpty();
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
    void parsesRestoreFromLatestCheckpoint() {
        String dir = "s3://bucket/ns/name/checkpoints/0f8c6a4e1b2d4c3e9f10a1b2c3d4e5f6";
        LauncherArguments args = LauncherArguments.parse(List.of(
                "jobmanager", "--job-id", "0F8C6A4E1B2D4C3E9F10A1B2C3D4E5F6",
                "--restore-from-latest-checkpoint", dir,
                "--from-savepoint", "s3://bucket/ns/name/savepoints/savepoint-1a2b3c-0123",
                "--sql-file", "/opt/flink/conf/job.sql"));

        assertThat(args.restoreFromLatestCheckpoint()).contains(dir);
        assertThat(args.fromSavepoint()).contains("s3://bucket/ns/name/savepoints/savepoint-1a2b3c-0123");
        assertThat(LauncherArguments.parse(List.of("jobmanager", "--restore-from-latest-checkpoint", dir + "/",
                "--job-id", "0f8c6a4e1b2d4c3e9f10a1b2c3d4e5f6", "--jar-uri", "local:///a.jar", "--entry-class", "A"))
                .restoreFromLatestCheckpoint()).contains(dir + "/");
    }

    @Test
    void restoreFromLatestCheckpointNeedsTheFixedJobIdsDirectory() {
        String jobId = "0f8c6a4e1b2d4c3e9f10a1b2c3d4e5f6";
        assertRejected(List.of("jobmanager", "--sql-file", "a.sql",
                "--restore-from-latest-checkpoint", "s3://b/checkpoints/" + jobId), "needs --job-id");
        assertRejected(List.of("jobmanager", "--sql-file", "a.sql", "--job-id", jobId,
                "--restore-from-latest-checkpoint", "s3://b/checkpoints"),
                "must be the job's checkpoint directory, <execution.checkpointing.dir>/" + jobId);
        assertRejected(List.of("jobmanager", "--sql-file", "a.sql", "--job-id", jobId,
                "--restore-from-latest-checkpoint", "s3://b/checkpoints/" + jobId + "/chk-12"),
                "must be the job's checkpoint directory");
        assertRejected(List.of("jobmanager", "--sql-file", "a.sql", "--job-id", jobId,
                "--restore-from-latest-checkpoint", " "), "needs a directory");
        assertRejected(List.of("jobmanager", "--sql-file", "a.sql", "--restore-from-latest-checkpoint"),
                "--restore-from-latest-checkpoint needs a value");
        assertRejected(List.of("taskmanager", "--restore-from-latest-checkpoint", "s3://b/checkpoints/" + jobId),
                "only -D");
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
