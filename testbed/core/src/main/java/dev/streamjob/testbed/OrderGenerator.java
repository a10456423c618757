package dev.streamjob.testbed;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the example's input: {@link OrderEvent}s as JSON to a Kafka topic.
 *
 * <p>Two modes:
 * <ul>
 *   <li>a deterministic batch for tests ({@link #batch}, then {@link #produce}): the same seed
 *       gives the same orders, spaced by a fixed event-time step, written round-robin with an
 *       explicit partition per record in one Kafka transaction, then one flush record per
 *       partition (see {@link OrderBatch});</li>
 *   <li>a live feed for demos ({@link #startLive}): a given rate per second, event time = now,
 *       round-robin over the topic's partitions, with an idempotent producer, until stopped or
 *       a count is reached.</li>
 * </ul>
 *
 * <p>From the command line (see {@link #USAGE}), for example against your own Kafka:
 * <pre>
 * mvn -f testbed/pom.xml -q -pl core -am compile exec:java \
 *     -Dexec.mainClass=dev.streamjob.testbed.OrderGenerator \
 *     -Dexec.args="--bootstrap-servers 127.0.0.1:9092 --topic orders --rate 20"
 * </pre>
 */
public final class OrderGenerator {

    /** How far after the last order the flush records are, in event time: 60 seconds. */
    public static final Duration FLUSH_AHEAD = Duration.ofSeconds(60);

    /** The batch event-time start used when none is given: {@code 2026-11-22T10:00:00Z}. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-22T10:00:00Z");

    /** The command-line help. */
    public static final String USAGE = String.join("\n",
            "Usage: OrderGenerator --bootstrap-servers HOST:PORT [options]",
            "",
            "Writes JSON order events to a Kafka topic (record key = order_id), e.g.",
            "  {\"order_id\":\"o-0000001\",\"customer_id\":\"c-042\",\"product\":\"books\","
                    + "\"amount_cents\":1299,\"order_time\":\"2026-11-22T10:00:00.123Z\"}",
            "",
            "Without --rate, writes one deterministic batch in a transaction: --count orders spaced by",
            "--step-ms of event time from --start, round-robin over the partitions, then one 'flush'",
            "record per partition 60 s later so every 10-second window closes.",
            "With --rate, writes live orders (event time = now) until --count or Ctrl-C.",
            "",
            "Options:",
            "  --bootstrap-servers HOST:PORT  the Kafka cluster (required)",
            "  --topic NAME                   topic to write (default: orders); created if missing",
            "  --partitions N                 partitions of a topic created here (default: 3)",
            "  --rate R                       live mode: R orders per second (R > 0)",
            "  --count N                      batch: orders (default: 1000); live: stop after N (default: never)",
            "  --seed S                       random seed (default: 42)",
            "  --start INSTANT                batch: event time of the first order (default: 2026-11-22T10:00:00Z)",
            "  --step-ms MS                   batch: event-time step between orders (default: 100)",
            "  --help                         print this help",
            "",
            "Exit codes: 0 done, 1 failed, 2 bad usage.");

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);

    private OrderGenerator() {
    }

    /**
     * Makes a deterministic batch without writing it: {@code count} orders with event times
     * {@code start}, {@code start + step}, ..., products, customers and amounts drawn from
     * {@code new Random(seed)}, then one flush record per partition at
     * {@link #FLUSH_AHEAD} after the last order.
     *
     * @throws IllegalArgumentException if {@code partitions < 1}, {@code count < 0} or {@code step} is negative
     */
    public static OrderBatch batch(String topic, int partitions, long seed, int count, Instant start, Duration step) {
        if (partitions < 1 || count < 0 || step.isNegative()) {
            throw new IllegalArgumentException("need partitions >= 1, count >= 0, step >= 0; got " + partitions
                    + ", " + count + ", " + step);
        }
        Random random = new Random(seed);
        List<OrderEvent> orders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            orders.add(nextOrder(random, i + 1, start.plus(step.multipliedBy(i))));
        }
        Instant last = orders.isEmpty() ? start : orders.get(orders.size() - 1).orderTime();
        List<OrderEvent> flushes = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            flushes.add(new OrderEvent("flush-" + p, "c-000", OrderEvent.FLUSH_PRODUCT, 0, last.plus(FLUSH_AHEAD)));
        }
        return new OrderBatch(topic, partitions, orders, flushes);
    }

    /**
     * Writes {@code batch} to its topic in one Kafka transaction: order {@code i} to partition
     * {@code i % partitions}, then flush record {@code p} to partition {@code p}.
     *
     * @return {@code batch}
     * @throws IllegalArgumentException if the topic does not exist or has a different partition
     *     count (a partition without a flush record would hold the watermark back)
     * @throws IllegalStateException if Kafka fails or times out (60 s); the transaction is aborted
     */
    public static OrderBatch produce(String bootstrapServers, OrderBatch batch) {
        return produceRange(bootstrapServers, batch, 0, batch.orders().size());
    }

    /**
     * Writes orders {@code from} (inclusive) to {@code to} (exclusive) of {@code batch} in one Kafka
     * transaction, each to the partition it has in the whole batch, and the flush records only
     * when {@code to} is the end of the batch: a batch written in parts reaches Kafka exactly as
     * if written at once (tests use it to change the world between the parts).
     *
     * @return {@code batch}
     * @throws IllegalArgumentException if the range is outside the batch, or as {@link #produce}
     * @throws IllegalStateException as {@link #produce}
     */
    public static OrderBatch produceRange(String bootstrapServers, OrderBatch batch, int from, int to) {
        if (from < 0 || to > batch.orders().size() || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") is outside the batch of "
                    + batch.orders().size() + " orders");
        }
        int actual = partitionCount(bootstrapServers, batch.topic())
                .orElseThrow(() -> new IllegalArgumentException("topic " + batch.topic() + " does not exist"));
        if (actual != batch.partitions()) {
            throw new IllegalArgumentException("topic " + batch.topic() + " has " + actual + " partitions, the batch "
                    + batch.partitions());
        }
        Map<String, Object> config = producerConfig(bootstrapServers);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "order-generator-" + UUID.randomUUID());
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            try {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = from; i < to; i++) {
                    producer.send(record(batch.topic(), batch.partitionOf(i), batch.orders().get(i)));
                }
                for (int p = 0; to == batch.orders().size() && p < batch.partitions(); p++) {
                    producer.send(record(batch.topic(), p, batch.flushes().get(p)));
                }
                producer.commitTransaction();
            } catch (RuntimeException e) {
                IllegalStateException failure = new IllegalStateException("cannot write the batch to " + batch.topic()
                        + ": " + e.getMessage(), e);
                try {
                    producer.abortTransaction();
                } catch (RuntimeException abortFailure) {
                    failure.addSuppressed(abortFailure);
                }
                throw failure;
            }
        }
        return batch;
    }

    /**
     * Starts a live feed on a background thread: {@code ratePerSecond} orders per second (evenly
     * paced), event time = now, round-robin over the topic's partitions, idempotent producer.
     *
     * @param count stop after this many orders; 0 for no limit
     * @throws IllegalArgumentException if the rate is not positive, the count negative or the topic missing
     */
    public static LiveFeed startLive(String bootstrapServers, String topic, double ratePerSecond, long count,
            long seed) {
        if (!(ratePerSecond > 0) || count < 0) {
            throw new IllegalArgumentException("need rate > 0 and count >= 0; got " + ratePerSecond + ", " + count);
        }
        int partitions = partitionCount(bootstrapServers, topic)
                .orElseThrow(() -> new IllegalArgumentException("topic " + topic + " does not exist"));
        return new LiveFeed(bootstrapServers, topic, partitions, ratePerSecond, count, seed);
    }

    /**
     * A running live feed; {@link #close()} stops it after the record in flight and flushes.
     */
    public static final class LiveFeed implements AutoCloseable {

        private final AtomicLong produced = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Thread thread;
        private volatile boolean stopped;

        private LiveFeed(String bootstrapServers, String topic, int partitions, double ratePerSecond, long count,
                long seed) {
            this.thread = new Thread(() -> run(bootstrapServers, topic, partitions, ratePerSecond, count, seed),
                    "order-generator-live");
            this.thread.setDaemon(true);
            this.thread.start();
        }

        /** Orders acknowledged by Kafka so far. */
        public long produced() {
            return produced.get();
        }

        /** The first error of the feed, if any; the feed stops on it. */
        public Optional<Exception> failure() {
            return Optional.ofNullable(failure.get());
        }

        /** True once the feed has stopped (count reached, closed, or failed). */
        public boolean isDone() {
            return !thread.isAlive();
        }

        /**
         * Waits up to {@code timeout} for the feed to stop by itself.
         *
         * @return true if it stopped
         */
        public boolean awaitDone(Duration timeout) {
            try {
                thread.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return isDone();
        }

        /** Stops the feed, flushes what was sent and waits (up to 60 s) for it to end. */
        @Override
        public void close() {
            stopped = true;
            LockSupport.unpark(thread);
            awaitDone(KAFKA_TIMEOUT);
        }

        private void run(String bootstrapServers, String topic, int partitions, double ratePerSecond, long count,
                long seed) {
            Random random = new Random(seed);
            long intervalNanos = (long) (1_000_000_000L / ratePerSecond);
            long startNanos = System.nanoTime();
            try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrapServers))) {
                for (long i = 0; !stopped && failure.get() == null && (count == 0 || i < count); i++) {
                    long due = startNanos + i * intervalNanos;
                    for (long wait = due - System.nanoTime(); wait > 0 && !stopped; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait); // pacing to the rate, not waiting for a condition
                    }
                    if (stopped) {
                        break;
                    }
                    OrderEvent order = nextOrder(random, i + 1, Instant.now());
                    producer.send(record(topic, (int) (i % partitions), order), (metadata, error) -> {
                        if (error == null) {
                            produced.incrementAndGet();
                        } else {
                            failure.compareAndSet(null, error);
                        }
                    });
                }
                producer.flush();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /**
     * Command-line entry point; see {@link #USAGE}. Exits with 0 when done, 1 on failure, 2 on
     * bad usage.
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line: parses {@code args}, creates the topic if missing, writes a batch
     * or a live feed, and reports on {@code out} (errors and usage on {@code err}).
     *
     * @return the exit code: 0 done, 1 failed, 2 bad usage
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.println(USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(USAGE);
            return 0;
        }
        try {
            int partitions = ensureTopic(options.bootstrapServers(), options.topic(), options.partitions(), out);
            if (options.rate() == null) {
                OrderBatch batch = produce(options.bootstrapServers(), batch(options.topic(), partitions,
                        options.seed(), Math.toIntExact(options.count().orElse(1000L)), options.start(),
                        options.step()));
                out.printf("wrote %d orders and %d flush records to %s (%d partitions), event time %s .. %s;"
                        + " %d expected window aggregates%n", batch.orders().size(), batch.flushes().size(),
                        batch.topic(), partitions, options.start(), batch.flushes().get(0).orderTime(),
                        batch.expectedAggregates().size());
                return 0;
            }
            try (LiveFeed feed = startLive(options.bootstrapServers(), options.topic(), options.rate(),
                    options.count().orElse(0L), options.seed())) {
                Thread hook = new Thread(feed::close, "order-generator-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                out.printf("writing %s orders/s to %s (%d partitions); Ctrl-C stops%n", options.rate(),
                        options.topic(), partitions);
                while (!feed.awaitDone(Duration.ofSeconds(10))) {
                    out.printf("%d orders written%n", feed.produced());
                }
                Runtime.getRuntime().removeShutdownHook(hook);
                out.printf("%d orders written%n", feed.produced());
                if (feed.failure().isPresent()) {
                    err.println("error: " + feed.failure().get());
                    return 1;
                }
                return 0;
            }
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    // ---- shared --------------------------------------------------------------------------

    private static OrderEvent nextOrder(Random random, long sequence, Instant time) {
        String customer = String.format("c-%03d", random.nextInt(100));
        String product = OrderEvent.PRODUCTS.get(random.nextInt(OrderEvent.PRODUCTS.size()));
        long amountCents = 100 + random.nextInt(9900);
        return new OrderEvent(String.format("o-%07d", sequence), customer, product, amountCents, time);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, OrderEvent order) {
        // No record timestamp: the broker's create time is used, since Kafka refuses timestamps far
        // in the future (log.message.timestamp.after.max.ms) and event times may be anything.
        return new ProducerRecord<>(topic, partition, order.key(), order.toJson().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        return config;
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis()));
    }

    /** The topic's partition count, empty if it does not exist. */
    private static Optional<Integer> partitionCount(String bootstrapServers, String topic) {
        try (Admin admin = admin(bootstrapServers)) {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return Optional.of(description.partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within "
                    + KAFKA_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Creates the topic if missing (broker-default replication) and returns its partition count. */
    private static int ensureTopic(String bootstrapServers, String topic, int partitions, PrintStream out) {
        Optional<Integer> existing = partitionCount(bootstrapServers, topic);
        if (existing.isPresent()) {
            if (existing.get() != partitions) {
                out.printf("topic %s exists with %d partitions; using them%n", topic, existing.get());
            }
            return existing.get();
        }
        try (Admin admin = admin(bootstrapServers)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                    .all().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            out.printf("created topic %s with %d partitions%n", topic, partitions);
            return partitions;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The parsed command line. */
    record Options(boolean help, String bootstrapServers, String topic, int partitions, Double rate,
            Optional<Long> count, long seed, Instant start, Duration step) {

        private static final Set<String> FLAGS = Set.of("--bootstrap-servers", "--topic", "--partitions", "--rate",
                "--count", "--seed", "--start", "--step-ms");

        /**
         * Parses {@code --flag value} pairs.
         *
         * @throws IllegalArgumentException naming the first problem
         */
        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    return new Options(true, null, null, 0, null, Optional.empty(), 0, null, null);
                }
                if (!FLAGS.contains(flag)) {
                    throw new IllegalArgumentException("unknown option " + flag);
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                values.put(flag, args[++i]);
            }
            String bootstrapServers = values.get("--bootstrap-servers");
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("--bootstrap-servers is required");
            }
            int partitions = (int) number(values, "--partitions", 3, 1);
            Double rate = values.containsKey("--rate") ? positiveRate(values.get("--rate")) : null;
            Optional<Long> count = values.containsKey("--count")
                    ? Optional.of(number(values, "--count", 0, 0)) : Optional.empty();
            long seed = number(values, "--seed", 42, Long.MIN_VALUE);
            Instant start = DEFAULT_START;
            if (values.containsKey("--start")) {
                try {
                    start = Instant.parse(values.get("--start"));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("--start must be an ISO-8601 instant such as "
                            + DEFAULT_START + ": " + values.get("--start"));
                }
            }
            Duration step = Duration.ofMillis(number(values, "--step-ms", 100, 0));
            return new Options(false, bootstrapServers, values.getOrDefault("--topic", "orders"), partitions, rate,
                    count, seed, start, step);
        }

        private static long number(Map<String, String> values, String flag, long defaultValue, long minimum) {
            String text = values.get(flag);
            if (text == null) {
                return defaultValue;
            }
            try {
                long value = Long.parseLong(text);
                if (value < minimum || (flag.equals("--partitions") && value > Integer.MAX_VALUE)) {
                    throw new IllegalArgumentException(flag + " must be at least " + minimum + ": " + text);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " must be a whole number: " + text);
            }
        }

        private static double positiveRate(String text) {
            try {
                double rate = Double.parseDouble(text);
                if (!(rate > 0) || Double.isInfinite(rate)) {
                    throw new IllegalArgumentException("--rate must be a positive number: " + text);
                }
                return rate;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rate must be a positive number: " + text);
            }
        }
    }
}
