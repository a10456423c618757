package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A multi-step operation in flight (upgrade, suspend, savepoint ...), recorded in status so that
 * the next reconcile, even by a restarted operator, continues it from here.
 *
 * @param type what the operation does
 * @param phase the step it is at
 * @param generation metadata.generation that asked for it
 * @param upgradeMode how state is carried over (for operations that replace the run)
 * @param savepointTrigger why a savepoint is taken; empty when the operation takes none
 * @param triggerId Flink's trigger id of the savepoint in progress; for an in-place rescale
 *     {@code resource-requirements} once Flink accepted the new parallelism
 * @param savepointPath the completed savepoint, once Flink reported it
 * @param startedAt when the operation started, RFC 3339
 * @param phaseStartedAt when the current phase started, RFC 3339
 */
public record Operation(
        @JsonPropertyDescription("Upgrade, Scale, Restart, Suspend, Resume or Savepoint.") OperationType type,
        @JsonPropertyDescription("SavepointInProgress, Stopping, Deploying or Rescaling.") OperationPhase phase,
        @JsonPropertyDescription("metadata.generation that asked for the operation.") Long generation,
        @JsonPropertyDescription("How state is carried over.") UpgradeMode upgradeMode,
        @JsonPropertyDescription("Why a savepoint is taken; empty when none is.") SavepointTrigger savepointTrigger,
        @JsonPropertyDescription("Flink's trigger id of the savepoint in progress.") String triggerId,
        @JsonPropertyDescription("The completed savepoint.") String savepointPath,
        @JsonPropertyDescription("When the operation started, RFC 3339.") String startedAt,
        @JsonPropertyDescription("When the current phase started, RFC 3339.") String phaseStartedAt) {

    /** The operation with {@code triggerId} set (for a rescale: the resource requirements were sent). */
    public Operation withTriggerId(String id) {
        return new Operation(type, phase, generation, upgradeMode, savepointTrigger, id, savepointPath, startedAt,
                phaseStartedAt);
    }

    /** The operation moved to another phase at {@code now}. */
    public Operation inPhase(OperationPhase next, String now) {
        return new Operation(type, next, generation, upgradeMode, savepointTrigger, triggerId, savepointPath, startedAt, now);
    }

    /** The operation with its savepoint completed at {@code path}. */
    public Operation withSavepoint(String path) {
        return new Operation(type, phase, generation, upgradeMode, savepointTrigger, triggerId, path, startedAt, phaseStartedAt);
    }
}
