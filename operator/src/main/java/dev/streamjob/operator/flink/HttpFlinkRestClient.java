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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    private JobDetails toJobDetails(JsonNode body) {
        List<JobDetails.Vertex> vertices = new ArrayList<>();
        for (JsonNode v : body.path("vertices")) {
            Map<String, Integer> tasks = new LinkedHashMap<>();
            v.path("tasks").fields().forEachRemaining(e -> tasks.put(e.getKey(), e.getValue().asInt()));
            vertices.add(new JobDetails.Vertex(v.path("name").asText(), v.path("parallelism").asInt(), tasks));
        }
        return new JobDetails(body.path("jid").asText(), body.path("name").asText(), body.path("state").asText(),
                List.copyOf(vertices));
    }

    /** GETs a path; empty on 404; every other failure is a {@link FlinkRestException}. */
    private Optional<JsonNode> get(URI restEndpoint, String path) throws FlinkRestException {
        URI uri = restEndpoint.resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET()
                .header("Accept", "application/json").build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new FlinkRestException(FlinkRestException.Kind.TIMEOUT, "connecting to " + uri.getAuthority() + " timed out", e);
        } catch (HttpTimeoutException e) {
            throw new FlinkRestException(FlinkRestException.Kind.TIMEOUT, "GET " + path + " timed out after " + requestTimeout, e);
        } catch (ConnectException | UnresolvedAddressException e) {
            throw new FlinkRestException(FlinkRestException.Kind.UNREACHABLE, "cannot connect to " + uri.getAuthority(), e);
        } catch (IOException e) {
            throw new FlinkRestException(FlinkRestException.Kind.UNREACHABLE, "GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRestException(FlinkRestException.Kind.TIMEOUT, "interrupted", e);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() >= 300) {
            throw new FlinkRestException(FlinkRestException.Kind.HTTP_ERROR,
                    "GET " + path + " answered HTTP " + response.statusCode(), null);
        }
        try {
            return Optional.of(json.readTree(response.body()));
        } catch (IOException e) {
            throw new FlinkRestException(FlinkRestException.Kind.BAD_RESPONSE, "GET " + path + " did not return JSON", e);
        }
    }
}
