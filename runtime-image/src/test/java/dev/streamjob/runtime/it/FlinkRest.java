package dev.streamjob.runtime.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/** A minimal client of the JobManager's REST API (see "REST API" in the Flink documentation). */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    FlinkRest(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /**
     * GETs a path and parses the JSON answer.
     *
     * @throws IOException if the server cannot be reached or does not answer 200
     */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Waits up to 2 minutes until every vertex of the job runs, failing at once when the
     * JobManager or the TaskManager process exits.
     */
    void awaitAllVerticesRunning(String jobId, LauncherProcess jobManager, LauncherProcess taskManager) {
        await("all vertices of job " + jobId + " RUNNING")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .failFast("the JobManager exited", () -> !jobManager.isAlive())
                .failFast("the TaskManager exited", () -> !taskManager.isAlive())
                .ignoreExceptions()
                .until(() -> allVerticesRunning(jobId));
    }

    /** Whether the job exists, is RUNNING and every one of its vertices is RUNNING. */
    boolean allVerticesRunning(String jobId) throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        JsonNode vertices = job.path("vertices");
        if (vertices.isEmpty()) {
            return false;
        }
        for (JsonNode vertex : vertices) {
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }
}
