package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * What the lag-based autoscaler ({@code spec.autoscaler}) decided last, and the recommendations
 * it keeps for its scale-in stabilization window (in status, so a restarted operator keeps them).
 *
 * @param lastDecision the last evaluation, with its inputs
 * @param lastScale the last evaluation that changed spec.job.parallelism, or null
 * @param recommendations the parallelism recommended at each evaluation within the
 *     stabilization window, oldest first
 */
public record AutoscalerStatus(
        @JsonPropertyDescription("The last evaluation, with its inputs.") AutoscalerDecision lastDecision,
        @JsonPropertyDescription("The last evaluation that changed spec.job.parallelism.") AutoscalerDecision lastScale,
        @JsonPropertyDescription("Recommended parallelism per evaluation within the stabilization window, oldest first.") List<Recommendation> recommendations) {

    /**
     * One evaluation of the autoscaler.
     *
     * @param time when, RFC 3339
     * @param reason ScaleOut, ScaleIn, WithinTarget, ScaleInStabilizing, CoolingDown, AtBound or
     *     InsufficientMetrics
     * @param parallelism the parallelism then
     * @param recommended the parallelism the inputs call for (within min and max)
     * @param scaleTo the parallelism written to spec.job.parallelism; null when unchanged
     * @param lagRecords the Kafka consumer lag, records
     * @param inputRate records per second arriving in the topics (growth of the end offsets)
     * @param processingRate records per second the job committed (growth of the committed offsets)
     * @param busyRatio how busy the busiest vertex was over the metric window, 0..1 (growth of
     *     Flink's accumulated busy time / elapsed time / parallelism)
     * @param message the decision as one sentence with its figures
     */
    public record AutoscalerDecision(
            @JsonPropertyDescription("When, RFC 3339.") String time,
            @JsonPropertyDescription("ScaleOut, ScaleIn, WithinTarget, ScaleInStabilizing, CoolingDown, AtBound or InsufficientMetrics.") String reason,
            @JsonPropertyDescription("The parallelism then.") Integer parallelism,
            @JsonPropertyDescription("The parallelism the inputs call for.") Integer recommended,
            @JsonPropertyDescription("The parallelism written to spec.job.parallelism; empty when unchanged.") Integer scaleTo,
            @JsonPropertyDescription("Kafka consumer lag, records.") Long lagRecords,
            @JsonPropertyDescription("Records per second arriving in the topics.") Double inputRate,
            @JsonPropertyDescription("Records per second the job committed.") Double processingRate,
            @JsonPropertyDescription("Busy ratio of the busiest vertex over the metric window, 0..1.") Double busyRatio,
            @JsonPropertyDescription("The decision in one sentence.") String message) {
    }

    /**
     * A recommendation kept for the stabilization window.
     *
     * @param time when, RFC 3339
     * @param parallelism the recommended parallelism
     */
    public record Recommendation(
            @JsonPropertyDescription("When, RFC 3339.") String time,
            @JsonPropertyDescription("Recommended parallelism.") Integer parallelism) {
    }
}
