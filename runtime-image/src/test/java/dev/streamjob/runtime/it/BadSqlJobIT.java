package dev.streamjob.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.Test;

/** Jobs that cannot start: the JobManager exits non-zero and says why in the termination message. */
class BadSqlJobIT {

    @Test
    void rejectedSqlEndsTheJobManagerWithFlinksMessage() throws Exception {
        try (LocalFlinkCluster cluster = LocalFlinkCluster.create("bad-sql")) {
            Path script = cluster.confDir().resolve("job.sql");
            try (InputStream in = Objects.requireNonNull(BadSqlJobIT.class.getResourceAsStream("/sql/bad-column.sql"))) {
                Files.copy(in, script);
            }

            LauncherProcess jobManager = cluster.startJobManager(List.of("--sql-file", script.toString()));
            await("the JobManager to exit").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !jobManager.isAlive());
            System.out.printf("BadSqlJobIT: JobManager exited with %d after %.1f s%n", jobManager.process().exitValue(),
                    Duration.between(jobManager.started(), Instant.now()).toMillis() / 1000.0);

            assertThat(jobManager.process().exitValue()).isNotZero();
            String message = Files.readString(cluster.jobManagerTerminationLog(), StandardCharsets.UTF_8);
            assertThat(message)
                    .isEqualTo("statement 3 (line 6): At line 2, column 30: Column 'x' not found in any table");
            assertThat(jobManager.output()).contains("SQL job rejected: statement 3 (line 6)");
        }
    }

    @Test
    void invalidCommandLineExitsWithUsageBeforeStartingFlink() throws Exception {
        Path dir = ItEnvironment.freshWorkDir("bad-arguments");
        Path terminationLog = dir.resolve("termination-log");

        LauncherProcess launcher = LauncherProcess.start("launcher",
                List.of("jobmanager", "--jar-uri", "local:///opt/flink/usrlib/job.jar"),
                Map.of("STREAMJOB_TERMINATION_LOG", terminationLog.toString(), "STREAMJOB_WORK_DIR", dir.toString()),
                dir.resolve("launcher.log"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !launcher.isAlive());

        assertThat(launcher.process().exitValue()).isEqualTo(2);
        assertThat(terminationLog).hasContent("invalid launcher arguments: --jar-uri needs --entry-class");
        assertThat(launcher.output()).contains("usage: launcher jobmanager");
    }
}
