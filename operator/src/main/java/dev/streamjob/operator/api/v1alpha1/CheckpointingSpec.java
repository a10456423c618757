package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Checkpointing of a StreamJob, mapped to Flink's {@code execution.checkpointing.*} options
 * (Flink docs: deployment/config, "Checkpointing"). Durations use Flink's syntax: a number and a
 * unit of ms, s, min or h, e.g. {@code 10s}.
 */
public class CheckpointingSpec {

    /** Accepted duration syntax: digits followed by ms, s, min, m or h. */
    public static final String DURATION_PATTERN = "^[0-9]+ ?(ms|s|min|m|h)$";

    @Pattern(DURATION_PATTERN)
    @Default("10s")
    @JsonPropertyDescription("Time between checkpoints, e.g. 10s.")
    private String interval = "10s";

    @Default("EXACTLY_ONCE")
    @JsonPropertyDescription("EXACTLY_ONCE or AT_LEAST_ONCE.")
    // An unknown value reads as null, kept null through copies, and is reported by the validator
    // instead of failing the informer.
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    private CheckpointingMode mode = CheckpointingMode.EXACTLY_ONCE;

    @Pattern(DURATION_PATTERN)
    @Default("10min")
    @JsonPropertyDescription("A checkpoint not complete after this long is aborted, e.g. 10min.")
    private String timeout = "10min";

    @Min(1)
    @Max(100)
    @Default("3")
    @JsonPropertyDescription("Completed checkpoints Flink retains (execution.checkpointing.num-retained).")
    private Integer retained = 3;

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public CheckpointingMode getMode() {
        return mode;
    }

    public void setMode(CheckpointingMode mode) {
        this.mode = mode;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public Integer getRetained() {
        return retained;
    }

    public void setRetained(Integer retained) {
        this.retained = retained;
    }
}
