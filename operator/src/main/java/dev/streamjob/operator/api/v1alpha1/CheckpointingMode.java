package dev.streamjob.operator.api.v1alpha1;

/** Flink's checkpointing guarantee, {@code execution.checkpointing.mode}. */
public enum CheckpointingMode {
    /** Aligned or unaligned barriers; each record affects state exactly once. */
    EXACTLY_ONCE,
    /** No barrier alignment; records may be replayed into state after a failure. */
    AT_LEAST_ONCE
}
