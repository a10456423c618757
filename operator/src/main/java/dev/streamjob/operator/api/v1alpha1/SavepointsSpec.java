package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Savepoint management of a StreamJob: how long the operator waits for one, periodic savepoints
 * and retention in the object store, and what happens to the snapshots when the StreamJob is
 * deleted (kept by default; {@code spec.job.initialSavepointPath} lets a new StreamJob start from
 * one).
 * Durations are a number and a unit of ms, s, min, m, h or d, e.g. {@code 6h}.
 */
public class SavepointsSpec {

    /** Accepted duration syntax: digits followed by ms, s, min, m, h or d. */
    public static final String DURATION_PATTERN = "^[0-9]+ ?(ms|s|min|m|h|d)$";

    @Pattern(DURATION_PATTERN)
    @Default("10min")
    @JsonPropertyDescription("How long the operator waits for a savepoint; a savepoint not complete by then counts as failed and the job keeps running.")
    private String timeout = "10min";

    @Pattern(DURATION_PATTERN)
    @JsonPropertyDescription("Take a savepoint this long after the previous one (periodic savepoints); unset: none.")
    private String interval;

    @Min(1)
    @Max(100)
    @Default("5")
    @JsonPropertyDescription("Savepoints kept in the object store and listed in status.savepoints; older ones are deleted.")
    private Integer maxCount = 5;

    @Pattern(DURATION_PATTERN)
    @JsonPropertyDescription("Savepoints older than this are deleted (the newest one is always kept); unset: no age limit.")
    private String maxAge;

    @Default("Retain")
    @JsonPropertyDescription("When the StreamJob is deleted: Retain keeps its checkpoints and savepoints in the object store (a new StreamJob can start from one with spec.job.initialSavepointPath); Delete stops the Flink pods, then deletes every checkpoint and savepoint this StreamJob wrote.")
    private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public Integer getMaxCount() {
        return maxCount;
    }

    public void setMaxCount(Integer maxCount) {
        this.maxCount = maxCount;
    }

    public String getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(String maxAge) {
        this.maxAge = maxAge;
    }

    public DeletionPolicy getDeletionPolicy() {
        return deletionPolicy;
    }

    public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
        this.deletionPolicy = deletionPolicy;
    }
}
