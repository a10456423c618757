package dev.streamjob.operator.local;

import dev.streamjob.operator.TestStreamJobs;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.flink.FlinkRestException;
import dev.streamjob.operator.flink.HttpFlinkRestClient;
import dev.streamjob.operator.flink.JobDetails;
import dev.streamjob.operator.model.DesiredResources;
import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.testbed.KafkaBroker;
import dev.streamjob.testbed.OrderGenerator;
import dev.streamjob.testbed.S3Server;
import dev.streamjob.testbed.WindowAggregate;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code make demo}: the example StreamJob ({@code examples/orders-revenue.yaml}) on generated
 * orders. Starts a Kafka broker and an S3 server on 127.0.0.1, builds the JobManager and
 * TaskManager pods exactly as the operator would, runs them as local processes of the runtime,
 * feeds live orders and prints each revenue aggregate as it is committed (read_committed).
 *
 * <p>Arguments: {@code [--duration SECONDS] [--rate ORDERS_PER_SECOND]}: run for that long
 * (default 120 s; 0 until Ctrl-C) with that input rate (default 200/s). {@code --benchmark N}
 * instead writes N orders up front and measures how fast the job turns them into committed
 * aggregates.
 */
public final class OrdersDemo {

    private static final PrintStream OUT = System.out;

    private OrdersDemo() {
    }

    /** Runs the demo; exits with 2 on bad arguments. */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        long duration = Long.parseLong(options.getOrDefault("--duration", "120"));
        double rate = Double.parseDouble(options.getOrDefault("--rate", "200"));
        long benchmark = Long.parseLong(options.getOrDefault("--benchmark", "0"));

        CountDownLatch interrupted = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(interrupted::countDown));
        Path work = Files.createTempDirectory("streamjob-demo");
        try (KafkaBroker kafka = new KafkaBroker().start(); S3Server s3 = new S3Server().start()) {
            kafka.createTopic("orders", 2);
            kafka.createTopic("revenue", 1);
            s3.createBucket("flink");
            OUT.printf("kafka %s, s3 %s, work dir %s%n", kafka.bootstrapServers(), s3.endpoint(), work);

            StreamJob job = ExampleStreamJobs.ordersRevenue("demo", kafka.bootstrapServers(), s3.endpoint(), "flink");
            job.getMetadata().setUid(UUID.randomUUID().toString());
            job.getMetadata().setGeneration(1L);
            DesiredResources resources = DesiredResources.of(job, TestStreamJobs.config(), TestStreamJobs.firstRun(job));
            int restPort = LocalFlinkCluster.freePort();

            long expected = 0;
            if (benchmark > 0) {
                OUT.printf("writing %d orders...%n", benchmark);
                expected = OrderGenerator.produce(kafka.bootstrapServers(), OrderGenerator.batch("orders", 2, 1,
                        Math.toIntExact(benchmark), OrderGenerator.DEFAULT_START, Duration.ofMillis(1)))
                        .orders().size();
            }
            Instant start = Instant.now();
            try (LocalFlinkCluster flink = LocalFlinkCluster.start(LocalFlinkCluster.runtimeHome(), restPort,
                    resources.configMap(), resources.jobManager(), resources.taskManager(),
                    List.of(ExampleStreamJobs.credentials("demo", s3.accessKey(), s3.secretKey())), work);
                    OrderGenerator.LiveFeed feed = benchmark > 0 ? null
                            : OrderGenerator.startLive(kafka.bootstrapServers(), "orders", rate, 0, 42);
                    KafkaConsumer<byte[], byte[]> revenue = consumer(kafka.bootstrapServers())) {
                revenue.subscribe(List.of("revenue"));
                HttpFlinkRestClient rest = new HttpFlinkRestClient(Duration.ofSeconds(1), Duration.ofSeconds(3));
                URI endpoint = URI.create("http://127.0.0.1:" + restPort);
                String jobId = TestStreamJobs.firstRun(job).jobId();
                String lastState = "";
                Instant running = null;
                long aggregatedOrders = 0;
                Instant deadline = duration == 0 ? Instant.MAX : start.plusSeconds(duration);
                while (Instant.now().isBefore(deadline) && interrupted.getCount() > 0) {
                    Optional<JobDetails> details = jobDetails(rest, endpoint, jobId);
                    String state = details.map(d -> d.allTasksRunning() ? "RUNNING (all tasks)" : d.state()).orElse("STARTING");
                    if (!state.equals(lastState)) {
                        OUT.printf("[%5.1f s] job %s%n", seconds(start), state);
                        lastState = state;
                        if (running == null && details.map(JobDetails::allTasksRunning).orElse(false)) {
                            running = Instant.now();
                        }
                    }
                    for (ConsumerRecord<byte[], byte[]> record : revenue.poll(Duration.ofSeconds(1))) {
                        WindowAggregate a = WindowAggregate.fromJson(new String(record.value(), StandardCharsets.UTF_8));
                        aggregatedOrders += a.orders();
                        OUT.printf("[%5.1f s] %s..%s %-7s orders=%4d revenue=%10.2f%n", seconds(start),
                                a.windowStart().toLocalTime(), a.windowEnd().toLocalTime(), a.product(), a.orders(),
                                a.revenueCents() / 100.0);
                    }
                    if (!flink.jobManager().isAlive()) {
                        OUT.println("the JobManager exited:\n" + flink.logTails(30));
                        break;
                    }
                    if (benchmark > 0 && aggregatedOrders >= expected) {
                        double secs = Duration.between(running, Instant.now()).toMillis() / 1000.0;
                        OUT.printf("MEASURED start -> all tasks RUNNING: %.1f s%n", Duration.between(start, running).toMillis() / 1000.0);
                        OUT.printf("MEASURED %d orders aggregated and committed in %.1f s after RUNNING: %.0f orders/s%n",
                                expected, secs, expected / secs);
                        break;
                    }
                }
                if (feed != null) {
                    OUT.printf("produced %d orders; aggregated %d orders in closed windows%n", feed.produced(), aggregatedOrders);
                }
            }
        }
    }

    private static Optional<JobDetails> jobDetails(HttpFlinkRestClient rest, URI endpoint, String jobId) {
        try {
            return rest.job(endpoint, jobId);
        } catch (FlinkRestException e) {
            return Optional.empty();
        }
    }

    private static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "demo-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private static Map<String, String> options(String[] args) {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!List.of("--duration", "--rate", "--benchmark").contains(args[i]) || i + 1 >= args.length
                    || !args[i + 1].matches("[0-9]+(\\.[0-9]+)?")) {
                System.err.println("usage: OrdersDemo [--duration SECONDS] [--rate ORDERS_PER_SECOND] [--benchmark ORDERS]");
                System.exit(2);
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }
}
