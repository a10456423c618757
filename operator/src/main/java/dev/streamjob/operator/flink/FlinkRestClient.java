package dev.streamjob.operator.flink;

import java.net.URI;
import java.util.Optional;

/**
 * Every call the operator makes to a JobManager's REST API (Flink docs: ops/rest_api). Each
 * call has explicit connect and request timeouts set by the implementation; a call never blocks
 * longer than those. Tests use a stateful fake of this interface; integration tests a real Flink.
 */
public interface FlinkRestClient {

    /**
     * {@code GET /jobs/:jobid}: the job's state and its vertices.
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
}
