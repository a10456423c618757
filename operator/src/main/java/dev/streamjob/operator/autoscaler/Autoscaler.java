package dev.streamjob.operator.autoscaler;

import dev.streamjob.operator.api.v1alpha1.AutoscalerSpec;
import dev.streamjob.operator.model.Durations;
import dev.streamjob.operator.validation.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The decisions of the lag-based autoscaler, pure: no I/O, no clock. The rule follows the idea of
 * Flink's own autoscaler (FLIP-271): the job's true processing capacity is the rate it processes
 * at divided by how busy it is, and the parallelism is chosen so that capacity covers what is
 * needed.
 *
 * <ul>
 *   <li><b>Rates</b> over the samples of the metric window (oldest to newest): the input rate is
 *       the growth of the topics' end offsets, the processing rate the growth of the consumer
 *       group's committed offsets, in records per second. The lag is the newest sample's.
 *   <li><b>Busy ratio</b> of the busiest vertex over the window: the growth of Flink's
 *       accumulated busy time of the vertex (summed over its subtasks) divided by the elapsed time
 *       and the vertex's parallelism, as Flink's own autoscaler computes it. A vertex whose
 *       parallelism changed or whose counter went back (its tasks restarted) is left out.
 *   <li><b>Capacity</b> at the current parallelism {@code p}: processing rate / busy ratio (at
 *       least {@value #MIN_BUSY}). Without a busy ratio the job is assumed to run at the target
 *       utilization: it scales out for lag, and never scales in on that estimate.
 *   <li><b>Needed</b>: input rate + lag / {@code targetLagSeconds} (keep up, and drain the lag
 *       within the target).
 *   <li><b>Recommended</b>: {@code ceil(needed / (capacity / p * targetUtilization))}, within
 *       {@code [minParallelism, maxParallelism]}.
 *   <li><b>Applied</b>: a scale-out at once; a scale-in to the highest recommendation within the
 *       stabilization window, only once the recommendations cover the whole window (as the
 *       HPA's scale-down stabilization); nothing within {@code cooldown} after the last rescale,
 *       and samples from the cooldown are left out: after a rescale the job catches up, fully busy,
 *       which says nothing about its load (Flink's autoscaler has a stabilization interval for the
 *       same reason).
 *       A parallelism outside the bounds (a human edit) is brought back to the nearest bound at
 *       once, like the HPA does with replicas.
 * </ul>
 */
public final class Autoscaler {

    /** The lowest busy ratio used for the capacity, so an idle job does not look infinitely fast. */
    static final double MIN_BUSY = 0.05;

    private Autoscaler() {
    }

    /**
     * One observation.
     *
     * @param time when it was taken
     * @param lagRecords the Kafka consumer lag, records
     * @param endOffsets the sum of the sources' log end offsets
     * @param committedOffsets the sum of the consumer group's committed offsets
     * @param busyTime Flink's accumulated busy time per job vertex id (empty when the job's
     *     details could not be read)
     */
    public record Sample(Instant time, long lagRecords, long endOffsets, long committedOffsets,
            Map<String, BusyTime> busyTime) {

        /** Copies the map. */
        public Sample {
            busyTime = Map.copyOf(busyTime);
        }
    }

    /**
     * A job vertex's busy time as Flink reports it in the job details
     * ({@code metrics.accumulated-busy-time}).
     *
     * @param accumulatedMs milliseconds its subtasks have been busy since they started, summed
     *     over the subtasks; NaN when unknown
     * @param parallelism the vertex's parallelism then
     */
    public record BusyTime(double accumulatedMs, int parallelism) {
    }

    /**
     * A parallelism recommended at some time, kept for the stabilization window.
     *
     * @param time when
     * @param parallelism the recommendation
     */
    public record Recommendation(Instant time, int parallelism) {
    }

    /**
     * The figures a decision used.
     *
     * @param lagRecords the newest lag, records
     * @param inputRate records per second arriving
     * @param processingRate records per second committed by the job
     * @param busyRatio the busiest vertex's busy ratio over the window, if known
     * @param neededRate records per second the job must process: input rate + lag / targetLagSeconds
     * @param capacityPerSubtask records per second one subtask can process
     */
    public record Inputs(long lagRecords, double inputRate, double processingRate, OptionalDouble busyRatio,
            double neededRate, double capacityPerSubtask) {
    }

    /** Why the autoscaler decided what it did; shown in status and events. */
    public enum Reason {
        /** Fewer than two samples spanning half the metric window, or lag with no processing observed. */
        InsufficientMetrics,
        /** The recommendation is the current parallelism. */
        WithinTarget,
        /** More parallelism is needed: applied at once. */
        ScaleOut,
        /** Less parallelism is enough, all through the stabilization window: applied. */
        ScaleIn,
        /** Less parallelism looks enough, but the stabilization window does not agree yet. */
        ScaleInStabilizing,
        /** The last rescale was within the cooldown: no decision, no samples. */
        CoolingDown,
        /** The parallelism is held at (or brought back to) minParallelism or maxParallelism. */
        AtBound
    }

    /**
     * A decision.
     *
     * @param reason why
     * @param current the parallelism it was made at
     * @param recommended what the inputs call for, within the bounds (current when unknown)
     * @param scaleTo the parallelism to set now; empty to leave it
     * @param inputs the figures used, when there were enough samples
     * @param history the recommendations to keep for the next decision
     * @param message one sentence with the figures, for status and events
     */
    public record Decision(Reason reason, int current, int recommended, OptionalInt scaleTo, Optional<Inputs> inputs,
            List<Recommendation> history, String message) {
    }

    /**
     * Decides the parallelism for the next interval.
     *
     * @param current the parallelism the job runs at
     * @param samples observations, oldest first; those older than the metric window, or taken
     *     within the cooldown after the last rescale, are ignored
     * @param history earlier recommendations (from status)
     * @param lastRescale when the last rescale ended, if there was one
     */
    public static Decision decide(AutoscalerSpec spec, int current, List<Sample> samples, List<Recommendation> history,
            Optional<Instant> lastRescale, Instant now) {
        int min = spec.getMinParallelism();
        int max = spec.getMaxParallelism();
        Duration stabilization = Durations.parse(spec.getStabilizationWindow());
        List<Recommendation> kept = prune(history, now.minus(stabilization));
        if (current < min || current > max) {
            int bound = current < min ? min : max;
            return new Decision(Reason.AtBound, current, bound, OptionalInt.of(bound), Optional.empty(), kept,
                    "parallelism " + current + " is outside [" + min + ", " + max + "]: set to " + bound);
        }
        Optional<Instant> cooled = lastRescale.map(t -> t.plus(Durations.parse(spec.getCooldown())));
        if (cooled.isPresent() && cooled.get().isAfter(now)) {
            return new Decision(Reason.CoolingDown, current, current, OptionalInt.empty(), Optional.empty(), kept,
                    "cooling down until " + cooled.get() + " after the last rescale; samples are taken after it (the job"
                            + " catches up after a rescale, fully busy, which says nothing about its load)");
        }
        Duration metricWindow = Durations.parse(spec.getMetricWindow());
        Instant windowStart = cooled.filter(c -> c.isAfter(now.minus(metricWindow))).orElse(now.minus(metricWindow));
        List<Sample> window = samples.stream().filter(s -> !s.time().isBefore(windowStart))
                .sorted(Comparator.comparing(Sample::time)).toList();
        if (window.size() < 2
                || Duration.between(window.get(0).time(), window.get(window.size() - 1).time())
                        .compareTo(metricWindow.dividedBy(2)) < 0) {
            return new Decision(Reason.InsufficientMetrics, current, current, OptionalInt.empty(), Optional.empty(), kept,
                    "waiting for samples spanning half the metric window (" + spec.getMetricWindow() + "), "
                            + window.size() + " so far");
        }
        Sample first = window.get(0);
        Sample last = window.get(window.size() - 1);
        double seconds = Duration.between(first.time(), last.time()).toMillis() / 1000.0;
        double inputRate = Math.max(0, last.endOffsets() - first.endOffsets()) / seconds;
        double processingRate = Math.max(0, last.committedOffsets() - first.committedOffsets()) / seconds;
        OptionalDouble busy = busyRatio(window);
        long lag = last.lagRecords();
        double needed = inputRate + (double) lag / spec.getTargetLagSeconds();
        if (processingRate <= 0 && lag > 0) {
            return new Decision(Reason.InsufficientMetrics, current, current, OptionalInt.empty(),
                    Optional.of(new Inputs(lag, inputRate, processingRate, busy, needed, 0)), kept,
                    "lag " + lag + " records but no processing observed in the metric window (the job commits its"
                            + " offsets at checkpoints; a job that processes nothing is for failure detection)");
        }
        double capacity = processingRate / (busy.isPresent() ? Math.max(busy.getAsDouble(), MIN_BUSY) : spec.getTargetUtilization());
        double perSubtask = capacity / current;
        int raw = processingRate <= 0 ? min
                : (int) Math.max(1, Math.ceil(needed / (perSubtask * spec.getTargetUtilization()) - 1e-9));
        int recommended = Math.max(min, Math.min(max, raw));
        Inputs inputs = new Inputs(lag, inputRate, processingRate, busy, needed, perSubtask);
        List<Recommendation> next = new ArrayList<>(kept);
        next.add(new Recommendation(now, recommended));
        String figures = figures(inputs, current, spec) + ": recommended " + recommended
                + (raw != recommended ? " (" + raw + " within [" + min + ", " + max + "])" : "");
        if (recommended > current) {
            return new Decision(Reason.ScaleOut, current, recommended, OptionalInt.of(recommended), Optional.of(inputs),
                    next, figures);
        }
        if (recommended == current) {
            return new Decision(raw != recommended ? Reason.AtBound : Reason.WithinTarget, current, recommended,
                    OptionalInt.empty(), Optional.of(inputs), next, figures);
        }
        Instant stabilizationStart = now.minus(stabilization);
        boolean covered = kept.stream().anyMatch(r -> !r.time().isAfter(stabilizationStart));
        int highest = next.stream().filter(r -> r.time().isAfter(stabilizationStart)).mapToInt(Recommendation::parallelism)
                .max().orElse(recommended);
        if (covered && highest < current) {
            return new Decision(Reason.ScaleIn, current, recommended, OptionalInt.of(highest), Optional.of(inputs), next,
                    figures + "; the highest of the stabilization window (" + spec.getStabilizationWindow() + ") is "
                            + highest);
        }
        return new Decision(Reason.ScaleInStabilizing, current, recommended, OptionalInt.empty(), Optional.of(inputs), next,
                figures + (covered ? "; the stabilization window still recommends " + highest
                        : "; waiting for recommendations covering the stabilization window (" + spec.getStabilizationWindow() + ")"));
    }

    /**
     * How busy the busiest vertex was over the window, 0..1: the growth of its accumulated busy
     * time, from the oldest to the newest sample that has it, over the elapsed time and its
     * parallelism. A vertex with another parallelism at the two ends, or whose counter went back
     * (its tasks restarted), is left out.
     *
     * @param window samples, oldest first
     * @return empty when no vertex can be measured
     */
    static OptionalDouble busyRatio(List<Sample> window) {
        List<Sample> measured = window.stream().filter(s -> !s.busyTime().isEmpty()).toList();
        if (measured.size() < 2) {
            return OptionalDouble.empty();
        }
        Sample first = measured.get(0);
        Sample last = measured.get(measured.size() - 1);
        double elapsedMs = Duration.between(first.time(), last.time()).toMillis();
        OptionalDouble busiest = OptionalDouble.empty();
        for (Map.Entry<String, BusyTime> v : last.busyTime().entrySet()) {
            BusyTime before = first.busyTime().get(v.getKey());
            BusyTime after = v.getValue();
            if (before == null || before.parallelism() != after.parallelism() || after.parallelism() <= 0
                    || !Double.isFinite(before.accumulatedMs()) || !Double.isFinite(after.accumulatedMs())
                    || after.accumulatedMs() < before.accumulatedMs() || elapsedMs <= 0) {
                continue;
            }
            double ratio = Math.min(1.0, (after.accumulatedMs() - before.accumulatedMs()) / (elapsedMs * after.parallelism()));
            busiest = OptionalDouble.of(Math.max(ratio, busiest.orElse(0.0)));
        }
        return busiest;
    }

    /**
     * The recommendations newer than {@code windowStart}, plus the newest older one: it proves the
     * window is covered.
     */
    static List<Recommendation> prune(List<Recommendation> history, Instant windowStart) {
        List<Recommendation> sorted = history.stream().sorted(Comparator.comparing(Recommendation::time)).toList();
        List<Recommendation> kept = new ArrayList<>();
        Recommendation anchor = null;
        for (Recommendation r : sorted) {
            if (r.time().isAfter(windowStart)) {
                kept.add(r);
            } else {
                anchor = r;
            }
        }
        if (anchor != null) {
            kept.add(0, anchor);
        }
        return kept;
    }

    private static String figures(Inputs in, int current, AutoscalerSpec spec) {
        return String.format(Locale.ROOT, "lag %d records, input %.1f/s, processing %.1f/s at parallelism %d%s: needs %.1f/s"
                + " (lag drained in %d s), capacity %.1f/s per subtask at %.0f%% utilization", in.lagRecords(), in.inputRate(),
                in.processingRate(), current, in.busyRatio().isPresent()
                        ? String.format(Locale.ROOT, ", busy %.2f", in.busyRatio().getAsDouble()) : ", busy unknown",
                in.neededRate(), spec.getTargetLagSeconds(), in.capacityPerSubtask(), spec.getTargetUtilization() * 100);
    }

    /**
     * Checks {@code spec.autoscaler}: bounds in order, a utilization in (0, 1], durations that
     * parse and are positive.
     *
     * @return the problems, each naming its field; empty when the spec is fine
     */
    public static List<FieldError> validate(AutoscalerSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        if (spec.getMinParallelism() == null || spec.getMinParallelism() < 1) {
            errors.add(new FieldError("spec.autoscaler.minParallelism", "must be at least 1"));
        }
        if (spec.getMaxParallelism() == null || spec.getMaxParallelism() < 1) {
            errors.add(new FieldError("spec.autoscaler.maxParallelism", "must be at least 1"));
        } else if (spec.getMinParallelism() != null && spec.getMaxParallelism() < spec.getMinParallelism()) {
            errors.add(new FieldError("spec.autoscaler.maxParallelism", "is " + spec.getMaxParallelism()
                    + ", below minParallelism " + spec.getMinParallelism()));
        }
        if (spec.getTargetLagSeconds() == null || spec.getTargetLagSeconds() < 1) {
            errors.add(new FieldError("spec.autoscaler.targetLagSeconds", "must be at least 1 (seconds)"));
        }
        Double u = spec.getTargetUtilization();
        if (u == null || !(u > 0) || u > 1) {
            errors.add(new FieldError("spec.autoscaler.targetUtilization", "is " + u + "; it must be more than 0 and at most 1"));
        }
        duration(errors, "spec.autoscaler.metricWindow", spec.getMetricWindow());
        duration(errors, "spec.autoscaler.stabilizationWindow", spec.getStabilizationWindow());
        duration(errors, "spec.autoscaler.cooldown", spec.getCooldown());
        return errors;
    }

    private static void duration(List<FieldError> errors, String path, String value) {
        try {
            if (value == null || Durations.parse(value).isZero()) {
                errors.add(new FieldError(path, "must be a positive duration such as 30s or 5min"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(path, "'" + value + "' is not a duration such as 30s or 5min"));
        }
    }
}
