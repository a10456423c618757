package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The lifecycle state a job owner asks for in {@code spec.job.state}. */
public enum JobState {
    /** The job runs; the operator keeps it running. */
    @JsonProperty("running")
    RUNNING,
    /** The job is stopped and its Flink pods removed; the ConfigMap and status stay. */
    @JsonProperty("suspended")
    SUSPENDED
}
