package dev.streamjob.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamjob.operator.api.v1alpha1.OperationPhase;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.testbed.OrderBatch;
import dev.streamjob.testbed.OrderGenerator;
import dev.streamjob.testbed.PodProcess;
import dev.streamjob.testbed.WindowAggregate;
import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Failures of the running example under continuous input, on real Flink, Kafka and S3, one after
 * the other: every Flink process killed in the middle of a checkpoint, killed again during an
 * upgrade's stop-with-savepoint, the S3 store not answering for longer than the checkpoint interval, and
 * the Kafka broker restarted. The test plays the kubelet: it runs the pods of each run as local
 * processes, reports a killed JobManager container with exit code 137 in its Pod's status, ends
 * a run's processes when the operator scales its Deployments to zero and starts the next run's
 * once the operator deploys it. At the end a read_committed consumer must see exactly the
 * aggregates of the input: no order lost, none counted twice, windows spanning the failures whole.
 */
@QuarkusTest
@TestProfile(LocalFlinkProfile.class)
@WithKubernetesTestServer(crud = true)
class RecoveryChaosIT extends UpgradeTestBase {

    private static final int ORDERS = 30_000;
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    @Override
    String namespace() {
        return "chaos";
    }

    @Test
    void noRecordIsLostOrDuplicatedThroughKillsAStoreOutageAndABrokerRestart() throws Exception {
        work = Files.createTempDirectory("recovery-chaos-it");
        // Event times 20 ms apart: 10 s windows of 500 orders, written 100 per second.
        OrderBatch batch = OrderGenerator.batch("orders", 2, 29, ORDERS, OrderGenerator.DEFAULT_START, Duration.ofMillis(20));
        startRun(createExample(CHECKPOINT_INTERVAL.toSeconds() + "s"));
        InputFeed feed = new InputFeed(batch);
        try {
            awaitReady();
            killDuringACheckpoint();
            killDuringAnUpgradesSavepoint();
            storeOutage();
            feed = brokerRestart(feed, batch);

            int written = feed.stop();
            assertThat(written).as("orders written during the failures").isGreaterThan(ORDERS / 5);
            List<WindowAggregate> expected = finishInputAndAssertExactOutput(batch, written);
            // Checkpoint hygiene: of the crashed and replaced runs only the current run's restore point is left.
            StreamJob done = current();
            String checkpoints = namespace() + "/orders-revenue/checkpoints/";
            String restoredFrom = done.getStatus().getCurrentRun().restorePath();
            assertThat(s3.listObjects(BUCKET, checkpoints)).filteredOn(key -> key.endsWith("/_metadata"))
                    .isNotEmpty()
                    .allSatisfy(key -> assertThat(key.startsWith(checkpoints + done.getStatus().getCurrentRun().jobId() + "/")
                            || ("s3://" + BUCKET + "/" + key).equals(restoredFrom + "/_metadata"))
                            .as("%s is of run %s or its restore point %s", key, done.getStatus().getCurrentRun().jobId(),
                                    restoredFrom).isTrue());
            System.out.printf("MEASURED chaos: %d orders in, %d window aggregates out, exactly as expected; "
                    + "%d operator restarts, current run %d%n", ORDERS, expected.size(),
                    done.getStatus().getRestarts().count(), done.getStatus().getCurrentRun().number());
        } catch (AssertionError | RuntimeException e) {
            throw withLogs(e);
        } finally {
            feed.close();
            endRun();
        }
    }

    /**
     * One TaskManager is frozen (SIGSTOP), so a checkpoint triggered after that cannot complete;
     * once the other TaskManager has acknowledged its part of one, every process is killed. The
     * operator must restart the whole job from the newest complete checkpoint, not the partial one.
     */
    private void killDuringACheckpoint() throws Exception {
        String jobId = current().getStatus().getCurrentRun().jobId();
        awaitOwnCheckpoint(jobId);
        long frozenAt = Instant.now().toEpochMilli();
        freeze(flink.taskManagers().get(0));
        JsonNode inFlight = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> inProgressCheckpoint(jobId), c -> c != null && c.path("trigger_timestamp").asLong() > frozenAt
                        && c.path("num_acknowledged_subtasks").asInt() > 0);
        long partial = inFlight.path("id").asLong();
        Instant killed = killEverything();
        long newestComplete = newestCompleteInStore(jobId);

        StreamJob recovered = followUntilRunning(2);
        System.out.printf("MEASURED killed during checkpoint %d -> run 2 RUNNING with all tasks: %.1f s%n", partial,
                seconds(killed));
        assertThat(recovered.getStatus().getCurrentRun().restorePath())
                .isEqualTo("s3://" + BUCKET + "/" + namespace() + "/orders-revenue/checkpoints/" + jobId + "/chk-" + newestComplete);
        assertThat(newestComplete).isPositive().isLessThan(partial);
        assertThat(s3.listObjects(BUCKET, namespace() + "/orders-revenue/checkpoints/" + jobId + "/chk-" + partial + "/"))
                .as("the partial checkpoint").noneMatch(key -> key.endsWith("/_metadata"));
        assertThat(recovered.getStatus().getRestarts().count()).isEqualTo(1);
        assertThat(recovered.getStatus().getRestarts().lastReason()).isEqualTo("JobManagerFailed");
    }

    /**
     * A TaskManager is frozen so the upgrade's stop-with-savepoint cannot complete, then every
     * process is killed. The upgrade must go on without the savepoint, from the newest complete
     * checkpoint of the run.
     */
    private void killDuringAnUpgradesSavepoint() throws Exception {
        String jobId = current().getStatus().getCurrentRun().jobId();
        awaitOwnCheckpoint(jobId);
        freeze(flink.taskManagers().get(1));
        edit(j -> j.getSpec().getFlinkConfiguration().put("pipeline.auto-watermark-interval", "150ms"));
        await().atMost(Duration.ofSeconds(30)).until(() -> current().getStatus().getOperation() != null
                && current().getStatus().getOperation().phase() == OperationPhase.SavepointInProgress);
        Instant killed = killEverything();
        long newestComplete = newestCompleteInStore(jobId);

        StreamJob upgraded = followUntilRunning(3);
        System.out.printf("MEASURED killed during the upgrade's savepoint -> run 3 RUNNING with all tasks: %.1f s%n",
                seconds(killed));
        assertThat(newestComplete).isPositive();
        assertThat(upgraded.getStatus().getCurrentRun().restorePath())
                .isEqualTo("s3://" + BUCKET + "/" + namespace() + "/orders-revenue/checkpoints/" + jobId + "/chk-" + newestComplete);
        assertThat(upgraded.getStatus().getCurrentRun().generation()).isEqualTo(upgraded.getMetadata().getGeneration());
        assertThat(upgraded.getStatus().getSavepoints()).as("no savepoint completed").isEmpty();
        assertThat(events("SavepointFailed")).anySatisfy(e -> assertThat(e.getMessage())
                .contains("failed during its stop-with-savepoint"));
    }

    /** Waits until status records a completed checkpoint of the run itself (not the one it restored). */
    private void awaitOwnCheckpoint(String jobId) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var last = current().getStatus().getLastCheckpoint();
            return last != null && last.path().contains("/" + jobId + "/");
        });
    }

    /**
     * The id of the run's newest checkpoint with {@code _metadata} in S3 (-1: none). Read after a
     * kill, when no process can complete another; Flink's REST API caches checkpoint statistics
     * for a few seconds, so it may not show the newest yet.
     */
    private long newestCompleteInStore(String jobId) {
        String prefix = namespace() + "/orders-revenue/checkpoints/" + jobId + "/chk-";
        return s3.listObjects(BUCKET, prefix).stream().filter(key -> key.endsWith("/_metadata"))
                .mapToLong(key -> Long.parseLong(key.substring(prefix.length(), key.length() - "/_metadata".length())))
                .max().orElse(-1);
    }

    /**
     * S3 stops answering (frozen with SIGSTOP: connections are accepted, nothing answers, as in a
     * network partition) for at least five checkpoint intervals with no checkpoint completed, then
     * comes back with its data. The job must run again and complete checkpoints.
     */
    private void storeOutage() throws Exception {
        String jobId = current().getStatus().getCurrentRun().jobId();
        awaitOwnCheckpoint(jobId);
        Duration outage = CHECKPOINT_INTERVAL.multipliedBy(5);
        Instant down = Instant.now();
        s3.freeze();
        // At least five checkpoint intervals, during which Flink indeed completed no checkpoint.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> Instant.now().isAfter(down.plus(outage)) && noCheckpointCompletedFor(jobId, outage));
        s3.thaw();
        System.out.printf("MEASURED S3 down for %.1f s; Flink counted %d failed checkpoints%n", seconds(down),
                checkpoints(jobId).path("counts").path("failed").asLong());
        Instant up = Instant.now();
        long before = current().getStatus().getLastCheckpoint().id();
        int run = current().getStatus().getCurrentRun().number();
        followUntil(Duration.ofMinutes(4), () -> {
            StreamJob job = current();
            return ready(job) && job.getStatus().getOperation() == null && job.getStatus().getLastCheckpoint() != null
                    && (job.getStatus().getCurrentRun().number() > run || job.getStatus().getLastCheckpoint().id() > before);
        });
        System.out.printf("MEASURED S3 back -> job RUNNING with a new checkpoint: %.1f s (run %d)%n", seconds(up),
                current().getStatus().getCurrentRun().number());
    }

    /**
     * The Kafka broker is stopped and started again with its data, the input paused meanwhile (no
     * producer can write to a broker that is down). The job must run again and keep committing.
     *
     * @return the feed of the rest of the input
     */
    private InputFeed brokerRestart(InputFeed feed, OrderBatch batch) {
        int written = feed.stop();
        Instant restarted = Instant.now();
        kafka.restart();
        InputFeed resumed = new InputFeed(batch, written);
        long before = current().getStatus().getLastCheckpoint().id();
        int run = current().getStatus().getCurrentRun().number();
        followUntil(Duration.ofMinutes(4), () -> {
            StreamJob job = current();
            return ready(job) && job.getStatus().getOperation() == null
                    && (job.getStatus().getCurrentRun().number() > run || job.getStatus().getLastCheckpoint().id() > before + 1);
        });
        System.out.printf("MEASURED Kafka broker restarted -> job RUNNING with new checkpoints: %.1f s (run %d)%n",
                seconds(restarted), current().getStatus().getCurrentRun().number());
        return resumed;
    }

    /** Kills every Flink process with SIGKILL and reports the JobManager container's exit as the kubelet would. */
    private Instant killEverything() {
        Instant killed = Instant.now();
        flink.kill();
        reportJobManagerExit(137);
        return killed;
    }

    /** Stops a process with SIGSTOP: it holds its sockets but answers nothing, as a hung JVM would. */
    private static void freeze(PodProcess process) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-STOP", String.valueOf(process.pid())).inheritIO().start().waitFor();
        assertThat(exit).as("kill -STOP %d", process.pid()).isZero();
    }

    /** {@code GET /jobs/:jobid/checkpoints} of the running JobManager. */
    private JsonNode checkpoints(String jobId) {
        return flinkRest("/jobs/" + jobId + "/checkpoints")
                .orElseThrow(() -> new AssertionError("no checkpoint statistics of job " + jobId));
    }

    /** The checkpoint in progress, or null. */
    private JsonNode inProgressCheckpoint(String jobId) {
        for (JsonNode c : checkpoints(jobId).path("history")) {
            if ("IN_PROGRESS".equals(c.path("status").asText())) {
                return c;
            }
        }
        return null;
    }

    /** Whether the newest checkpoint the JobManager completed was acknowledged longer than {@code period} ago. */
    private boolean noCheckpointCompletedFor(String jobId, Duration period) {
        long lastAck = checkpoints(jobId).path("latest").path("completed").path("latest_ack_timestamp").asLong();
        return Instant.ofEpochMilli(lastAck).plus(period).isBefore(Instant.now());
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace(namespace()).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }
}
