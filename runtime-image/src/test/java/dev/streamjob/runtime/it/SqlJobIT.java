package dev.streamjob.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A SQL job on the assembled runtime: {@code bin/launcher jobmanager --sql-file} and {@code
 * bin/launcher taskmanager} as local processes; datagen into blackhole with checkpoints every 2 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SqlJobIT {

    private static final String JOB_ID = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";

    private static LocalFlinkCluster cluster;
    private static LauncherProcess jobManager;
    private static LauncherProcess taskManager;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = LocalFlinkCluster.create("sql-job");
        Path script = cluster.confDir().resolve("job.sql");
        try (InputStream in = Objects.requireNonNull(SqlJobIT.class.getResourceAsStream("/sql/datagen-to-blackhole.sql"))) {
            Files.copy(in, script);
        }
        jobManager = cluster.startJobManager(List.of("--job-id", JOB_ID, "--sql-file", script.toString()));
        taskManager = cluster.startTaskManager();
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void jobRunsWithAllVerticesAndCompletesCheckpoints() throws Exception {
        FlinkRest rest = cluster.rest();
        rest.awaitAllVerticesRunning(JOB_ID, jobManager, taskManager);
        System.out.printf("SqlJobIT: JobManager start to all vertices RUNNING: %.1f s%n",
                Duration.between(jobManager.started(), Instant.now()).toMillis() / 1000.0);

        JsonNode job = rest.get("/jobs/" + JOB_ID);
        assertThat(job.path("name").asText()).as("pipeline.name set by the script").isEqualTo("datagen; to blackhole");
        assertThat(job.path("vertices")).hasSizeGreaterThanOrEqualTo(2);

        JsonNode latest = await("a completed checkpoint with _metadata")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .failFast("the JobManager exited", () -> !jobManager.isAlive())
                .until(() -> rest.get("/jobs/" + JOB_ID + "/checkpoints").path("latest").path("completed"),
                        completed -> !completed.isMissingNode() && !completed.isNull());
        Path checkpoint = Path.of(URI.create(latest.path("external_path").asText()));
        assertThat(checkpoint.getParent()).isEqualTo(cluster.checkpointDir().resolve(JOB_ID));
        assertThat(checkpoint.getFileName().toString()).startsWith("chk-");
        assertThat(checkpoint.resolve("_metadata")).isRegularFile();
        System.out.printf("SqlJobIT: first completed checkpoint %s after %.1f s%n", checkpoint.getFileName(),
                Duration.between(jobManager.started(), Instant.now()).toMillis() / 1000.0);
    }

    @Test
    @Order(2)
    void credentialsReachTheConfigurationButNoLogOrCommandLine() throws Exception {
        assertThat(cluster.stagedConfDir("taskmanager").resolve("config.yaml")).content()
                .contains("s3.access-key: " + LocalFlinkCluster.S3_ACCESS_KEY)
                .contains("s3.secret-key: " + LocalFlinkCluster.S3_SECRET_KEY);
        for (LauncherProcess process : List.of(jobManager, taskManager)) {
            assertThat(process.output())
                    .as("output of %s", process)
                    .contains("Starting")
                    .doesNotContain(LocalFlinkCluster.S3_ACCESS_KEY, LocalFlinkCluster.S3_SECRET_KEY);
            // The Flink JVM's own command line (bin/launcher exec'd it, so it has the launcher's pid).
            String commandLine = Files.readString(Path.of("/proc", String.valueOf(process.process().pid()), "cmdline"))
                    .replace('\0', ' ');
            assertThat(commandLine)
                    .contains("--add-opens=java.base/java.util=ALL-UNNAMED")
                    .doesNotContain(LocalFlinkCluster.S3_ACCESS_KEY, LocalFlinkCluster.S3_SECRET_KEY);
        }
    }

    @Test
    @Order(3)
    void taskManagerStopsOnSigterm() throws Exception {
        taskManager.close();

        assertThat(taskManager.isAlive()).isFalse();
        assertThat(taskManager.output()).contains("RECEIVED SIGNAL 15: SIGTERM");
    }
}
