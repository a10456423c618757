package dev.streamjob.operator.status;

/** Condition types of a StreamJob's status (Kubernetes API conventions: "typical status properties"). */
public enum ConditionType {
    /** The Flink job runs with all its tasks. */
    Ready,
    /** The operator or Flink is moving the job towards the spec (deploying, starting, restarting). */
    Progressing,
    /** Something needs attention: the job failed, a container crashes, the spec cannot be applied. */
    Degraded,
    /** The spec passed validation and Flink accepted the job. */
    SpecValid,
    /** The consumer lag of spec.kafkaSources could be read (absent without Kafka sources). */
    KafkaLagAvailable
}
