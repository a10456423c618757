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

    @JsonPropertyDescription("The checkpoint or savepoint the current run started from, as Flink reports it; empty when it started without state.")
    private String restoredFrom;

    @JsonPropertyDescription("The run the operator deployed last: job id, lineage, spec generation and restore point.")
    private JobRun currentRun;

    @JsonPropertyDescription("The multi-step operation in flight (upgrade, suspend, savepoint ...), if any.")
    private Operation operation;

    @JsonPropertyDescription("The last operation that failed; cleared when a later one succeeds.")
    private OperationFailure lastFailure;

    @JsonPropertyDescription("Retained savepoints, newest first (at most spec.savepoints.maxCount).")
    private List<SavepointInfo> savepoints = new ArrayList<>();

    @JsonPropertyDescription("The spec.job.savepointTriggerNonce the operator has acted on.")
    private Long savepointTriggerNonce;

    @JsonPropertyDescription("Whole-job restarts the operator made after failures.")
    private RestartHistory restarts;

    @JsonPropertyDescription("Signs of a failure seen now, each with the time it was first seen; the job is restarted when one outlasts its grace period in spec.recovery.")
    private List<Symptom> symptoms;

    @JsonPropertyDescription("The last completed parallelism change: from, to, the path taken (InPlace or Savepoint) and why.")
    private Rescale lastRescale;

    @JsonPropertyDescription("The lag-based autoscaler's last decision and its recent recommendations (spec.autoscaler).")
    private AutoscalerStatus autoscaler;

    @JsonPropertyDescription("Consumer lag of spec.kafkaSources, as last read (kept while Kafka cannot be reached; see condition KafkaLagAvailable).")
    private KafkaLag kafkaLag;

    public Rescale getLastRescale() {
        return lastRescale;
    }

    public void setLastRescale(Rescale lastRescale) {
        this.lastRescale = lastRescale;
    }

    public AutoscalerStatus getAutoscaler() {
        return autoscaler;
    }

    public void setAutoscaler(AutoscalerStatus autoscaler) {
        this.autoscaler = autoscaler;
    }

    public KafkaLag getKafkaLag() {
        return kafkaLag;
    }

    public void setKafkaLag(KafkaLag kafkaLag) {
        this.kafkaLag = kafkaLag;
    }

    public List<Symptom> getSymptoms() {
        return symptoms;
    }

    public void setSymptoms(List<Symptom> symptoms) {
        this.symptoms = symptoms;
    }

    public RestartHistory getRestarts() {
        return restarts;
    }

    public void setRestarts(RestartHistory restarts) {
        this.restarts = restarts;
    }

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

    public JobRun getCurrentRun() {
        return currentRun;
    }

    public void setCurrentRun(JobRun currentRun) {
        this.currentRun = currentRun;
    }

    public Operation getOperation() {
        return operation;
    }

    public void setOperation(Operation operation) {
        this.operation = operation;
    }

    public OperationFailure getLastFailure() {
        return lastFailure;
    }

    public void setLastFailure(OperationFailure lastFailure) {
        this.lastFailure = lastFailure;
    }

    public List<SavepointInfo> getSavepoints() {
        return savepoints;
    }

    public void setSavepoints(List<SavepointInfo> savepoints) {
        this.savepoints = savepoints;
    }

    public Long getSavepointTriggerNonce() {
        return savepointTriggerNonce;
    }

    public void setSavepointTriggerNonce(Long savepointTriggerNonce) {
        this.savepointTriggerNonce = savepointTriggerNonce;
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
                && Objects.equals(restoredFrom, other.restoredFrom)
                && Objects.equals(currentRun, other.currentRun)
                && Objects.equals(operation, other.operation)
                && Objects.equals(lastFailure, other.lastFailure)
                && Objects.equals(savepoints, other.savepoints)
                && Objects.equals(savepointTriggerNonce, other.savepointTriggerNonce)
                && Objects.equals(restarts, other.restarts)
                && Objects.equals(symptoms, other.symptoms)
                && Objects.equals(lastRescale, other.lastRescale)
                && Objects.equals(autoscaler, other.autoscaler)
                && Objects.equals(kafkaLag, other.kafkaLag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, jobId, jobState, parallelism, selector,
                readyTaskManagers, lastCheckpoint, restoredFrom, currentRun, operation, lastFailure, savepoints,
                savepointTriggerNonce, restarts, symptoms, lastRescale, autoscaler, kafkaLag);
    }
}
