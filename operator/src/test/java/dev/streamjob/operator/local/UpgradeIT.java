package dev.streamjob.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamjob.operator.api.v1alpha1.JobState;
import dev.streamjob.operator.api.v1alpha1.SavepointInfo;
import dev.streamjob.operator.api.v1alpha1.SavepointTrigger;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.testbed.CommittedRecords;
import dev.streamjob.testbed.OrderBatch;
import dev.streamjob.testbed.OrderGenerator;
import dev.streamjob.testbed.WindowAggregate;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Spec changes of the running example under continuous input, on real Flink, Kafka and S3: a Flink
 * setting (savepoint upgrade), the parallelism (savepoint upgrade to fewer TaskManagers), and a
 * suspend followed by a resume. The test plays the kubelet: it runs the pods of each run as local
 * processes, mirrors them as Pod objects, and ends them when the operator scales the Deployments
 * to zero. After all of it, a read_committed consumer must see exactly the aggregates of the
 * input: no record lost, none duplicated, and windows that span an upgrade counted whole (keyed
 * state carried over).
 */
@QuarkusTest
@TestProfile(LocalFlinkProfile.class)
@WithKubernetesTestServer(crud = true)
class UpgradeIT extends ExamplePipelineTestBase {

    private static final int ORDERS = 12_000;
    private static final int CHUNK = 50;

    private Path work;
    private int runs;

    @Override
    String namespace() {
        return "upgrade";
    }

    @Test
    void upgradesKeepEveryRecordExactlyOnce() throws Exception {
        work = Files.createTempDirectory("upgrade-it");
        // Event times 20 ms apart: 10 s windows of 500 orders, written 100 per second, so windows
        // are open while the job is upgraded.
        OrderBatch batch = OrderGenerator.batch("orders", 2, 23, ORDERS, OrderGenerator.DEFAULT_START, Duration.ofMillis(20));
        ExamplePods pods = createExample("3s");
        startRun(pods);
        AtomicInteger written = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread feeder = new Thread(() -> feed(batch, written, stop), "upgrade-it-feeder");
        try {
            feeder.start();
            awaitReady();

            upgrade("a Flink setting", j -> j.getSpec().getFlinkConfiguration().put("pipeline.auto-watermark-interval", "150ms"), 2);
            upgrade("the parallelism", j -> j.getSpec().getJob().setParallelism(1), 3);
            assertThat(client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-taskmanager").get()
                    .getSpec().getReplicas()).isEqualTo(1);

            Instant suspend = Instant.now();
            edit(j -> j.getSpec().getJob().setState(JobState.SUSPENDED));
            endRunWhenScaledDown();
            await().atMost(Duration.ofMinutes(2)).until(() -> "SUSPENDED".equals(current().getStatus().getJobState()));
            System.out.printf("MEASURED suspend: spec change -> SUSPENDED: %.1f s%n", seconds(suspend));
            assertThat(savepoints().get(0).trigger()).isEqualTo(SavepointTrigger.Suspend);
            upgrade("resume", j -> j.getSpec().getJob().setState(JobState.RUNNING), 4);

            stop.set(true);
            feeder.join(Duration.ofMinutes(1).toMillis());
            assertThat(written.get()).as("orders written during the upgrades").isGreaterThan(ORDERS / 4);
            OrderGenerator.produceRange(kafka.bootstrapServers(), batch, written.get(), ORDERS);

            List<WindowAggregate> expected = batch.expectedAggregates();
            List<WindowAggregate> output = WindowAggregate.fromJson(CommittedRecords.readUntil(kafka.bootstrapServers(),
                    "revenue", values -> values.size() >= expected.size(), Duration.ofMinutes(3)));
            long seen = awaitCheckpoint(0).id();
            awaitCheckpoint(seen + 1);
            List<WindowAggregate> all = WindowAggregate.fromJson(
                    CommittedRecords.readAll(kafka.bootstrapServers(), "revenue", Duration.ofSeconds(60)));
            assertThat(output).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(expected.stream().mapToLong(WindowAggregate::orders).sum()).isEqualTo(ORDERS);

            StreamJob done = current();
            assertThat(done.getStatus().getCurrentRun().number()).isEqualTo(4);
            assertThat(done.getStatus().getCurrentRun().lineage()).isEqualTo(1);
            assertThat(done.getStatus().getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
            assertThat(done.getStatus().getLastFailure()).isNull();
            assertThat(savepoints()).extracting(SavepointInfo::trigger)
                    .containsExactly(SavepointTrigger.Suspend, SavepointTrigger.Upgrade, SavepointTrigger.Upgrade);
        } catch (AssertionError | RuntimeException e) {
            throw withLogs(e);
        } finally {
            stop.set(true);
            endRun();
        }
    }

    /**
     * Edits the spec and plays the kubelet through the operator's steps: the old run's pods end
     * when its Deployments are scaled to zero, the new run's start once the operator deployed it.
     * Prints the downtime: spec change to the new job running with all tasks.
     */
    private void upgrade(String what, Consumer<StreamJob> change, int expectedRun) {
        Instant edited = Instant.now();
        edit(change);
        endRunWhenScaledDown();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            StreamJob job = current();
            Deployment jm = client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-jobmanager").get();
            return job.getStatus().getCurrentRun().number() == expectedRun && jm.getSpec().getReplicas() == 1;
        });
        startRun(currentPods());
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> current().getStatus().getOperation() == null && ready(current()));
        StreamJob job = current();
        System.out.printf("MEASURED upgrade (%s): spec change -> run %d RUNNING with all tasks: %.1f s, restored from %s%n",
                what, expectedRun, seconds(edited), job.getStatus().getRestoredFrom());
        assertThat(job.getStatus().getRestoredFrom()).as("run %d restored from the newest savepoint", expectedRun)
                .isEqualTo(savepoints().get(0).path());
    }

    /** Waits until the operator scaled the Deployments to zero, then ends the run's processes and Pods. */
    private void endRunWhenScaledDown() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-jobmanager").get()
                        .getSpec().getReplicas() == 0);
        endRun();
    }

    private void startRun(ExamplePods pods) {
        runs++;
        flink = pods.start(work.resolve("run-" + runs));
        for (Deployment d : List.of(pods.jobManager(), pods.taskManager())) {
            for (int i = 0; i < d.getSpec().getReplicas(); i++) {
                client.pods().inNamespace(namespace()).resource(new PodBuilder()
                        .withNewMetadata().withName(d.getMetadata().getName() + "-" + runs + "-" + i)
                        .withLabels(d.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                        .build()).create();
            }
        }
    }

    private void endRun() {
        if (flink != null) {
            flink.close();
            flink = null;
        }
        client.pods().inNamespace(namespace()).delete();
    }

    private ExamplePods currentPods() {
        return new ExamplePods(
                client.configMaps().inNamespace(namespace()).withName("orders-revenue-config").get(),
                client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-jobmanager").get(),
                client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-taskmanager").get(),
                List.of(client.secrets().inNamespace(namespace()).withName("s3-credentials").get()));
    }

    private void edit(Consumer<StreamJob> change) {
        StreamJob job = current();
        change.accept(job);
        client.resource(job).update();
    }

    private List<SavepointInfo> savepoints() {
        return current().getStatus().getSavepoints();
    }

    /**
     * Writes the batch in chunks of {@link #CHUNK} orders, one every half second (the input rate),
     * until told to stop; the rest is written after the upgrades.
     */
    private static void feed(OrderBatch batch, AtomicInteger written, AtomicBoolean stop) {
        try {
            while (!stop.get() && written.get() + CHUNK < batch.orders().size()) {
                OrderGenerator.produceRange(kafka.bootstrapServers(), batch, written.get(), written.get() + CHUNK);
                written.addAndGet(CHUNK);
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }
}
