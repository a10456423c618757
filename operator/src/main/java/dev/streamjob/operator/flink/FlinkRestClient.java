package dev.streamjob.operator.flink;

import java.net.URI;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every call the operator makes to a JobManager's REST API (Flink docs: ops/rest_api). Each
 * call has explicit connect and request timeouts set by the implementation; a call never blocks
 * longer than those. Tests use a stateful fake of this interface; integration tests a real Flink.
 */
public interface FlinkRestClient {

    /**
     * {@code GET /jobs/:jobid}: the job's state and its vertices (with their parallelism, max
     * parallelism and accumulated busy time).
     *
     * @param restEndpoint base URL of the JobManager's REST API, e.g. {@code http://x-jobmanager.ns.svc:8081}
     * @return empty when the JobManager answers but does not (yet) know the job (HTTP 404)
     * @throws FlinkRestException when the JobManager cannot be reached in time or answers with an error
     */
    Optional<JobDetails> job(URI restEndpoint, String jobId) throws FlinkRestException;

    /**
     * {@code GET /jobs/:jobid/checkpoints}: checkpoint counts and the latest completed checkpoint.
     *
     * @throws FlinkRestException when the JobManager cannot be reached in time or answers with an error
     */
    CheckpointStatistics checkpoints(URI restEndpoint, String jobId) throws FlinkRestException;

    /**
     * {@code POST /jobs/:jobid/stop}: stop-with-savepoint. The job ends FINISHED once the
     * savepoint is complete; if the savepoint fails, the job keeps running (Flink docs:
     * ops/state/savepoints, "Stopping a job with savepoint").
     *
     * @param targetDirectory where Flink writes the savepoint directory
     * @return the trigger id to poll with {@link #savepointStatus}
     * @throws FlinkRestException when the JobManager cannot be reached in time or refuses
     */
    String stopWithSavepoint(URI restEndpoint, String jobId, String targetDirectory) throws FlinkRestException;

    /**
     * {@code POST /jobs/:jobid/savepoints}: a savepoint while the job keeps running.
     *
     * @return the trigger id to poll with {@link #savepointStatus}
     * @throws FlinkRestException when the JobManager cannot be reached in time or refuses
     */
    String triggerSavepoint(URI restEndpoint, String jobId, String targetDirectory) throws FlinkRestException;

    /**
     * {@code GET /jobs/:jobid/savepoints/:triggerid}: where a savepoint operation stands.
     *
     * @throws FlinkRestException when the JobManager cannot be reached in time or answers with an error
     */
    SavepointStatus savepointStatus(URI restEndpoint, String jobId, String triggerId) throws FlinkRestException;

    /**
     * {@code GET /overview}: the number of task slots registered with the JobManager (all
     * TaskManagers, used or free).
     *
     * @throws FlinkRestException when the JobManager cannot be reached in time or answers with an error
     */
    int slotsTotal(URI restEndpoint) throws FlinkRestException;

    /**
     * {@code PUT /jobs/:jobid/resource-requirements} (FLIP-291): the parallelism bounds of each
     * vertex, lower bound 1 and upper bound as given. With the adaptive scheduler the running job
     * rescales to the upper bound once that many slots are available, restoring from its newest
     * checkpoint inside the same JobManager (Flink docs: deployment/elastic_scaling, "Externalized
     * Declarative Resource Management").
     *
     * @param parallelism the upper bound per vertex id; every vertex of the job must be listed
     * @throws FlinkRestException when the JobManager cannot be reached in time or refuses (for
     *     example without the adaptive scheduler, or in reactive mode)
     */
    void updateResourceRequirements(URI restEndpoint, String jobId, Map<String, Integer> parallelism)
            throws FlinkRestException;

    /**
     * {@code GET /jobs/:jobid/vertices/:vertexid/taskmanagers} for each vertex: the TaskManagers
     * that run subtasks of the job (their resource ids; the operator sets each to its pod name).
     *
     * @throws FlinkRestException when the JobManager cannot be reached in time or answers with an error
     */
    Set<String> taskManagersRunningTasks(URI restEndpoint, String jobId, Collection<String> vertexIds)
            throws FlinkRestException;
}
