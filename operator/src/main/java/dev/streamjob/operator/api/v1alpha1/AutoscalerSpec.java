package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * The opt-in lag-based autoscaler: it sets the job's parallelism so that the Kafka consumer lag
 * of {@code spec.kafkaSources} can be drained within {@code targetLagSeconds} while keeping up
 * with the input, at {@code targetUtilization} of the job's processing capacity (estimated from
 * Flink's busy time, as Flink's own autoscaler does). It acts like a human edit: it writes
 * {@code spec.job.parallelism}, the field the scale subresource maps to, and the operator then
 * rescales in place when it can. A scale-out applies at once; a scale-in only once the highest
 * recommendation within {@code stabilizationWindow} is below the current parallelism; and no
 * rescale follows another within {@code cooldown}.
 *
 * <p>With GitOps, the repository must not fight the autoscaler over the field: ignore it as for
 * a Deployment scaled by an HPA (Argo CD: {@code ignoreDifferences} on
 * {@code /spec/job/parallelism}; Flux: leave it out of the manifest or patch it away).
 */
public class AutoscalerSpec {

    @Min(1)
    @Default("1")
    @JsonPropertyDescription("The lowest parallelism the autoscaler sets.")
    private Integer minParallelism = 1;

    @Min(1)
    @Default("4")
    @JsonPropertyDescription("The highest parallelism the autoscaler sets.")
    private Integer maxParallelism = 4;

    @Min(1)
    @Default("30")
    @JsonPropertyDescription("The consumer lag must be drainable within this many seconds, on top of the input rate.")
    private Integer targetLagSeconds = 30;

    @Default("0.7")
    @JsonPropertyDescription("The fraction of the job's processing capacity to aim at, more than 0 and at most 1.")
    private Double targetUtilization = 0.7;

    @Pattern(SavepointsSpec.DURATION_PATTERN)
    @Default("1min")
    @JsonPropertyDescription("Input and processing rates are averaged over this window (at least two Kafka lag readings).")
    private String metricWindow = "1min";

    @Pattern(SavepointsSpec.DURATION_PATTERN)
    @Default("5min")
    @JsonPropertyDescription("A scale-in applies the highest recommendation of this window (a scale-out applies at once).")
    private String stabilizationWindow = "5min";

    @Pattern(SavepointsSpec.DURATION_PATTERN)
    @Default("2min")
    @JsonPropertyDescription("No rescale by the autoscaler within this time after the last rescale.")
    private String cooldown = "2min";

    public Integer getMinParallelism() {
        return minParallelism;
    }

    public void setMinParallelism(Integer minParallelism) {
        this.minParallelism = minParallelism;
    }

    public Integer getMaxParallelism() {
        return maxParallelism;
    }

    public void setMaxParallelism(Integer maxParallelism) {
        this.maxParallelism = maxParallelism;
    }

    public Integer getTargetLagSeconds() {
        return targetLagSeconds;
    }

    public void setTargetLagSeconds(Integer targetLagSeconds) {
        this.targetLagSeconds = targetLagSeconds;
    }

    public Double getTargetUtilization() {
        return targetUtilization;
    }

    public void setTargetUtilization(Double targetUtilization) {
        this.targetUtilization = targetUtilization;
    }

    public String getMetricWindow() {
        return metricWindow;
    }

    public void setMetricWindow(String metricWindow) {
        this.metricWindow = metricWindow;
    }

    public String getStabilizationWindow() {
        return stabilizationWindow;
    }

    public void setStabilizationWindow(String stabilizationWindow) {
        this.stabilizationWindow = stabilizationWindow;
    }

    public String getCooldown() {
        return cooldown;
    }

    public void setCooldown(String cooldown) {
        this.cooldown = cooldown;
    }
}
