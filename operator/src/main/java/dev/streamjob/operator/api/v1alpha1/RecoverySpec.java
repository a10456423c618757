package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * How the operator recovers a failed job: it restarts the whole job (JobManager and
 * TaskManagers) from the newest complete snapshot of its lineage, waiting longer before each
 * further restart (exponential backoff), at most {@code maxRestarts} times within {@code window}.
 * Beyond that the StreamJob is {@code Degraded} with reason {@code RestartBudgetExhausted} until
 * its spec changes (e.g. {@code spec.job.restartNonce}). Durations as in {@link SavepointsSpec}.
 */
public class RecoverySpec {

    @Min(0)
    @Max(1000)
    @Default("5")
    @JsonPropertyDescription("Whole-job restarts the operator makes within `window` before it gives up (0: none).")
    private Integer maxRestarts = 5;

    @Pattern(SavepointsSpec.DURATION_PATTERN)
    @Default("1h")
    @JsonPropertyDescription("The sliding window the restarts are counted in, e.g. 1h.")
    private String window = "1h";

    @Pattern(SavepointsSpec.DURATION_PATTERN)
    @Default("10s")
    @JsonPropertyDescription("Wait after a restart before the next one; doubled for each further restart in the window. The first restart is immediate.")
    private String initialBackoff = "10s";

    @Pattern(SavepointsSpec.DURATION_PATTERN)
    @Default("5min")
    @JsonPropertyDescription("The longest wait between two restarts.")
    private String maxBackoff = "5min";

    public Integer getMaxRestarts() {
        return maxRestarts;
    }

    public void setMaxRestarts(Integer maxRestarts) {
        this.maxRestarts = maxRestarts;
    }

    public String getWindow() {
        return window;
    }

    public void setWindow(String window) {
        this.window = window;
    }

    public String getInitialBackoff() {
        return initialBackoff;
    }

    public void setInitialBackoff(String initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    public String getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(String maxBackoff) {
        this.maxBackoff = maxBackoff;
    }
}
