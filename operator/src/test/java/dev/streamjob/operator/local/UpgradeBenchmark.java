package dev.streamjob.operator.local;

import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.UpgradeMode;
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
import org.junit.jupiter.api.Test;

/**
 * Upgrade downtime, measured (a benchmark, not a timed test: it prints figures and asserts only
 * that the output is exactly right). The example runs under a steady input of 100 orders/s with
 * 3 s checkpoints (output commits with each one); the same kind of spec change (a Flink setting) is applied twice in
 * {@code savepoint} mode and twice in {@code last-state} mode. For each upgrade it prints:
 *
 * <ul>
 *   <li>downtime: from the spec change to the new job running with all its tasks;
 *   <li>output gap: the longest time without newly committed output (read_committed) around the
 *       upgrade, next to the median gap in steady state (output commits with each checkpoint).
 * </ul>
 *
 * Run with {@code make bench-upgrade} (not part of {@code make test}). The Flink processes run on
 * this machine, so the figures include their start on shared cores.
 */
@QuarkusTest
@TestProfile(LocalFlinkProfile.class)
@WithKubernetesTestServer(crud = true)
class UpgradeBenchmark extends UpgradeTestBase {

    private static final int ORDERS = 40_000;
    /** Commits of output to wait for after an upgrade (or at the start) before the next measurement. */
    private static final int SETTLE_COMMITS = 8;

    /** One measured upgrade. */
    record Measurement(UpgradeMode mode, int run, double downtimeSeconds, double outputGapSeconds, String restoredFrom) {
    }

    @Override
    String namespace() {
        return "benchmark";
    }

    @Test
    void upgradeDowntime() throws Exception {
        work = Files.createTempDirectory("upgrade-benchmark");
        OrderBatch batch = OrderGenerator.batch("orders", 2, 31, ORDERS, OrderGenerator.DEFAULT_START, Duration.ofMillis(20));
        startRun(createExample("3s"));
        InputFeed feed = new InputFeed(batch);
        OutputWatch output = new OutputWatch(kafka.bootstrapServers(), "revenue", "upgrade-benchmark");
        List<Measurement> measurements = new ArrayList<>();
        try {
            awaitReady();
            Instant steadyFrom = Instant.now();
            output.settle(steadyFrom, SETTLE_COMMITS);
            double steadyGap = output.medianGap(steadyFrom, Instant.now());

            int run = 1;
            String[] intervals = {"150ms", "200ms"};
            for (UpgradeMode mode : List.of(UpgradeMode.SAVEPOINT, UpgradeMode.LAST_STATE)) {
                for (int i = 0; i < 2; i++) {
                    run++;
                    String interval = intervals[(run) % 2];
                    Instant edited = Instant.now();
                    StreamJob job = changeAndFollow(j -> {
                        j.getSpec().getJob().setUpgradeMode(mode);
                        j.getSpec().getFlinkConfiguration().put("pipeline.auto-watermark-interval", interval);
                    }, run);
                    Instant running = Instant.now();
                    output.settle(running, SETTLE_COMMITS);
                    measurements.add(new Measurement(mode, run, Duration.between(edited, running).toMillis() / 1000.0,
                            output.maxGap(edited.minusSeconds(10), Instant.now()), job.getStatus().getRestoredFrom()));
                }
            }

            List<WindowAggregate> expected = finishInputAndAssertExactOutput(batch, feed.stop());

            System.out.printf("%nBENCHMARK upgrade downtime: example job, parallelism 2, 3 s checkpoints, %d orders/s, "
                    + "%d orders in, %d window aggregates out exactly once%n", 2 * CHUNK, ORDERS, expected.size());
            System.out.printf("BENCHMARK steady state: median gap between committed outputs %.1f s%n", steadyGap);
            System.out.printf("BENCHMARK %-10s %4s %12s %14s  %s%n", "mode", "run", "downtime_s", "output_gap_s", "restored from");
            for (Measurement m : measurements) {
                System.out.printf("BENCHMARK %-10s %4d %12.1f %14.1f  %s%n", m.mode() == UpgradeMode.SAVEPOINT ? "savepoint"
                        : "last-state", m.run(), m.downtimeSeconds(), m.outputGapSeconds(), m.restoredFrom());
            }
        } catch (AssertionError | RuntimeException e) {
            throw withLogs(e);
        } finally {
            output.close();
            feed.close();
            endRun();
        }
    }
}
