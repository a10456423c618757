package dev.streamjob.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.testbed.CommittedRecords;
import dev.streamjob.testbed.OrderBatch;
import dev.streamjob.testbed.OrderGenerator;
import dev.streamjob.testbed.WindowAggregate;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the upgrade test and benchmark share: the test plays the kubelet for the example's runs. It
 * runs the pods of each run as local processes and mirrors them as Pod objects (the operator
 * chooses a new run's restore point only once the old run's pods are gone), ends them when the
 * operator scales the Deployments to zero, and starts the next run's pods once the operator has
 * deployed it. Input is written in chunks at a steady rate while all of this happens.
 */
abstract class UpgradeTestBase extends ExamplePipelineTestBase {

    /** Orders per chunk of the continuous input; one chunk every half second. */
    static final int CHUNK = 50;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    Path work;
    private int runs;
    private int addedTaskManagers;

    /**
     * Edits the spec and follows the operator's steps as the kubelet would, until the new run
     * {@code expectedRun} runs with all its tasks and the operation is over.
     *
     * @return the StreamJob then
     */
    StreamJob changeAndFollow(Consumer<StreamJob> change, int expectedRun) {
        edit(change);
        endRunWhenScaledDown();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            StreamJob job = current();
            Deployment jm = client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-jobmanager").get();
            return job.getStatus().getCurrentRun().number() == expectedRun && jm.getSpec().getReplicas() == 1;
        });
        startRun(currentPods());
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> current().getStatus().getOperation() == null && ready(current()));
        return current();
    }

    /** Waits until the operator scaled the Deployments to zero, then ends the run's processes and Pods. */
    void endRunWhenScaledDown() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-jobmanager").get()
                        .getSpec().getReplicas() == 0);
        endRun();
    }

    /**
     * Writes the rest of {@code batch} after order {@code written}, waits until the expected
     * aggregates are committed and two more checkpoints have completed (anything extra would be
     * committed by then), then asserts that the read_committed output is exactly the batch's
     * aggregates: no order lost, none counted twice.
     *
     * @return the expected aggregates
     * @throws TimeoutException if the expected output is not committed within 3 minutes
     */
    List<WindowAggregate> finishInputAndAssertExactOutput(OrderBatch batch, int written) throws TimeoutException {
        OrderGenerator.produceRange(kafka.bootstrapServers(), batch, written, batch.orders().size());
        List<WindowAggregate> expected = batch.expectedAggregates();
        CommittedRecords.readUntil(kafka.bootstrapServers(), "revenue", values -> values.size() >= expected.size(),
                Duration.ofMinutes(3));
        long seen = awaitCheckpoint(0).id();
        awaitCheckpoint(seen + 1);
        List<WindowAggregate> all = WindowAggregate.fromJson(
                CommittedRecords.readAll(kafka.bootstrapServers(), "revenue", Duration.ofSeconds(60)));
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected.stream().mapToLong(WindowAggregate::orders).sum()).isEqualTo(batch.orders().size());
        return expected;
    }

    /**
     * Plays the kubelet until {@code done}: ends the run's processes and Pods once the operator
     * scaled the JobManager Deployment to zero, and starts the deployed run's pods when it wants
     * them again.
     */
    void followUntil(Duration atMost, BooleanSupplier done) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            Deployment jm = client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-jobmanager").get();
            int replicas = jm.getSpec().getReplicas();
            if (replicas == 0 && flink != null) {
                endRun();
            } else if (replicas > 0 && flink == null) {
                startRun(currentPods());
            }
            return done.getAsBoolean();
        });
    }

    /** Plays the kubelet until the operation is over and run {@code expectedRun} runs with all its tasks. */
    StreamJob followUntilRunning(int expectedRun) {
        followUntil(Duration.ofMinutes(3), () -> {
            StreamJob job = current();
            return job.getStatus().getCurrentRun().number() == expectedRun && job.getStatus().getOperation() == null
                    && ready(job);
        });
        return current();
    }

    /**
     * Reports in the JobManager Pod's status that its container terminated with {@code exitCode},
     * as the kubelet does after a crash (here it is not restarted).
     */
    void reportJobManagerExit(int exitCode) {
        Pod jobManager = client.pods().inNamespace(namespace()).list().getItems().stream()
                .filter(p -> "jobmanager".equals(p.getMetadata().getLabels().get(StreamJobResources.COMPONENT_LABEL)))
                .findFirst().orElseThrow();
        client.pods().inNamespace(namespace()).resource(new PodBuilder(jobManager).withNewStatus().addNewContainerStatus()
                .withName(StreamJobResources.FLINK_CONTAINER).withRestartCount(0).withNewState().withNewTerminated()
                .withExitCode(exitCode).withReason("Error").endTerminated().endState().endContainerStatus().endStatus()
                .build()).updateStatus();
    }

    /**
     * {@code GET <path>} of the running JobManager's REST API, e.g. {@code /jobs/<id>/checkpoints}.
     *
     * @return the JSON answer, or empty if it did not answer 200 within 5 s
     */
    Optional<JsonNode> flinkRest(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + flink.restPort() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    void startRun(ExamplePods pods) {
        runs++;
        flink = pods.start(work.resolve("run-" + runs));
        createPod(pods.jobManager(), pods.jobManager().getMetadata().getName() + "-" + runs);
        // A TaskManager's Pod is named as its process, whose resource id is the pod name (as in a cluster).
        flink.taskManagerNames().forEach(name -> createPod(pods.taskManager(), name));
    }

    private void createPod(Deployment d, String name) {
        client.pods().inNamespace(namespace()).resource(new PodBuilder()
                .withNewMetadata().withName(name)
                .withLabels(d.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .build()).create();
    }

    /**
     * Plays the ReplicaSet for the TaskManager Deployment of the running run: starts a TaskManager
     * (process and Pod) for each replica added, and for each replica removed stops the one whose Pod
     * has the lowest {@code controller.kubernetes.io/pod-deletion-cost}, as Kubernetes does.
     *
     * @return the pod names stopped
     */
    List<String> followTaskManagerReplicas() {
        if (flink == null) {
            return List.of();
        }
        Deployment tm = client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-taskmanager").get();
        int wanted = tm.getSpec().getReplicas();
        List<String> stopped = new ArrayList<>();
        while (flink.taskManagerNames().size() < wanted) {
            String name = tm.getMetadata().getName() + "-" + runs + "-added-" + (++addedTaskManagers);
            flink.addTaskManager(tm, client.configMaps().inNamespace(namespace()).withName("orders-revenue-config").get(), name);
            createPod(tm, name);
        }
        while (flink.taskManagerNames().size() > wanted) {
            String cheapest = flink.taskManagerNames().stream()
                    .min(Comparator.comparingInt(this::deletionCost)).orElseThrow();
            flink.stopTaskManager(cheapest);
            client.pods().inNamespace(namespace()).withName(cheapest).delete();
            stopped.add(cheapest);
        }
        return stopped;
    }

    /** The pod's {@code controller.kubernetes.io/pod-deletion-cost}, 0 when it has none. */
    int deletionCost(String podName) {
        Pod pod = client.pods().inNamespace(namespace()).withName(podName).get();
        String cost = pod == null || pod.getMetadata().getAnnotations() == null ? null
                : pod.getMetadata().getAnnotations().get("controller.kubernetes.io/pod-deletion-cost");
        return cost == null ? 0 : Integer.parseInt(cost);
    }

    void endRun() {
        if (flink != null) {
            flink.close();
            flink = null;
        }
        client.pods().inNamespace(namespace()).delete();
    }

    ExamplePods currentPods() {
        return new ExamplePods(
                client.configMaps().inNamespace(namespace()).withName("orders-revenue-config").get(),
                client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-jobmanager").get(),
                client.apps().deployments().inNamespace(namespace()).withName("orders-revenue-taskmanager").get(),
                List.of(client.secrets().inNamespace(namespace()).withName("s3-credentials").get()));
    }

    void edit(Consumer<StreamJob> change) {
        StreamJob job = current();
        change.accept(job);
        client.resource(job).update();
    }

    /**
     * The continuous input: the batch written in chunks of {@link #CHUNK} orders at a fixed rate,
     * one chunk every half second, from the moment it is created until {@link #stop()}; the rest
     * of the batch is written after the scenario.
     */
    static final class InputFeed implements AutoCloseable {
        private final AtomicInteger written = new AtomicInteger();
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();

        InputFeed(OrderBatch batch) {
            this(batch, 0);
        }

        /** The feed of {@code batch} from order {@code from} on (what an earlier feed wrote is skipped). */
        InputFeed(OrderBatch batch, int from) {
            written.set(from);
            pace.scheduleAtFixedRate(() -> {
                if (failure.get() == null && written.get() + CHUNK < batch.orders().size()) {
                    try {
                        OrderGenerator.produceRange(kafka.bootstrapServers(), batch, written.get(), written.get() + CHUNK);
                        written.addAndGet(CHUNK);
                    } catch (RuntimeException e) {
                        failure.set(e);
                    }
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
        }

        /**
         * Stops after the chunk in flight.
         *
         * @return the number of orders written, all of them committed to Kafka
         * @throws IllegalStateException if a chunk could not be written
         */
        int stop() {
            close();
            if (failure.get() != null) {
                throw new IllegalStateException("the input feed failed", failure.get());
            }
            return written.get();
        }

        @Override
        public void close() {
            pace.shutdown();
            try {
                pace.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }
}
