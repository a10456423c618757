package dev.streamjob.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), run as
 * a child JVM on 127.0.0.1 with its data in a temporary directory.
 *
 * <p>The broker is {@code org.apache.kafka:kafka_2.13} at the version of the parent POM's
 * {@code kafka.version}. On first start the storage is formatted with a fresh cluster id
 * ({@code kafka.tools.StorageTool format}), then {@code kafka.Kafka} runs with a generated
 * {@code server.properties}. The configuration suits one broker and transactions: replication
 * factor 1 and min ISR 1 for the offsets and transaction state topics, no automatic topic
 * creation (tests create their topics with {@link #createTopic}), and no time-based retention
 * (events may carry any event time).
 *
 * <pre>{@code
 * try (KafkaBroker kafka = new KafkaBroker().start()) {
 *     kafka.createTopic("orders", 3);
 *     String bootstrap = kafka.bootstrapServers();   // 127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {

    /** How long {@link #start()} waits for the broker to answer (it takes 4-8 s on 2 cores, storage format included). */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    /** How long {@link #stop()} lets the broker shut down cleanly before it is killed. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
            "-Djava.awt.headless=true");

    private final Map<String, String> configOverrides;
    private final ScratchDirectory root;
    private int port;
    private int controllerPort;
    private ChildJvm jvm;
    private boolean closed;

    /** A broker with the testbed's default configuration; call {@link #start()}. */
    public KafkaBroker() {
        this(Map.of());
    }

    /**
     * A broker whose {@code server.properties} entries are replaced or completed by
     * {@code configOverrides} (for example {@code auto.create.topics.enable=true}). Listener, node
     * and directory settings are owned by this class and cannot be overridden.
     */
    public KafkaBroker(Map<String, String> configOverrides) {
        this.configOverrides = Map.copyOf(configOverrides);
        this.root = ScratchDirectory.create("testbed-kafka-");
    }

    /**
     * Starts the broker (formatting its storage on the first start) and waits until it answers
     * an Admin {@code describeCluster}. A restarted broker keeps its port and data.
     *
     * @return this broker
     * @throws IllegalStateException if this was closed, or the broker exits or does not answer within
     *     {@link #STARTUP_TIMEOUT} (the message holds the end of its log)
     * @throws UncheckedIOException if its files cannot be written
     */
    public synchronized KafkaBroker start() {
        if (closed) {
            throw new IllegalStateException("the Kafka broker is closed");
        }
        if (jvm != null && jvm.isAlive()) {
            return this;
        }
        if (port == 0) {
            port = Loopback.freePort();
            controllerPort = Loopback.freePort();
        }
        Path config = writeConfig();
        if (!Files.exists(dataDirectory().resolve("meta.properties"))) {
            List<String> toolOptions = new ArrayList<>(jvmOptions());
            toolOptions.add("-XX:TieredStopAtLevel=1"); // a short-lived tool: C1 only starts faster
            ChildJvm.run("kafka-server", toolOptions, "kafka.tools.StorageTool",
                    List.of("format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString()),
                    root.path(), logFile(), Duration.ofSeconds(60));
        }
        jvm = ChildJvm.start("kafka-server", jvmOptions(), "kafka.Kafka", List.of(config.toString()), root.path(),
                logFile());
        Map<String, Object> probeConfig = new LinkedHashMap<>(adminConfig());
        // Reconnect quickly while the broker is still starting (the default backoff grows to 1 s).
        probeConfig.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 100);
        try (Admin probe = Admin.create(probeConfig)) {
            jvm.awaitReady(() -> answers(probe), STARTUP_TIMEOUT, Duration.ofMillis(50));
        }
        return this;
    }

    /** The {@code bootstrap.servers} value for clients: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        requireStarted();
        return Loopback.HOST + ":" + port;
    }

    /** The broker's client port on 127.0.0.1; it stays the same across {@link #restart()}. */
    public int port() {
        requireStarted();
        return port;
    }

    /** The broker's {@code log.dirs} directory (topic data and KRaft metadata). */
    public Path dataDirectory() {
        return root.path().resolve("data");
    }

    /** The file receiving the broker's stdout and stderr (log4j2 at INFO), across restarts. */
    public Path logFile() {
        return root.path().resolve("kafka.log");
    }

    /** True while the broker process is alive (it may still be starting or stopping). */
    public synchronized boolean isRunning() {
        return jvm != null && jvm.isAlive();
    }

    /** The broker process id; {@link IllegalStateException} if it is not running. */
    public synchronized long pid() {
        if (!isRunning()) {
            throw new IllegalStateException("the Kafka broker is not running");
        }
        return jvm.pid();
    }

    /**
     * A new Admin client for this broker; the caller closes it.
     *
     * @throws IllegalStateException if the broker was never started
     */
    public Admin admin() {
        return Admin.create(adminConfig());
    }

    /**
     * Creates a topic with {@code partitions} partitions and replication factor 1, and returns
     * once the controller has created it.
     *
     * @throws IllegalStateException if the topic exists already or creation fails or takes
     *     longer than 30 s
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    /**
     * Stops the broker cleanly (SIGTERM, then SIGKILL after {@link #SHUTDOWN_GRACE}) and keeps
     * its data and port for a later {@link #start()}. Does nothing if it is not running.
     */
    public synchronized void stop() {
        if (jvm != null) {
            jvm.stop(SHUTDOWN_GRACE);
            jvm = null;
        }
    }

    /**
     * Kills the broker with SIGKILL, as a crash would, keeping its data and port for a later
     * {@link #start()}. Does nothing if it is not running. The next start takes about 9 s longer
     * than a clean one: the controller refuses the new registration until the old broker's session
     * expires ({@code broker.session.timeout.ms}, which the constructor's overrides can lower).
     */
    public synchronized void kill() {
        if (jvm != null) {
            jvm.kill();
            jvm = null;
        }
    }

    /**
     * Stops the broker cleanly and starts it again on the same port with the same data.
     *
     * @throws IllegalStateException as {@link #start()}
     */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Stops the broker and deletes its directory (data, configuration and log). */
    @Override
    public synchronized void close() {
        closed = true;
        stop();
        root.close();
    }

    private void requireStarted() {
        if (port == 0) {
            throw new IllegalStateException("the Kafka broker was never started");
        }
    }

    private List<String> jvmOptions() {
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        options.add("-Dlog4j2.configurationFile=" + root.path().resolve("log4j2.properties"));
        return options;
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        return config;
    }

    private static boolean answers(Admin admin) {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(1_000)).nodes()
                    .get(1, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    private Path writeConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("auto.create.topics.enable", "false");
        config.put("num.partitions", "1");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "4");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "4");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("log.retention.ms", "-1");
        config.putAll(configOverrides);
        // Owned by this class: identity, listeners on 127.0.0.1 only, directories.
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@" + Loopback.HOST + ":" + controllerPort);
        config.put("listeners", "PLAINTEXT://" + Loopback.HOST + ":" + port + ",CONTROLLER://" + Loopback.HOST
                + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + Loopback.HOST + ":" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        config.put("log.dirs", dataDirectory().toString());

        String serverProperties = config.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        String log4j = String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.stdout.ref = STDOUT",
                "appender.stdout.type = Console",
                "appender.stdout.name = STDOUT",
                "appender.stdout.layout.type = PatternLayout",
                "appender.stdout.layout.pattern = %d{HH:mm:ss.SSS} %-5p [%c{1}] %m%n",
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN",
                "");
        try {
            Path serverConfig = root.path().resolve("server.properties");
            Files.writeString(serverConfig, serverProperties, StandardCharsets.UTF_8);
            Files.writeString(root.path().resolve("log4j2.properties"), log4j, StandardCharsets.UTF_8);
            return serverConfig;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Kafka broker configuration", e);
        }
    }
}
