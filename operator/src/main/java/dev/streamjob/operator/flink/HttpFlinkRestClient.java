package dev.streamjob.operator.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link FlinkRestClient} over the JDK's HTTP client, with the connect and request timeouts of
 * {@code streamjob.flink.*}. Responses are read as JSON trees, so fields Flink adds in newer
 * versions are ignored.
 */
public class HttpFlinkRestClient implements FlinkRestClient {

    private final HttpClient http;
    private final Duration requestTimeout;
    private final ObjectMapper json = new ObjectMapper();

    /** A client with explicit timeouts. */
    public HttpFlinkRestClient(Duration connectTimeout, Duration requestTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Optional<JobDetails> job(URI restEndpoint, String jobId) throws FlinkRestException {
        return get(restEndpoint, "/jobs/" + jobId).map(this::toJobDetails);
    }

    @Override
    public CheckpointStatistics checkpoints(URI restEndpoint, String jobId) throws FlinkRestException {
        JsonNode body = get(restEndpoint, "/jobs/" + jobId + "/checkpoints")
                .orElseThrow(() -> new FlinkRestException(FlinkRestException.Kind.HTTP_ERROR,
                        "job " + jobId + " not found", null));
        JsonNode completed = body.path("latest").path("completed");
        Optional<CheckpointStatistics.CompletedCheckpoint> latest = completed.isObject()
                ? Optional.of(new CheckpointStatistics.CompletedCheckpoint(
                        completed.path("id").asLong(),
                        completed.path("external_path").asText(null),
                        completed.path("latest_ack_timestamp").asLong()))
                : Optional.empty();
        JsonNode restored = body.path("latest").path("restored");
        Optional<CheckpointStatistics.RestoredSnapshot> restoredFrom = restored.isObject()
                ? Optional.of(new CheckpointStatistics.RestoredSnapshot(restored.path("id").asLong(),
                        restored.path("external_path").asText(null), restored.path("is_savepoint").asBoolean()))
                : Optional.empty();
        return new CheckpointStatistics(body.path("counts").path("completed").asLong(),
                body.path("counts").path("failed").asLong(), latest, restoredFrom);
    }

    @Override
    public String stopWithSavepoint(URI restEndpoint, String jobId, String targetDirectory) throws FlinkRestException {
        var body = json.createObjectNode().put("targetDirectory", targetDirectory).put("drain", false);
        return requestId(post(restEndpoint, "/jobs/" + jobId + "/stop", body.toString()), "/jobs/" + jobId + "/stop");
    }

    @Override
    public String triggerSavepoint(URI restEndpoint, String jobId, String targetDirectory) throws FlinkRestException {
        var body = json.createObjectNode().put("target-directory", targetDirectory).put("cancel-job", false);
        return requestId(post(restEndpoint, "/jobs/" + jobId + "/savepoints", body.toString()), "/jobs/" + jobId + "/savepoints");
    }

    @Override
    public SavepointStatus savepointStatus(URI restEndpoint, String jobId, String triggerId) throws FlinkRestException {
        Optional<JsonNode> answer = get(restEndpoint, "/jobs/" + jobId + "/savepoints/" + triggerId);
        if (answer.isEmpty()) {
            return SavepointStatus.unknown();
        }
        JsonNode body = answer.get();
        if (!"COMPLETED".equals(body.path("status").path("id").asText())) {
            return SavepointStatus.inProgress();
        }
        JsonNode operation = body.path("operation");
        if (operation.hasNonNull("location")) {
            return SavepointStatus.completed(operation.get("location").asText());
        }
        JsonNode cause = operation.path("failure-cause");
        String failure = cause.path("stack-trace").asText(cause.path("class").asText("unknown failure"));
        // The first line of Flink's serialized throwable: the exception and its message.
        return SavepointStatus.failed(failure.lines().findFirst().orElse(failure).strip());
    }

    @Override
    public int slotsTotal(URI restEndpoint) throws FlinkRestException {
        JsonNode overview = get(restEndpoint, "/overview").orElseThrow(() -> new FlinkRestException(
                FlinkRestException.Kind.HTTP_ERROR, "GET /overview answered HTTP 404", null));
        return overview.path("slots-total").asInt();
    }

    @Override
    public void updateResourceRequirements(URI restEndpoint, String jobId, Map<String, Integer> parallelism)
            throws FlinkRestException {
        var body = json.createObjectNode();
        parallelism.forEach((vertex, upper) -> body.putObject(vertex).putObject("parallelism")
                .put("lowerBound", 1).put("upperBound", upper));
        String path = "/jobs/" + jobId + "/resource-requirements";
        HttpRequest request = HttpRequest.newBuilder(restEndpoint.resolve(path)).timeout(requestTimeout)
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json").build();
        if (send(request, "PUT " + path).isEmpty()) {
            throw new FlinkRestException(FlinkRestException.Kind.HTTP_ERROR, "PUT " + path + " answered HTTP 404", null);
        }
    }

    @Override
    public Set<String> taskManagersRunningTasks(URI restEndpoint, String jobId, Collection<String> vertexIds)
            throws FlinkRestException {
        Set<String> ids = new TreeSet<>();
        for (String vertex : vertexIds) {
            Optional<JsonNode> answer = get(restEndpoint, "/jobs/" + jobId + "/vertices/" + vertex + "/taskmanagers");
            for (JsonNode tm : answer.map(a -> a.path("taskmanagers")).orElse(json.createArrayNode())) {
                ids.add(tm.path("taskmanager-id").asText());
            }
        }
        return ids;
    }

    private static String requestId(JsonNode body, String path) throws FlinkRestException {
        String id = body.path("request-id").asText("");
        if (id.isEmpty()) {
            throw new FlinkRestException(FlinkRestException.Kind.BAD_RESPONSE, "POST " + path + " returned no request-id", null);
        }
        return id;
    }

    private JobDetails toJobDetails(JsonNode body) {
        List<JobDetails.Vertex> vertices = new ArrayList<>();
        for (JsonNode v : body.path("vertices")) {
            Map<String, Integer> tasks = new LinkedHashMap<>();
            v.path("tasks").fields().forEachRemaining(e -> tasks.put(e.getKey(), e.getValue().asInt()));
            JsonNode busy = v.path("metrics").path("accumulated-busy-time");
            vertices.add(new JobDetails.Vertex(v.path("id").asText(), v.path("name").asText(), v.path("parallelism").asInt(),
                    v.path("maxParallelism").asInt(-1), tasks, busy.isNumber() ? busy.asDouble() : Double.NaN));
        }
        return new JobDetails(body.path("jid").asText(), body.path("name").asText(), body.path("state").asText(),
                List.copyOf(vertices));
    }

    /** GETs a path; empty on 404; every other failure is a {@link FlinkRestException}. */
    private Optional<JsonNode> get(URI restEndpoint, String path) throws FlinkRestException {
        HttpRequest request = HttpRequest.newBuilder(restEndpoint.resolve(path)).timeout(requestTimeout).GET()
                .header("Accept", "application/json").build();
        return send(request, "GET " + path);
    }

    /** POSTs a JSON body; a 404 (no such job) is a {@link FlinkRestException} like every other failure. */
    private JsonNode post(URI restEndpoint, String path, String body) throws FlinkRestException {
        HttpRequest request = HttpRequest.newBuilder(restEndpoint.resolve(path)).timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json").build();
        return send(request, "POST " + path).orElseThrow(() -> new FlinkRestException(
                FlinkRestException.Kind.HTTP_ERROR, "POST " + path + " answered HTTP 404", null));
    }

    private Optional<JsonNode> send(HttpRequest request, String what) throws FlinkRestException {
        URI uri = request.uri();
        String path = what;
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new FlinkRestException(FlinkRestException.Kind.TIMEOUT, "connecting to " + uri.getAuthority() + " timed out", e);
        } catch (HttpTimeoutException e) {
            throw new FlinkRestException(FlinkRestException.Kind.TIMEOUT, what + " timed out after " + requestTimeout, e);
        } catch (ConnectException | UnresolvedAddressException e) {
            throw new FlinkRestException(FlinkRestException.Kind.UNREACHABLE, "cannot connect to " + uri.getAuthority(), e);
        } catch (IOException e) {
            throw new FlinkRestException(FlinkRestException.Kind.UNREACHABLE, what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRestException(FlinkRestException.Kind.TIMEOUT, "interrupted", e);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() >= 300) {
            throw new FlinkRestException(FlinkRestException.Kind.HTTP_ERROR,
                    path + " answered HTTP " + response.statusCode() + errorDetail(response.body()), null);
        }
        try {
            return Optional.of(json.readTree(response.body()));
        } catch (IOException e) {
            throw new FlinkRestException(FlinkRestException.Kind.BAD_RESPONSE, path + " did not return JSON", e);
        }
    }

    /** Flink's error answer is {@code {"errors": ["..."]}}; its first line, if there is one. */
    private String errorDetail(String body) {
        try {
            JsonNode errors = json.readTree(body).path("errors");
            return errors.isArray() && !errors.isEmpty()
                    ? ": " + errors.get(0).asText().lines().findFirst().orElse("").strip()
                    : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
