package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a spec change carries the job's state over, after the modes of the Apache Flink Kubernetes
 * Operator ({@code docs/custom-resource/job-management}).
 */
public enum UpgradeMode {
    /** Stop with a savepoint, then start the new spec from it. */
    @JsonProperty("savepoint")
    SAVEPOINT,
    /** Start the new spec from the newest complete checkpoint, without taking a savepoint. */
    @JsonProperty("last-state")
    LAST_STATE,
    /** Start the new spec with empty state (a new state lineage). */
    @JsonProperty("stateless")
    STATELESS
}
