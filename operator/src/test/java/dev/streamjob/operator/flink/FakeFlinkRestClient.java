package dev.streamjob.operator.flink;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A stateful stand-in for Flink's REST API in operator tests: each JobManager endpoint is
 * unreachable until a test says otherwise, then answers with the jobs the test put there.
 */
public class FakeFlinkRestClient implements FlinkRestClient {

    private final Map<URI, Map<String, JobDetails>> jobs = new ConcurrentHashMap<>();
    private final Map<URI, Map<String, CheckpointStatistics>> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, String> triggers = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile SavepointStatus savepointOutcome = SavepointStatus.inProgress();
    private volatile FlinkRestException refusal;
    private final Map<URI, Integer> slots = new ConcurrentHashMap<>();
    private final List<String> requirementRequests = new CopyOnWriteArrayList<>();
    private volatile FlinkRestException requirementsRefusal;
    private volatile Set<String> busyTaskManagers = Set.of();

    /** The vertex ids of the fake's jobs. */
    public static final String SOURCE_VERTEX = "cbc357ccb763df2852fee8c4fc7d55f2";
    public static final String WINDOW_VERTEX = "90bea66de1c231edf33913ecd54406c1";

    /** The task slots registered with the JobManager at {@code endpoint}. */
    public void slots(URI endpoint, int total) {
        slots.put(endpoint, total);
    }

    /** The resource-requirements updates received, as {@code <jobId> <vertexId>=<upperBound>,...} (sorted). */
    public List<String> requirementRequests() {
        return List.copyOf(requirementRequests);
    }

    /** Makes updating resource requirements fail with the given error. */
    public void refuseRequirements(FlinkRestException error) {
        requirementsRefusal = error;
    }

    /** The TaskManagers (resource ids) that run tasks. */
    public void busyTaskManagers(Set<String> ids) {
        busyTaskManagers = Set.copyOf(ids);
    }

    @Override
    public int slotsTotal(URI restEndpoint) throws FlinkRestException {
        reachable(restEndpoint);
        return slots.getOrDefault(restEndpoint, 0);
    }

    @Override
    public void updateResourceRequirements(URI restEndpoint, String jobId, Map<String, Integer> parallelism)
            throws FlinkRestException {
        reachable(restEndpoint);
        if (requirementsRefusal != null) {
            throw requirementsRefusal;
        }
        requirementRequests.add(jobId + " " + new TreeMap<>(parallelism).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    }

    @Override
    public Set<String> taskManagersRunningTasks(URI restEndpoint, String jobId, Collection<String> vertexIds)
            throws FlinkRestException {
        reachable(restEndpoint);
        return busyTaskManagers;
    }

    /** Makes the endpoint answer, without any job. */
    public void jobManagerUp(URI endpoint) {
        jobs.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>());
        checkpoints.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>());
    }

    /** Puts a job in the given state with all its {@code parallelism} subtasks in {@code taskState}. */
    public void job(URI endpoint, String jobId, String state, int parallelism, String taskState) {
        jobManagerUp(endpoint);
        jobs.get(endpoint).put(jobId, new JobDetails(jobId, "insert-into", state, List.of(
                new JobDetails.Vertex(SOURCE_VERTEX, "Source: orders", parallelism, 128, Map.of(taskState, parallelism),
                        Double.NaN),
                new JobDetails.Vertex(WINDOW_VERTEX, "Window", parallelism, 128, Map.of(taskState, parallelism),
                        Double.NaN))));
    }

    /** Records a completed checkpoint of the job. */
    public void completedCheckpoint(URI endpoint, String jobId, long id, String path, long completedAtMillis) {
        checkpoints.get(endpoint).put(jobId, new CheckpointStatistics(id, 0,
                Optional.of(new CheckpointStatistics.CompletedCheckpoint(id, path, completedAtMillis))));
    }

    /** Makes the endpoint unreachable again (the JobManager is gone, and with it its savepoint triggers). */
    public void jobManagerDown(URI endpoint) {
        jobs.remove(endpoint);
        checkpoints.remove(endpoint);
        triggers.clear();
    }

    /**
     * What the next savepoints answer: {@link SavepointStatus#inProgress()} keeps them in
     * progress; anything else is the answer for every trigger from now on.
     */
    public void savepointOutcome(SavepointStatus outcome) {
        savepointOutcome = outcome;
    }

    /** Makes triggering a savepoint fail with the given error. */
    public void refuseSavepoints(FlinkRestException error) {
        refusal = error;
    }

    /** The savepoint requests received, as {@code stop|savepoint <jobId> <targetDirectory>}. */
    public List<String> savepointRequests() {
        return List.copyOf(requests);
    }

    @Override
    public String stopWithSavepoint(URI restEndpoint, String jobId, String targetDirectory) throws FlinkRestException {
        return trigger("stop", restEndpoint, jobId, targetDirectory);
    }

    @Override
    public String triggerSavepoint(URI restEndpoint, String jobId, String targetDirectory) throws FlinkRestException {
        return trigger("savepoint", restEndpoint, jobId, targetDirectory);
    }

    private String trigger(String kind, URI restEndpoint, String jobId, String targetDirectory) throws FlinkRestException {
        reachable(restEndpoint);
        if (refusal != null) {
            throw refusal;
        }
        requests.add(kind + " " + jobId + " " + targetDirectory);
        String triggerId = "trigger-" + requests.size();
        triggers.put(triggerId, kind);
        return triggerId;
    }

    @Override
    public SavepointStatus savepointStatus(URI restEndpoint, String jobId, String triggerId) throws FlinkRestException {
        reachable(restEndpoint);
        if (!triggers.containsKey(triggerId)) {
            return SavepointStatus.unknown();
        }
        if (savepointOutcome.state() == SavepointStatus.State.COMPLETED && "stop".equals(triggers.get(triggerId))) {
            // Flink ends a job stopped with a savepoint FINISHED.
            JobDetails details = jobs.get(restEndpoint).get(jobId);
            if (details != null) {
                jobs.get(restEndpoint).put(jobId, new JobDetails(jobId, details.name(), "FINISHED", details.vertices()));
            }
        }
        return savepointOutcome;
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
