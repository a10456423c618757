package dev.streamjob.operator.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP client against a local server answering with Flink's documented JSON. */
class HttpFlinkRestClientTest {

    private static final String JOB_ID = "0f8c6a4e1b2d4c3e9f10a1b2c3d4e5f6";
    private HttpServer server;
    private URI endpoint;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Map<String, String> bodies = Map.of(
                "/jobs/" + JOB_ID, """
                        {"jid":"%s","name":"insert-into_default_catalog","isStoppable":false,"state":"RUNNING",
                         "start-time":1795000000000,"vertices":[
                          {"id":"cbc357ccb763df2852fee8c4fc7d55f2","name":"Source: orders","maxParallelism":128,
                           "parallelism":2,"status":"RUNNING","tasks":{"RUNNING":2,"DEPLOYING":0,"FAILED":0},
                           "metrics":{"read-records":0,"write-records":812,"accumulated-backpressured-time":0,
                            "accumulated-idle-time":38000,"accumulated-busy-time":2012.5}},
                          {"id":"90bea66de1c231edf33913ecd54406c1","name":"Window","maxParallelism":128,
                           "parallelism":2,"status":"RUNNING","tasks":{"RUNNING":1,"DEPLOYING":1},
                           "metrics":{"accumulated-busy-time":"NaN"}}],
                         "status-counts":{"RUNNING":2}}""".formatted(JOB_ID),
                "/jobs/" + JOB_ID + "/checkpoints", """
                        {"counts":{"restored":0,"total":5,"in_progress":0,"completed":4,"failed":1},
                         "latest":{"completed":{"@class":"completed","id":4,"status":"COMPLETED",
                           "latest_ack_timestamp":1795000040000,
                           "external_path":"s3://snapshots/ns/orders/checkpoints/%s/chk-4"},
                          "savepoint":null,"failed":null,
                          "restored":{"id":2,"restore_timestamp":1795000001000,"is_savepoint":false,
                           "external_path":"s3://snapshots/ns/orders/checkpoints/%s/chk-2"}}}""".formatted(JOB_ID, JOB_ID));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/jobs/slow")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String body = bodies.get(path);
            int code = body != null ? 200 : path.startsWith("/jobs/broken") ? 500 : 404;
            byte[] bytes = (body != null ? body : "{\"errors\":[\"not found\"]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private final HttpFlinkRestClient client = new HttpFlinkRestClient(Duration.ofSeconds(1), Duration.ofMillis(500));

    @Test
    void readsJobDetails() throws Exception {
        JobDetails job = client.job(endpoint, JOB_ID).orElseThrow();

        assertThat(job.state()).isEqualTo("RUNNING");
        assertThat(job.parallelism()).isEqualTo(2);
        assertThat(job.vertices()).hasSize(2);
        assertThat(job.allTasksRunning()).isFalse(); // one Window subtask is still DEPLOYING
        JobDetails.Vertex source = job.vertices().get(0);
        assertThat(source.id()).isEqualTo("cbc357ccb763df2852fee8c4fc7d55f2");
        assertThat(source.maxParallelism()).isEqualTo(128);
        assertThat(source.accumulatedBusyTimeMs()).isEqualTo(2012.5);
        assertThat(job.vertices().get(1).accumulatedBusyTimeMs()).as("not a number: unknown").isNaN();
    }

    @Test
    void readsTheLatestCompletedCheckpoint() throws Exception {
        CheckpointStatistics stats = client.checkpoints(endpoint, JOB_ID);

        assertThat(stats.completed()).isEqualTo(4);
        assertThat(stats.failed()).isEqualTo(1);
        assertThat(stats.latestCompleted()).contains(new CheckpointStatistics.CompletedCheckpoint(
                4, "s3://snapshots/ns/orders/checkpoints/" + JOB_ID + "/chk-4", 1795000040000L));
        assertThat(stats.restored()).contains(new CheckpointStatistics.RestoredSnapshot(
                2, "s3://snapshots/ns/orders/checkpoints/" + JOB_ID + "/chk-2", false));
    }

    @Test
    void unknownJobIsEmpty() throws Exception {
        assertThat(client.job(endpoint, "ffffffffffffffffffffffffffffffff")).isEmpty();
    }

    @Test
    void failuresHaveAKind() throws IOException {
        assertThatThrownBy(() -> client.job(endpoint, "broken"))
                .isInstanceOfSatisfying(FlinkRestException.class, e -> assertThat(e.kind()).isEqualTo(FlinkRestException.Kind.HTTP_ERROR));
        assertThatThrownBy(() -> client.job(endpoint, "slow"))
                .isInstanceOfSatisfying(FlinkRestException.class, e -> assertThat(e.kind()).isEqualTo(FlinkRestException.Kind.TIMEOUT));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nobody = URI.create("http://127.0.0.1:" + closedPort);
        assertThatThrownBy(() -> client.job(nobody, JOB_ID))
                .isInstanceOfSatisfying(FlinkRestException.class, e -> assertThat(e.kind()).isEqualTo(FlinkRestException.Kind.UNREACHABLE));
    }
}
