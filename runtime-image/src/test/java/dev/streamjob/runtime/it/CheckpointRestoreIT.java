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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A crashed JobManager that Kubernetes restarts with the same arguments resumes from the newest
 * complete checkpoint of its job ({@code --restore-from-latest-checkpoint}), not from empty state.
 * The JobManager and TaskManager are killed with SIGKILL and started again with the same command
 * lines; Flink's REST API must report the newest complete {@code chk-N} on disk as restored, and
 * the keyed counts must continue from the checkpoint.
 */
class CheckpointRestoreIT {

    private static final String JOB_ID = "c0ffee00c0ffee00c0ffee00c0ffee00";
    private static final String PRINTED = "clicks_per_user> ";

    private LocalFlinkCluster cluster;

    @AfterEach
    void stopCluster() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void restartedJobManagerResumesFromTheNewestCompleteCheckpoint() throws Exception {
        cluster = LocalFlinkCluster.create("checkpoint-restore");
        Path script = cluster.confDir().resolve("job.sql");
        try (InputStream in = Objects.requireNonNull(
                CheckpointRestoreIT.class.getResourceAsStream("/sql/keyed-count-to-print.sql"))) {
            Files.copy(in, script);
        }
        Path jobCheckpoints = cluster.checkpointDir().resolve(JOB_ID);
        String jobCheckpointsUri = jobCheckpoints.toUri().toString(); // file:///.../checkpoints/<job id>
        FlinkRest rest = cluster.rest();

        // First start: nothing to restore.
        LauncherProcess jobManager = cluster.startJobManager(List.of(
                "--job-id", JOB_ID, "--restore-from-latest-checkpoint", jobCheckpointsUri, "--sql-file", script.toString()));
        LauncherProcess taskManager = cluster.startTaskManager();
        rest.awaitAllVerticesRunning(JOB_ID, jobManager, taskManager);
        assertThat(jobManager.output()).contains(
                "streamjob: no complete checkpoint under " + jobCheckpointsUri + "; starting from empty state");
        JsonNode beforeKill = await("2 completed checkpoints")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .failFast("the JobManager exited", () -> !jobManager.isAlive())
                .ignoreExceptions()
                .until(() -> rest.get("/jobs/" + JOB_ID + "/checkpoints"),
                        checkpoints -> checkpoints.path("counts").path("completed").asInt() >= 2);
        long lastCompletedSeen = beforeKill.path("latest").path("completed").path("id").asLong();

        jobManager.kill();
        taskManager.kill();
        Instant killed = Instant.now();

        // What a restart must resume from: the newest chk-N with _metadata left on disk.
        Path newest = newestCompleteCheckpoint(jobCheckpoints).orElseThrow();
        long newestNumber = number(newest);
        assertThat(newestNumber).isGreaterThanOrEqualTo(lastCompletedSeen);
        // A crash during a checkpoint leaves chk-(N+1) without _metadata; make sure there is one.
        Path incomplete = Files.createDirectories(jobCheckpoints.resolve("chk-" + (newestNumber + 1)));
        assertThat(incomplete.resolve("_metadata")).doesNotExist();
        List<String> printedBeforeKill = printedRows(taskManager);
        System.out.printf("CheckpointRestoreIT: killed after checkpoint %d (REST) / chk-%d (disk), %d rows printed%n",
                lastCompletedSeen, newestNumber, printedBeforeKill.size());

        // Kubernetes restarts both containers with the same arguments.
        LauncherProcess restartedJobManager = cluster.restart(jobManager);
        LauncherProcess restartedTaskManager = cluster.restart(taskManager);
        assertThat(restartedJobManager.args()).isEqualTo(jobManager.args());
        assertThat(restartedTaskManager.args()).isEqualTo(taskManager.args());
        rest.awaitAllVerticesRunning(JOB_ID, restartedJobManager, restartedTaskManager);
        System.out.printf("CheckpointRestoreIT: kill to all vertices RUNNING again: %.1f s%n",
                Duration.between(killed, Instant.now()).toMillis() / 1000.0);

        String chosen = jobCheckpointsUri + "/chk-" + newestNumber;
        assertThat(restartedJobManager.output()).contains("streamjob: restoring from checkpoint " + chosen
                + ", the newest complete one under " + jobCheckpointsUri + " (skipped incomplete chk-" + (newestNumber + 1) + ")");
        JsonNode restored = await("the restored checkpoint in the checkpoint statistics")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> rest.get("/jobs/" + JOB_ID + "/checkpoints").path("latest").path("restored"),
                        node -> !node.isMissingNode() && !node.isNull());
        assertThat(Path.of(URI.create(restored.path("external_path").asText()))).isEqualTo(newest);
        assertThat(restored.path("id").asLong()).isEqualTo(newestNumber);
        System.out.println("CheckpointRestoreIT: latest.restored = " + restored);

        // The restored job checkpoints on, numbering after the restored checkpoint, into the same
        // directory (also into the chk-(N+1) the crash left behind).
        JsonNode completedAfterRestart = await("a completed checkpoint after the restart")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .failFast("the JobManager exited", () -> !restartedJobManager.isAlive())
                .ignoreExceptions()
                .until(() -> rest.get("/jobs/" + JOB_ID + "/checkpoints").path("latest").path("completed"),
                        node -> !node.isMissingNode() && !node.isNull());
        System.out.println("CheckpointRestoreIT: latest completed checkpoint after the restart = "
                + completedAfterRestart.path("id") + " at " + completedAfterRestart.path("external_path"));
        assertThat(completedAfterRestart.path("id").asLong()).isGreaterThan(newestNumber);
        assertThat(Path.of(URI.create(completedAfterRestart.path("external_path").asText())).getParent())
                .isEqualTo(jobCheckpoints);

        // The counts continue from the checkpoint: every key already has a count, so no "+I".
        List<String> printedAfterRestart = await("rows printed by the restored job")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> printedRows(restartedTaskManager), rows -> rows.size() >= 20);
        assertThat(printedBeforeKill).anyMatch(row -> row.startsWith("+I["));
        assertThat(printedAfterRestart).as("rows printed after the restart").noneMatch(row -> row.startsWith("+I["));
        assertThat(printedAfterRestart).anyMatch(row -> row.startsWith("-U["));
        System.out.println("CheckpointRestoreIT: first rows after the restart: "
                + printedAfterRestart.subList(0, 4));
    }

    @Test
    void unreachableCheckpointStoreFailsTheStartWithATerminationMessage() throws Exception {
        cluster = LocalFlinkCluster.create("checkpoint-store-unreachable");
        Path script = Files.writeString(cluster.confDir().resolve("job.sql"), "INSERT INTO a SELECT 1;");
        int closedPort = ItEnvironment.freePort();
        String checkpoints = "s3://streamjob/checkpoints";

        LauncherProcess jobManager = cluster.startJobManager(List.of(
                "--job-id", JOB_ID, "--restore-from-latest-checkpoint", checkpoints + "/" + JOB_ID,
                "--from-savepoint", "s3://streamjob/savepoints/savepoint-1a2b3c-0123",
                "-D", "execution.checkpointing.dir=" + checkpoints,
                "-D", "s3.endpoint=http://127.0.0.1:" + closedPort,
                "-D", "s3.path.style.access=true",
                "-D", "s3.endpoint.region=us-east-1",
                "--sql-file", script.toString()));
        await("the launcher to give up").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> !jobManager.isAlive());
        System.out.printf("CheckpointRestoreIT: unreachable S3 failed the start after %.1f s%n",
                Duration.between(jobManager.started(), Instant.now()).toMillis() / 1000.0);

        assertThat(jobManager.process().exitValue()).isEqualTo(1);
        String message = Files.readString(cluster.jobManagerTerminationLog());
        assertThat(message)
                .startsWith("cannot choose the restore point: listing the checkpoint directory "
                        + checkpoints + "/" + JOB_ID + " failed: ")
                .contains("127.0.0.1:" + closedPort, "Connection refused")
                .endsWith("Not starting the job, which could otherwise resume from empty or older state.")
                .doesNotContain(LocalFlinkCluster.S3_ACCESS_KEY, LocalFlinkCluster.S3_SECRET_KEY);
        assertThat(jobManager.output())
                .contains("streamjob: cannot choose the restore point: listing the checkpoint directory")
                .doesNotContain(LocalFlinkCluster.S3_ACCESS_KEY, LocalFlinkCluster.S3_SECRET_KEY)
                .doesNotContain("StandaloneApplicationClusterEntryPoint");
    }


    /** The print sink's rows in a TaskManager's output, without the identifier: {@code +U[1, 42]}. */
    private static List<String> printedRows(LauncherProcess taskManager) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : taskManager.output().split("\n")) {
            if (line.startsWith(PRINTED)) {
                rows.add(line.substring(PRINTED.length()).strip());
            }
        }
        return rows;
    }

    private static Optional<Path> newestCompleteCheckpoint(Path jobCheckpoints) throws IOException {
        try (Stream<Path> entries = Files.list(jobCheckpoints)) {
            return entries
                    .filter(path -> path.getFileName().toString().matches("chk-[0-9]+"))
                    .filter(path -> Files.isRegularFile(path.resolve("_metadata")))
                    .max(Comparator.comparingLong(CheckpointRestoreIT::number));
        }
    }

    private static long number(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
    }
}
