package dev.streamjob.operator.local;

import static org.awaitility.Awaitility.await;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * In-place versus savepoint rescaling, measured (a benchmark, not a timed test: it prints figures
 * and asserts only that the output is exactly right). The example runs under a steady input of
 * 100 orders/s with 3 s checkpoints (output commits with each one) and is rescaled 2 -> 1 -> 2 -> 1
 * -> 2 by editing spec.job.parallelism: first with the adaptive scheduler (the operator rescales in
 * place), then, on fresh topics, with {@code jobmanager.scheduler: default}, which rules in-place
 * out so every rescale takes the savepoint path (stop-with-savepoint, new run). For each rescale:
 *
 * <ul>
 *   <li>time to the new parallelism: from the spec change until status reports the rescale
 *       done (every vertex RUNNING at the new parallelism);
 *   <li>output gap: the longest time without newly committed output (read_committed) around the
 *       rescale, next to the median gap in steady state.
 * </ul>
 *
 * Run with {@code make bench-rescale} (not part of {@code make test}). The Flink processes run on
 * this machine, so the figures include TaskManager and (savepoint path) JobManager starts on
 * shared cores.
 */
@QuarkusTest
@TestProfile(LocalFlinkProfile.class)
@WithKubernetesTestServer(crud = true)
class RescaleBenchmark extends UpgradeTestBase {

    /** Enough for the input to last the whole phase at 100 orders/s; the rest is written at the end. */
    private static final int ORDERS = 60_000;
    private static final int SETTLE_COMMITS = 6;
    private static final int[] PARALLELISMS = {1, 2, 1, 2};

    /** One measured rescale. */
    record Measurement(String path, int from, int to, double secondsToParallelism, double outputGapSeconds) {
    }

    private String namespace = "rescale-in-place";

    @Override
    String namespace() {
        return namespace;
    }

    @Test
    void inPlaceVersusSavepointRescale() throws Exception {
        List<Measurement> measurements = new ArrayList<>();
        Map<String, Double> steadyGaps = new LinkedHashMap<>();
        for (String path : List.of(Rescale.IN_PLACE, Rescale.SAVEPOINT)) {
            namespace = "rescale-" + path.toLowerCase();
            if (path.equals(Rescale.SAVEPOINT)) {
                freshTopics();
            }
            measurements.addAll(measure(path, steadyGaps));
        }

        System.out.printf("%nBENCHMARK rescale: example job, 3 s checkpoints, %d orders/s, %d orders per path in, "
                + "exact output after each path%n", 2 * CHUNK, ORDERS);
        steadyGaps.forEach((path, gap) -> System.out.printf(
                "BENCHMARK steady state (%s): median gap between committed outputs %.1f s%n", path, gap));
        System.out.printf("BENCHMARK %-10s %5s %16s %14s%n", "path", "from>to", "to_parallelism_s", "output_gap_s");
        for (Measurement m : measurements) {
            System.out.printf("BENCHMARK %-10s %5s %16.1f %14.1f%n", m.path(), m.from() + ">" + m.to(),
                    m.secondsToParallelism(), m.outputGapSeconds());
        }
        for (String what : List.of("to_parallelism_s", "output_gap_s")) {
            double inPlace = mean(measurements, Rescale.IN_PLACE, what);
            double savepoint = mean(measurements, Rescale.SAVEPOINT, what);
            System.out.printf("BENCHMARK mean %-16s in-place %.1f, savepoint %.1f, in-place/savepoint %.2f%n", what,
                    inPlace, savepoint, inPlace / savepoint);
        }
    }

    /** Runs the example with the given rescale path and measures its rescales. */
    private List<Measurement> measure(String path, Map<String, Double> steadyGaps) throws Exception {
        work = Files.createTempDirectory("rescale-benchmark");
        OrderBatch batch = OrderGenerator.batch("orders", 2, 37, ORDERS, OrderGenerator.DEFAULT_START, Duration.ofMillis(20));
        startRun(createExample("3s", j -> {
            if (path.equals(Rescale.SAVEPOINT)) {
                j.getSpec().getFlinkConfiguration().put("jobmanager.scheduler", "default");
            }
        }));
        InputFeed feed = new InputFeed(batch);
        OutputWatch output = new OutputWatch(kafka.bootstrapServers(), "revenue", "rescale-benchmark-" + path);
        List<Measurement> measurements = new ArrayList<>();
        try {
            awaitReady();
            Instant steadyFrom = Instant.now();
            output.settle(steadyFrom, SETTLE_COMMITS);
            steadyGaps.put(path, output.medianGap(steadyFrom, Instant.now()));
            for (int to : PARALLELISMS) {
                int from = current().getStatus().getParallelism();
                Instant edited = Instant.now();
                edit(j -> j.getSpec().getJob().setParallelism(to));
                followUntil(Duration.ofMinutes(3), () -> {
                    followTaskManagerReplicas();
                    StreamJob job = current();
                    Rescale last = job.getStatus().getLastRescale();
                    return last != null && last.to() == to && last.completedAt() != null
                            && Instant.parse(last.startedAt()).plusSeconds(1).isAfter(edited)
                            && job.getStatus().getOperation() == null && ready(job)
                            && job.getStatus().getParallelism() == to;
                });
                Instant reached = Instant.now();
                String taken = current().getStatus().getLastRescale().path();
                if (!taken.equals(path)) {
                    throw new AssertionError("rescale " + from + " -> " + to + " took the " + taken + " path, not " + path);
                }
                output.settle(reached, SETTLE_COMMITS);
                Measurement m = new Measurement(path, from, to, Duration.between(edited, reached).toMillis() / 1000.0,
                        output.maxGap(edited.minusSeconds(10), Instant.now()));
                System.out.printf("MEASURED %s rescale %d -> %d: new parallelism after %.1f s, output gap %.1f s%n",
                        path, from, to, m.secondsToParallelism(), m.outputGapSeconds());
                measurements.add(m);
            }
            int written = feed.stop();
            finishInputAndAssertExactOutput(batch, written);
            return measurements;
        } catch (AssertionError | RuntimeException e) {
            throw withLogs(e);
        } finally {
            output.close();
            feed.close();
            endRun();
            client.resources(StreamJob.class).inNamespace(namespace).delete();
        }
    }

    /** Deletes and recreates the example's topics, so the next path's output can be checked exactly. */
    private static void freshTopics() throws Exception {
        try (var admin = kafka.admin()) {
            admin.deleteTopics(List.of("orders", "revenue")).all().get();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> admin.listTopics().names().get().stream().noneMatch(Set.of("orders", "revenue")::contains));
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> {
                        admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1), new NewTopic("revenue", 1, (short) 1)))
                                .all().get();
                        return true;
                    });
        }
    }

    private static double mean(List<Measurement> measurements, String path, String what) {
        return measurements.stream().filter(m -> m.path().equals(path))
                .mapToDouble(m -> what.equals("output_gap_s") ? m.outputGapSeconds() : m.secondsToParallelism())
                .average().orElse(Double.NaN);
    }
}
