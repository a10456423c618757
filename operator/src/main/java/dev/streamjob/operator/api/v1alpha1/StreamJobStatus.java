package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The observed state of a {@link StreamJob}, following the Kubernetes API conventions: an
 * {@code observedGeneration}, and {@code conditions} keyed by type ({@code Ready},
 * {@code Progressing}, {@code Degraded}, {@code SpecValid}) with CamelCase reasons.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreamJobStatus {

    @JsonPropertyDescription("The metadata.generation this status was computed for.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing, Degraded and SpecValid, per the Kubernetes API conventions.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Flink job id (32 hex characters) of the current run.")
    private String jobId;

    @JsonPropertyDescription("Flink job state as reported by the JobManager's REST API (e.g. RUNNING), or DEPLOYING / SUSPENDED / UNKNOWN when there is no answer.")
    private String jobState;

    @StatusReplicas
    @JsonPropertyDescription("Parallelism the running job actually has (the scale subresource's status replicas).")
    private Integer parallelism;

    @LabelSelector
    @JsonPropertyDescription("Label selector of the TaskManager pods (for the scale subresource).")
    private String selector;

    @JsonPropertyDescription("TaskManager pods that are ready.")
    private Integer readyTaskManagers;

    @JsonPropertyDescription("The newest completed checkpoint Flink reported.")
    private CheckpointInfo lastCheckpoint;

    @JsonPropertyDescription("The checkpoint or savepoint the current run started from; empty when it started without state.")
    private String restoredFrom;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getJobId() {
        return jobId;
    }

    public void setJobId(String jobId) {
        this.jobId = jobId;
    }

    public String getJobState() {
        return jobState;
    }

    public void setJobState(String jobState) {
        this.jobState = jobState;
    }

    public Integer getParallelism() {
        return parallelism;
    }

    public void setParallelism(Integer parallelism) {
        this.parallelism = parallelism;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public Integer getReadyTaskManagers() {
        return readyTaskManagers;
    }

    public void setReadyTaskManagers(Integer readyTaskManagers) {
        this.readyTaskManagers = readyTaskManagers;
    }

    public CheckpointInfo getLastCheckpoint() {
        return lastCheckpoint;
    }

    public void setLastCheckpoint(CheckpointInfo lastCheckpoint) {
        this.lastCheckpoint = lastCheckpoint;
    }

    public String getRestoredFrom() {
        return restoredFrom;
    }

    public void setRestoredFrom(String restoredFrom) {
        this.restoredFrom = restoredFrom;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StreamJobStatus other)) {
            return false;
        }
        return Objects.equals(observedGeneration, other.observedGeneration)
                && Objects.equals(conditions, other.conditions)
                && Objects.equals(jobId, other.jobId)
                && Objects.equals(jobState, other.jobState)
                && Objects.equals(parallelism, other.parallelism)
                && Objects.equals(selector, other.selector)
                && Objects.equals(readyTaskManagers, other.readyTaskManagers)
                && Objects.equals(lastCheckpoint, other.lastCheckpoint)
                && Objects.equals(restoredFrom, other.restoredFrom);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, jobId, jobState, parallelism, selector,
                readyTaskManagers, lastCheckpoint, restoredFrom);
    }
}
