package dev.streamjob.operator.flink;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stateful stand-in for Flink's REST API in operator tests: each JobManager endpoint is
 * unreachable until a test says otherwise, then answers with the jobs the test put there.
 */
public class FakeFlinkRestClient implements FlinkRestClient {

    private final Map<URI, Map<String, JobDetails>> jobs = new ConcurrentHashMap<>();
    private final Map<URI, Map<String, CheckpointStatistics>> checkpoints = new ConcurrentHashMap<>();

    /** Makes the endpoint answer, without any job. */
    public void jobManagerUp(URI endpoint) {
        jobs.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>());
        checkpoints.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>());
    }

    /** Puts a job in the given state with all its {@code parallelism} subtasks in {@code taskState}. */
    public void job(URI endpoint, String jobId, String state, int parallelism, String taskState) {
        jobManagerUp(endpoint);
        jobs.get(endpoint).put(jobId, new JobDetails(jobId, "insert-into", state, List.of(
                new JobDetails.Vertex("Source: orders", parallelism, Map.of(taskState, parallelism)),
                new JobDetails.Vertex("Window", parallelism, Map.of(taskState, parallelism)))));
    }

    /** Records a completed checkpoint of the job. */
    public void completedCheckpoint(URI endpoint, String jobId, long id, String path, long completedAtMillis) {
        checkpoints.get(endpoint).put(jobId, new CheckpointStatistics(id, 0,
                Optional.of(new CheckpointStatistics.CompletedCheckpoint(id, path, completedAtMillis))));
    }

    @Override
    public Optional<JobDetails> job(URI restEndpoint, String jobId) throws FlinkRestException {
        return Optional.ofNullable(reachable(restEndpoint).get(jobId));
    }

    @Override
    public CheckpointStatistics checkpoints(URI restEndpoint, String jobId) throws FlinkRestException {
        reachable(restEndpoint);
        return checkpoints.getOrDefault(restEndpoint, Map.of()).getOrDefault(jobId,
                new CheckpointStatistics(0, 0, Optional.empty()));
    }

    private Map<String, JobDetails> reachable(URI endpoint) throws FlinkRestException {
        Map<String, JobDetails> known = jobs.get(endpoint);
        if (known == null) {
            throw new FlinkRestException(FlinkRestException.Kind.UNREACHABLE, "cannot connect to " + endpoint.getAuthority(), null);
        }
        return known;
    }
}
