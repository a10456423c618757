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
 * its spec changes (e.g. {@code spec.job.restartNonce}).
 *
 * <p>Besides a FAILED job and a crashed JobManager (acted on at once), the operator restarts the
 * job when a sign of trouble lasts longer than its grace period: the JobManager's REST API
 * unreachable, fewer TaskManagers ready than wanted, the job not running all its tasks, and
 * (opt-in) no completed checkpoint. Durations as in {@link SavepointsSpec}.
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

    @Pattern(SavepointsSpec.DURATION_PATTERN)
    @Default("1min")
    @JsonPropertyDescription("How long the JobManager's REST API may not answer while it should run before the job is restarted.")
    private String jobManagerGracePeriod = "1min";

    @Pattern(SavepointsSpec.DURATION_PATTERN)
    @Default("2min")
    @JsonPropertyDescription("How long fewer TaskManager pods than wanted may be ready before the job is restarted.")
    private String taskManagerGracePeriod = "2min";

    @Pattern(SavepointsSpec.DURATION_PATTERN)
    @Default("5min")
    @JsonPropertyDescription("How long the job may be restarting (not all tasks running) before the operator restarts it whole.")
    private String restartingTimeout = "5min";

    @Pattern(SavepointsSpec.DURATION_PATTERN)
    @JsonPropertyDescription("Optional: restart the job when it runs but completes no checkpoint for this long. Unset: not checked.")
    private String checkpointProgressTimeout;

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

    public String getJobManagerGracePeriod() {
        return jobManagerGracePeriod;
    }

    public void setJobManagerGracePeriod(String jobManagerGracePeriod) {
        this.jobManagerGracePeriod = jobManagerGracePeriod;
    }

    public String getTaskManagerGracePeriod() {
        return taskManagerGracePeriod;
    }

    public void setTaskManagerGracePeriod(String taskManagerGracePeriod) {
        this.taskManagerGracePeriod = taskManagerGracePeriod;
    }

    public String getRestartingTimeout() {
        return restartingTimeout;
    }

    public void setRestartingTimeout(String restartingTimeout) {
        this.restartingTimeout = restartingTimeout;
    }

    public String getCheckpointProgressTimeout() {
        return checkpointProgressTimeout;
    }

    public void setCheckpointProgressTimeout(String checkpointProgressTimeout) {
        this.checkpointProgressTimeout = checkpointProgressTimeout;
    }
}
