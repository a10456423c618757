package dev.streamjob.operator.autoscaler;

import dev.streamjob.operator.api.v1alpha1.AutoscalerSpec;
import dev.streamjob.operator.api.v1alpha1.AutoscalerStatus;
import dev.streamjob.operator.api.v1alpha1.KafkaLag;
import dev.streamjob.operator.api.v1alpha1.Rescale;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.StreamJobStatus;
import dev.streamjob.operator.flink.JobDetails;
import dev.streamjob.operator.kafka.KafkaLagObserver;
import dev.streamjob.operator.model.Durations;
import dev.streamjob.operator.observer.ObservedState;
import dev.streamjob.operator.status.ConditionType;
import dev.streamjob.operator.status.Reason;
import dev.streamjob.operator.status.StatusEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs the lag-based autoscaler of StreamJobs that have {@code spec.autoscaler}: at each fresh
 * Kafka lag reading it takes a {@link Autoscaler.Sample} (the lag, the offset sums, the job
 * vertices' accumulated busy time), asks {@link Autoscaler#decide} and, when the decision is to rescale, writes
 * {@code spec.job.parallelism}, the field the scale subresource maps to, exactly as
 * {@code kubectl scale} would. The planner then rescales like after any edit (in place when it
 * can). Samples are kept in memory, pruned to the metric window, and dropped whenever the job is
 * not steady (an operation in flight, not Ready), since rates measured across a rescale or a
 * restart say nothing about capacity. A restarted operator starts a fresh window; the
 * recommendations of the stabilization window are in status and survive it.
 */
@ApplicationScoped
public class LagAutoscaler {

    private static final Logger LOG = Logger.getLogger(LagAutoscaler.class);

    private final Map<String, Deque<Autoscaler.Sample>> samples = new ConcurrentHashMap<>();

    /**
     * Evaluates the autoscaler for one reconcile and fills {@code status.autoscaler}.
     *
     * @param status the status being computed (its conditions and lastRescale are final)
     * @param lag this reconcile's Kafka lag outcome; only a fresh {@code Read} is a new sample
     * @param observed the cluster as observed in this reconcile
     * @return the event to record when spec.job.parallelism was changed
     */
    public Optional<StatusEvent> evaluate(StreamJob job, StreamJobStatus status, KafkaLagObserver.Outcome lag,
            ObservedState observed, KubernetesClient client, Instant now) {
        AutoscalerSpec spec = job.getSpec().getAutoscaler();
        String uid = job.getMetadata().getUid();
        AutoscalerStatus before = job.getStatus() == null ? null : job.getStatus().getAutoscaler();
        if (spec == null) {
            samples.remove(uid);
            status.setAutoscaler(null);
            return Optional.empty();
        }
        status.setAutoscaler(before);
        if (!steady(status, observed)) {
            samples.remove(uid);
            return Optional.empty();
        }
        if (!(lag instanceof KafkaLagObserver.Read read)) {
            return Optional.empty();
        }
        Deque<Autoscaler.Sample> window = samples.computeIfAbsent(uid, u -> new ArrayDeque<>());
        Duration metricWindow = Durations.parse(spec.getMetricWindow());
        // JOSDK reconciles one StreamJob at a time, so its window is never used concurrently.
        window.addLast(sample(read, observed));
        while (!window.isEmpty() && window.peekFirst().time().isBefore(now.minus(metricWindow))) {
            window.removeFirst();
        }
        int current = status.getParallelism();
        List<Autoscaler.Recommendation> history = Optional.ofNullable(before)
                .map(AutoscalerStatus::recommendations).orElse(List.of()).stream()
                .map(r -> new Autoscaler.Recommendation(Instant.parse(r.time()), r.parallelism())).toList();
        Autoscaler.Decision decision = Autoscaler.decide(spec, current, List.copyOf(window), history, lastRescale(status), now);
        LOG.debugf("StreamJob %s/%s: autoscaler %s: %s", job.getMetadata().getNamespace(), job.getMetadata().getName(),
                decision.reason(), decision.message());
        AutoscalerStatus.AutoscalerDecision recorded = record(decision, now);
        AutoscalerStatus next = new AutoscalerStatus(recorded, before == null ? null : before.lastScale(),
                decision.history().stream().map(r -> new AutoscalerStatus.Recommendation(time(r.time()), r.parallelism()))
                        .toList());
        status.setAutoscaler(next);
        if (decision.scaleTo().isEmpty()) {
            return Optional.empty();
        }
        int target = decision.scaleTo().getAsInt();
        try {
            scale(job, target, client);
        } catch (KubernetesClientException e) {
            // A concurrent edit (resourceVersion conflict) or an API error: the next reading decides again.
            LOG.infof("StreamJob %s/%s: the autoscaler could not set the parallelism to %d: %s",
                    job.getMetadata().getNamespace(), job.getMetadata().getName(), target, e.getMessage());
            return Optional.empty();
        }
        samples.remove(uid); // rates at the old parallelism say nothing about the new one
        status.setAutoscaler(new AutoscalerStatus(recorded, recorded, next.recommendations()));
        LOG.infof("StreamJob %s/%s: autoscaler: %s", job.getMetadata().getNamespace(), job.getMetadata().getName(),
                decision.message());
        return Optional.of(new StatusEvent(false, Reason.Autoscaled.name(), decision.reason() + ": parallelism "
                + current + " -> " + target + "; " + decision.message()));
    }

    /** Forgets a deleted StreamJob. */
    public void forget(StreamJob job) {
        samples.remove(job.getMetadata().getUid());
    }

    /** Steady: Ready, no operation in flight, the job observed with all its tasks. */
    private static boolean steady(StreamJobStatus status, ObservedState observed) {
        boolean ready = status.getConditions().stream()
                .anyMatch(c -> ConditionType.Ready.name().equals(c.getType()) && "True".equals(c.getStatus()));
        return ready && status.getOperation() == null && observed.jobHealthy() && status.getParallelism() != null
                && status.getParallelism() > 0;
    }

    /**
     * A sample at the time of the lag reading: its offset sums, and the vertices' accumulated busy
     * time from the job details this reconcile observed (no extra call to Flink).
     */
    private static Autoscaler.Sample sample(KafkaLagObserver.Read read, ObservedState observed) {
        long end = 0;
        long committed = 0;
        for (KafkaLag.TopicLag t : read.lag().topics()) {
            end += t.endOffsets() == null ? 0 : t.endOffsets();
            committed += t.committedOffsets() == null ? 0 : t.committedOffsets();
        }
        Map<String, Autoscaler.BusyTime> busy = new HashMap<>();
        if (observed.flink() instanceof ObservedState.Job j) {
            for (JobDetails.Vertex v : j.details().vertices()) {
                busy.put(v.id(), new Autoscaler.BusyTime(v.accumulatedBusyTimeMs(), v.parallelism()));
            }
        }
        return new Autoscaler.Sample(read.at(), read.lag().records(), end, committed, busy);
    }

    /**
     * Writes spec.job.parallelism (the scale subresource's specReplicasPath) with a JSON merge
     * patch carrying the resourceVersion the decision was made on, so a concurrent edit wins
     * rather than being overwritten.
     */
    private static void scale(StreamJob job, int parallelism, KubernetesClient client) {
        String patch = "{\"metadata\":{\"resourceVersion\":\"" + job.getMetadata().getResourceVersion()
                + "\"},\"spec\":{\"job\":{\"parallelism\":" + parallelism + "}}}";
        client.resources(StreamJob.class).inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** When the last rescale ended (or started, while it runs), for the cooldown. */
    private static Optional<Instant> lastRescale(StreamJobStatus status) {
        Rescale last = status.getLastRescale();
        if (last == null) {
            return Optional.empty();
        }
        String at = last.completedAt() != null ? last.completedAt() : last.startedAt();
        return Optional.ofNullable(at).map(Instant::parse);
    }

    private static AutoscalerStatus.AutoscalerDecision record(Autoscaler.Decision d, Instant now) {
        var inputs = d.inputs();
        return new AutoscalerStatus.AutoscalerDecision(time(now), d.reason().name(), d.current(), d.recommended(),
                d.scaleTo().isPresent() ? d.scaleTo().getAsInt() : null,
                inputs.map(Autoscaler.Inputs::lagRecords).orElse(null),
                inputs.map(i -> round(i.inputRate())).orElse(null),
                inputs.map(i -> round(i.processingRate())).orElse(null),
                inputs.flatMap(i -> i.busyRatio().isPresent() ? Optional.of(round(i.busyRatio().getAsDouble())) : Optional.empty())
                        .orElse(null),
                d.message());
    }

    private static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }

    private static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
