package dev.streamjob.operator.status;

import dev.streamjob.operator.api.v1alpha1.JobRun;
import dev.streamjob.operator.api.v1alpha1.Operation;
import dev.streamjob.operator.api.v1alpha1.OperationFailure;
import dev.streamjob.operator.api.v1alpha1.Rescale;
import dev.streamjob.operator.api.v1alpha1.RestartHistory;
import dev.streamjob.operator.api.v1alpha1.SavepointInfo;
import dev.streamjob.operator.api.v1alpha1.StreamJobStatus;
import dev.streamjob.operator.api.v1alpha1.Symptom;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of the status the operator's actions write (the deployed run, the operation in flight,
 * the last failure, the savepoint history), as opposed to what the status computer derives from
 * observation. Immutable; each action returns a new one.
 *
 * @param currentRun the deployed run, or null before the first
 * @param operation the operation in flight, or null
 * @param lastFailure the last failed operation, or null
 * @param savepoints savepoint history, newest first
 * @param savepointTriggerNonce the savepointTriggerNonce acted on, or null
 * @param restarts the whole-job restarts after failures
 * @param symptoms signs of a failure seen now, with the time each was first seen
 * @param lastRescale the last completed parallelism change, or null
 */
public record RunState(JobRun currentRun, Operation operation, OperationFailure lastFailure,
        List<SavepointInfo> savepoints, Long savepointTriggerNonce, RestartHistory restarts, List<Symptom> symptoms,
        Rescale lastRescale) {

    /** Copies the lists; no restart history is an empty one. */
    public RunState {
        savepoints = List.copyOf(savepoints == null ? List.of() : savepoints);
        restarts = restarts == null ? RestartHistory.NONE : restarts;
        symptoms = List.copyOf(symptoms == null ? List.of() : symptoms);
    }

    /** The run state a status holds. */
    public static RunState of(StreamJobStatus status) {
        if (status == null) {
            return new RunState(null, null, null, List.of(), null, RestartHistory.NONE, List.of(), null);
        }
        return new RunState(status.getCurrentRun(), status.getOperation(), status.getLastFailure(),
                status.getSavepoints(), status.getSavepointTriggerNonce(), status.getRestarts(), status.getSymptoms(),
                status.getLastRescale());
    }

    public RunState withRun(JobRun run) {
        return new RunState(run, operation, lastFailure, savepoints, savepointTriggerNonce, restarts, symptoms, lastRescale);
    }

    public RunState withOperation(Operation op) {
        return new RunState(currentRun, op, lastFailure, savepoints, savepointTriggerNonce, restarts, symptoms, lastRescale);
    }

    public RunState withFailure(OperationFailure failure) {
        return new RunState(currentRun, operation, failure, savepoints, savepointTriggerNonce, restarts, symptoms, lastRescale);
    }

    public RunState withSavepointTriggerNonce(Long nonce) {
        return new RunState(currentRun, operation, lastFailure, savepoints, nonce, restarts, symptoms, lastRescale);
    }

    /** The history with {@code savepoint} added first, cut to {@code limit} entries. */
    public RunState withSavepoint(SavepointInfo savepoint, int limit) {
        List<SavepointInfo> history = new ArrayList<>();
        history.add(savepoint);
        savepoints.stream().filter(s -> !s.path().equals(savepoint.path())).forEach(history::add);
        return new RunState(currentRun, operation, lastFailure, history.subList(0, Math.min(limit, history.size())),
                savepointTriggerNonce, restarts, symptoms, lastRescale);
    }

    /** The history without the savepoints at {@code paths} (deleted by retention). */
    public RunState withoutSavepoints(java.util.Set<String> paths) {
        return new RunState(currentRun, operation, lastFailure,
                savepoints.stream().filter(s -> !paths.contains(s.path())).toList(), savepointTriggerNonce, restarts, symptoms, lastRescale);
    }

    public RunState withRestarts(RestartHistory history) {
        return new RunState(currentRun, operation, lastFailure, savepoints, savepointTriggerNonce, history, symptoms, lastRescale);
    }

    public RunState withSymptoms(List<Symptom> current) {
        return new RunState(currentRun, operation, lastFailure, savepoints, savepointTriggerNonce, restarts, current, lastRescale);
    }

    public RunState withLastRescale(Rescale rescale) {
        return new RunState(currentRun, operation, lastFailure, savepoints, savepointTriggerNonce, restarts, symptoms, rescale);
    }

    /** Writes the fields into a status. */
    public void writeTo(StreamJobStatus status) {
        status.setCurrentRun(currentRun);
        status.setOperation(operation);
        status.setLastFailure(lastFailure);
        status.setSavepoints(new ArrayList<>(savepoints));
        status.setSavepointTriggerNonce(savepointTriggerNonce);
        status.setRestarts(restarts.count() == 0 ? null : restarts);
        status.setSymptoms(symptoms.isEmpty() ? null : new ArrayList<>(symptoms));
        status.setLastRescale(lastRescale);
    }
}
