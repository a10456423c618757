package dev.streamjob.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.operator.api.v1alpha1.Rescale;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.testbed.OrderBatch;
import dev.streamjob.testbed.OrderGenerator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * In-place rescaling of the running example under continuous input, on real Flink (adaptive
 * scheduler), Kafka and S3: parallelism 2 to 1 and back to 2, by editing spec.job.parallelism. The
 * test plays the kubelet and the ReplicaSet: it starts a TaskManager for each replica the operator
 * adds and, for each it removes, stops the one Kubernetes would (lowest pod-deletion-cost). Every
 * rescale must keep the run (same Flink job, no savepoint), remove only a TaskManager that runs no
 * task, and in the end the read_committed output must be exactly the input's aggregates.
 */
@QuarkusTest
@TestProfile(LocalFlinkProfile.class)
@WithKubernetesTestServer(crud = true)
class RescaleIT extends UpgradeTestBase {

    private static final int ORDERS = 9_000;

    @Override
    String namespace() {
        return "rescale";
    }

    @Test
    void rescalesInPlaceUpAndDownWithoutLosingOrDuplicatingARecord() throws Exception {
        work = Files.createTempDirectory("rescale-it");
        OrderBatch batch = OrderGenerator.batch("orders", 2, 29, ORDERS, OrderGenerator.DEFAULT_START, Duration.ofMillis(20));
        ExamplePods pods = createExample("3s");
        startRun(pods);
        InputFeed feed = new InputFeed(batch);
        try {
            awaitReady();
            awaitCheckpoint(1);
            String jobId = current().getStatus().getCurrentRun().jobId();

            List<String> removed = rescale(1);
            assertThat(removed).hasSize(1);
            awaitCheckpoint(current().getStatus().getLastCheckpoint().id() + 1);
            assertThat(rescale(2)).isEmpty();
            awaitCheckpoint(current().getStatus().getLastCheckpoint().id() + 1);

            int written = feed.stop();
            assertThat(written).as("orders written during the rescales").isGreaterThan(ORDERS / 5);
            finishInputAndAssertExactOutput(batch, written);

            StreamJob done = current();
            assertThat(done.getStatus().getCurrentRun().number()).as("no new run").isEqualTo(1);
            assertThat(done.getStatus().getCurrentRun().jobId()).isEqualTo(jobId);
            assertThat(done.getStatus().getSavepoints()).as("no savepoint taken").isEmpty();
            assertThat(done.getStatus().getParallelism()).isEqualTo(2);
            assertThat(done.getStatus().getLastFailure()).isNull();
            assertThat(flink.taskManagerNames()).hasSize(2);
            System.out.printf("MEASURED rescale: %d orders in, exact output after in-place rescales 2 -> 1 -> 2%n", ORDERS);
        } catch (AssertionError | RuntimeException e) {
            throw withLogs(e);
        } finally {
            feed.close();
            endRun();
        }
    }

    /**
     * Sets the parallelism and plays the ReplicaSet until the operator reports the in-place
     * rescale done; checks that a removed TaskManager ran no task when it was stopped.
     *
     * @return the TaskManager pods stopped
     */
    private List<String> rescale(int parallelism) {
        int from = current().getStatus().getParallelism();
        Instant edited = Instant.now();
        edit(j -> j.getSpec().getJob().setParallelism(parallelism));
        List<String> stopped = new ArrayList<>();
        followUntil(Duration.ofMinutes(3), () -> {
            Set<String> busy = taskManagersRunningTasks();
            for (String pod : List.copyOf(flink.taskManagerNames())) {
                if (!flink.taskManagerNames().isEmpty() && deletionCost(pod) < 0) {
                    assertThat(busy).as("a TaskManager about to be removed runs no task").doesNotContain(pod);
                }
            }
            stopped.addAll(followTaskManagerReplicas());
            StreamJob job = current();
            Rescale last = job.getStatus().getLastRescale();
            return job.getStatus().getOperation() == null && last != null && last.to() == parallelism
                    && last.completedAt() != null && ready(job)
                    && flink.taskManagerNames().size() == parallelism;
        });
        Rescale last = current().getStatus().getLastRescale();
        assertThat(last.path()).isEqualTo(Rescale.IN_PLACE);
        assertThat(last.from()).isEqualTo(from);
        System.out.printf("MEASURED in-place rescale %d -> %d: spec change -> all tasks RUNNING at %d: %.1f s"
                + " (operator: %d s)%n", from, parallelism, parallelism, seconds(edited), last.seconds());
        return stopped;
    }

    /** The TaskManagers (resource ids = pod names) that run a subtask of the job now. */
    private Set<String> taskManagersRunningTasks() {
        Set<String> busy = new TreeSet<>();
        String jobId = current().getStatus().getCurrentRun().jobId();
        flinkRest("/jobs/" + jobId).ifPresent(job -> job.path("vertices").forEach(v ->
                flinkRest("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers").ifPresent(tms ->
                        tms.path("taskmanagers").forEach(tm -> busy.add(tm.path("taskmanager-id").asText())))));
        return busy;
    }
}
