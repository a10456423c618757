package dev.streamjob.operator.local;

import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.testbed.OrderBatch;
import dev.streamjob.testbed.OrderGenerator;
import dev.streamjob.testbed.WindowAggregate;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Whole-job recovery time, measured (a benchmark, not a timed test: it prints figures and asserts
 * only that the output is exactly right). The example runs under a steady input of 100 orders/s
 * with 2 s checkpoints. Three times each, the JobManager process alone, then every Flink process
 * (a lost node), is killed with SIGKILL, and the test, playing the kubelet, reports the container's
 * exit in the Pod's status at once. For each kill it prints, from the kill:
 *
 * <ul>
 *   <li>detected: the operator recorded the restart ({@code status.operation} type Recover);
 *   <li>stopped: both Deployments scaled to zero (the operator's first action);
 *   <li>deployed: the new run's Deployments scaled up again (restore point chosen);
 *   <li>running: the new run's job runs with all its tasks (Flink's REST API, polled every 100 ms);
 *   <li>checkpoint: the new run completed its first checkpoint.
 * </ul>
 *
 * Run with {@code make bench-recovery} (not part of {@code make test}). The Flink processes run on
 * this machine, so the figures include their start on 2 shared cores. A real kubelet reports a
 * container's exit about a second after it (its pod lifecycle event relist), which this test does not add.
 */
@QuarkusTest
@TestProfile(LocalFlinkProfile.class)
@WithKubernetesTestServer(crud = true)
class RecoveryBenchmark extends UpgradeTestBase {

    private static final int ORDERS = 40_000;
    private static final int REPEAT = 3;

    /** One measured recovery, seconds from the kill. */
    record Measurement(String kill, int run, double detected, double stopped, double deployed, double running,
            double checkpoint) {
    }

    @Override
    String namespace() {
        return "recovery-benchmark";
    }

    @Test
    void recoveryTime() throws Exception {
        work = Files.createTempDirectory("recovery-benchmark");
        OrderBatch batch = OrderGenerator.batch("orders", 2, 37, ORDERS, OrderGenerator.DEFAULT_START, Duration.ofMillis(20));
        startRun(createExample("2s"));
        // Six restarts in a few minutes: no backoff and no budget in the way of the measurement.
        edit(j -> {
            j.getSpec().getRecovery().setMaxRestarts(100);
            j.getSpec().getRecovery().setInitialBackoff("1s");
            j.getSpec().getRecovery().setMaxBackoff("1s");
        });
        InputFeed feed = new InputFeed(batch);
        List<Measurement> measurements = new ArrayList<>();
        try {
            awaitReady();
            int run = 1;
            for (String kill : List.of("jobmanager", "all")) {
                for (int i = 0; i < REPEAT; i++) {
                    awaitCheckpoint(current().getStatus().getLastCheckpoint() == null ? 1
                            : current().getStatus().getLastCheckpoint().id() + 1);
                    run++;
                    measurements.add(measure(kill, run));
                }
            }

            int written = feed.stop();
            List<WindowAggregate> expected = finishInputAndAssertExactOutput(batch, written);

            System.out.printf("%nBENCHMARK recovery: example job, parallelism 2, 2 s checkpoints, %d orders/s, "
                    + "%d orders in, %d window aggregates out exactly once%n", 2 * CHUNK, ORDERS, expected.size());
            System.out.printf("BENCHMARK seconds from the kill (SIGKILL) to each step%n");
            System.out.printf("BENCHMARK %-11s %4s %9s %8s %9s %8s %11s%n", "killed", "run", "detected", "stopped",
                    "deployed", "running", "checkpoint");
            for (Measurement m : measurements) {
                System.out.printf("BENCHMARK %-11s %4d %9.2f %8.2f %9.2f %8.2f %11.2f%n", m.kill(), m.run(), m.detected(),
                        m.stopped(), m.deployed(), m.running(), m.checkpoint());
            }
            for (String kill : List.of("jobmanager", "all")) {
                List<Measurement> of = measurements.stream().filter(m -> m.kill().equals(kill)).toList();
                System.out.printf("BENCHMARK %-11s mean detected %.2f s, mean running again %.1f s (n=%d)%n", kill,
                        of.stream().mapToDouble(Measurement::detected).average().orElseThrow(),
                        of.stream().mapToDouble(Measurement::running).average().orElseThrow(), of.size());
            }
        } catch (AssertionError | RuntimeException e) {
            throw withLogs(e);
        } finally {
            feed.close();
            endRun();
        }
    }

    /** Kills, follows the recovery as the kubelet, and times each step. */
    private Measurement measure(String kill, int expectedRun) {
        Instant killed = Instant.now();
        if (kill.equals("all")) {
            flink.kill();
        } else {
            flink.jobManager().kill();
        }
        reportJobManagerExit(137);
        double[] at = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        followUntil(Duration.ofMinutes(3), () -> {
            StreamJob job = current();
            var op = job.getStatus().getOperation();
            int jm = client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-jobmanager").get()
                    .getSpec().getReplicas();
            boolean newRun = job.getStatus().getCurrentRun().number() == expectedRun;
            mark(at, 0, killed, op != null || newRun);
            mark(at, 1, killed, jm == 0 || newRun);
            mark(at, 2, killed, newRun && jm > 0);
            mark(at, 3, killed, newRun && flink != null && allTasksRunning(job.getStatus().getCurrentRun().jobId()));
            mark(at, 4, killed, newRun && !Double.isNaN(at[3]) && job.getStatus().getLastCheckpoint() != null
                    && job.getStatus().getLastCheckpoint().path().contains(job.getStatus().getCurrentRun().jobId()));
            return !Double.isNaN(at[4]) && op == null;
        });
        return new Measurement(kill, expectedRun, at[0], at[1], at[2], at[3], at[4]);
    }

    private static void mark(double[] at, int step, Instant since, boolean reached) {
        if (reached && Double.isNaN(at[step])) {
            at[step] = seconds(since);
        }
    }

    /** Whether the JobManager's REST API reports the job running with all its tasks. */
    private boolean allTasksRunning(String jobId) {
        return flinkRest("/jobs/" + jobId).map(job -> "RUNNING".equals(job.path("state").asText())
                && StreamSupport.stream(job.path("vertices").spliterator(), false)
                        .allMatch(v -> "RUNNING".equals(v.path("status").asText())))
                .orElse(false);
    }
}
