package dev.streamjob.testbed;

import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real S3 API server on 127.0.0.1: S3Proxy ({@code org.gaul:s3proxy} at the parent POM's
 * {@code s3proxy.version}) run as a child JVM over the jclouds {@code transient} store: objects
 * live in the child's memory and are gone when it stops. The filesystem stores are not used
 * because they answer {@code HEAD name} for a directory marker {@code name/} as if it were an
 * object, which makes Hadoop's S3A (Flink's {@code s3://}) refuse to reopen a checkpoint
 * directory after a restart ("Path is a file").
 *
 * <p>It accepts AWS signature v2 and v4 ({@code s3proxy.authorization=aws-v2-or-v4}) with the
 * configured access key and secret, and serves path-style URLs only
 * ({@code http://127.0.0.1:<port>/<bucket>/<key>}): clients must use path-style access (Flink:
 * {@code s3.path.style.access: true}; minio-java does so for an IP endpoint). Region
 * {@code us-east-1}.
 *
 * <pre>{@code
 * try (S3Server s3 = new S3Server().start()) {
 *     s3.createBucket("checkpoints");
 *     MinioClient client = s3.client();
 * }
 * }</pre>
 */
public final class S3Server implements AutoCloseable {

    /** Access key used by {@link #S3Server()}. */
    public static final String DEFAULT_ACCESS_KEY = "testbed-access-key";

    /** Secret key used by {@link #S3Server()}. */
    public static final String DEFAULT_SECRET_KEY = "testbed-secret-key";

    /** The region S3Proxy reports and {@link #client()} signs for. */
    public static final String REGION = "us-east-1";

    /** How long {@link #start()} waits for S3Proxy to answer (it takes 2-3 s on 2 cores). */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
            "-Djava.awt.headless=true");

    private final String accessKey;
    private final String secretKey;
    private final ScratchDirectory root;
    private int port;
    private ChildJvm jvm;
    private MinioClient client;
    private boolean closed;

    /** A server accepting {@link #DEFAULT_ACCESS_KEY} / {@link #DEFAULT_SECRET_KEY}; call {@link #start()}. */
    public S3Server() {
        this(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY);
    }

    /** A server accepting the given credentials; call {@link #start()}. */
    public S3Server(String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.root = ScratchDirectory.create("testbed-s3-");
    }

    /**
     * Starts S3Proxy on a free port of 127.0.0.1 (the same port on a restart) and waits until it
     * answers a signed ListBuckets.
     *
     * @return this server
     * @throws IllegalStateException if this was closed, or S3Proxy exits or does not answer within
     *     {@link #STARTUP_TIMEOUT} (the message holds the end of its log)
     * @throws UncheckedIOException if its files cannot be written
     */
    public synchronized S3Server start() {
        if (closed) {
            throw new IllegalStateException("the S3 server is closed");
        }
        if (jvm != null && jvm.isAlive()) {
            return this;
        }
        if (port == 0) {
            port = Loopback.freePort();
        }
        Path config = writeConfig();
        List<String> jvmOptions = new ArrayList<>(JVM_OPTIONS);
        jvmOptions.add("-Dlogback.configurationFile=" + root.path().resolve("logback.xml"));
        jvm = ChildJvm.start("s3-server", jvmOptions, "org.gaul.s3proxy.Main",
                List.of("--properties", config.toString()), root.path(), logFile());
        MinioClient probe = client();
        jvm.awaitReady(() -> answers(probe), STARTUP_TIMEOUT, Duration.ofMillis(100));
        return this;
    }

    /** The endpoint URL, {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String endpoint() {
        if (port == 0) {
            throw new IllegalStateException("the S3 server was never started");
        }
        return "http://" + Loopback.HOST + ":" + port;
    }

    /** The access key (identity) the server accepts. */
    public String accessKey() {
        return accessKey;
    }

    /** The secret key (credential) the server accepts. */
    public String secretKey() {
        return secretKey;
    }

    /** The server's private directory (configuration, log); the objects themselves live in memory. */
    public Path dataDirectory() {
        return root.path().resolve("data");
    }

    /** The file receiving S3Proxy's stdout and stderr (logback at INFO). */
    public Path logFile() {
        return root.path().resolve("s3proxy.log");
    }

    /** True while the S3Proxy process is alive. */
    public synchronized boolean isRunning() {
        return jvm != null && jvm.isAlive();
    }

    /**
     * A minio-java client for this server (path-style, region {@link #REGION}); the same
     * thread-safe instance on every call.
     *
     * @throws IllegalStateException if the server was never started
     */
    public synchronized MinioClient client() {
        if (client == null) {
            client = MinioClient.builder()
                    .endpoint(endpoint())
                    .region(REGION)
                    .credentials(accessKey, secretKey)
                    .build();
        }
        return client;
    }

    /**
     * Creates a bucket.
     *
     * @throws IllegalStateException if S3 refuses (for example, the bucket exists) or cannot be reached
     */
    public void createBucket(String name) {
        try {
            client().makeBucket(MakeBucketArgs.builder().bucket(name).build());
        } catch (MinioException | IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create bucket " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lists the keys of all objects under {@code prefix} (recursively, all pages), in S3's
     * lexicographic order.
     *
     * @param prefix a key prefix, {@code ""} for the whole bucket
     * @throws IllegalStateException if the listing fails (for example, no such bucket)
     */
    public List<String> listObjects(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        Iterable<Result<Item>> results = client().listObjects(
                ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build());
        try {
            for (Result<Item> result : results) {
                keys.add(result.get().objectName());
            }
        } catch (MinioException | IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
        }
        return keys;
    }

    /**
     * Freezes S3Proxy with SIGSTOP: the kernel still accepts connections but nothing answers, as
     * during a network partition or a hung store. Its objects stay (they live in its memory,
     * which {@link #stop()} would lose). Does nothing if it is not running.
     *
     * @throws IllegalStateException if the signal cannot be sent
     */
    public synchronized void freeze() {
        signal("STOP");
    }

    /** Lets a frozen S3Proxy go on (SIGCONT). */
    public synchronized void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        if (jvm == null) {
            return;
        }
        try {
            int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(jvm.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + name + " " + jvm.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot send SIG" + name + " to the S3 server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + name + " to the S3 server", e);
        }
    }

    /** Stops S3Proxy (SIGTERM, then SIGKILL after 10 s), keeping its port; its objects are gone. */
    public synchronized void stop() {
        if (jvm != null) {
            jvm.stop(SHUTDOWN_GRACE);
            jvm = null;
        }
    }

    /** Stops S3Proxy and deletes its directory (objects, configuration and log). */
    @Override
    public synchronized void close() {
        closed = true;
        stop();
        root.close();
    }

    private static boolean answers(MinioClient client) {
        try {
            client.listBuckets();
            return true;
        } catch (MinioException | IOException | GeneralSecurityException e) {
            return false;
        }
    }

    private Path writeConfig() {
        String properties = String.join("\n",
                "s3proxy.endpoint=" + endpoint(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "jclouds.provider=transient",
                // The jclouds backend requires credentials of its own; a local store ignores them.
                "jclouds.identity=local",
                "jclouds.credential=local",
                "");
        String logback = String.join("\n",
                "<configuration>",
                "  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
                "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%logger{0}] %msg%n</pattern></encoder>",
                "  </appender>",
                "  <root level=\"INFO\"><appender-ref ref=\"STDOUT\"/></root>",
                "</configuration>",
                "");
        try {
            Files.createDirectories(dataDirectory());
            Path config = root.path().resolve("s3proxy.properties");
            Files.writeString(config, properties, StandardCharsets.UTF_8);
            Files.writeString(root.path().resolve("logback.xml"), logback, StandardCharsets.UTF_8);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the S3Proxy configuration", e);
        }
    }
}
