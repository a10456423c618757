package dev.streamjob.testbed;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the test bed's servers for a person: a Kafka broker with the example's topics
 * ({@code orders}, 3 partitions; {@code revenue}, 1 partition), an S3 server with the bucket
 * {@code streamjob}, and optionally a live order feed; prints their addresses and runs until
 * Ctrl-C, then deletes everything.
 *
 * <pre>
 * mvn -f testbed/pom.xml -q -pl core -am compile exec:java \
 *     -Dexec.mainClass=dev.streamjob.testbed.LocalTestbed -Dexec.args="--rate 10"
 * </pre>
 */
public final class LocalTestbed {

    private LocalTestbed() {
    }

    /**
     * Starts the servers and waits for Ctrl-C. Arguments: {@code [--rate R]}, live orders per
     * second written to {@code orders} (default: none). Exits with 2 on bad usage.
     */
    public static void main(String[] args) throws InterruptedException {
        Double rate = null;
        if (args.length == 2 && args[0].equals("--rate")) {
            try {
                rate = Double.parseDouble(args[1]);
            } catch (NumberFormatException e) {
                rate = -1.0;
            }
        }
        if ((args.length != 0 && rate == null) || (rate != null && !(rate > 0))) {
            System.err.println("Usage: LocalTestbed [--rate ORDERS_PER_SECOND]");
            System.exit(2);
        }
        PrintStream out = System.out;
        CountDownLatch stopped = new CountDownLatch(1);
        try (KafkaBroker kafka = new KafkaBroker().start(); S3Server s3 = new S3Server().start()) {
            kafka.createTopic("orders", 3);
            kafka.createTopic("revenue", 1);
            s3.createBucket("streamjob");
            out.println("KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers());
            out.println("S3_ENDPOINT=" + s3.endpoint());
            out.println("S3_ACCESS_KEY=" + s3.accessKey());
            out.println("S3_SECRET_KEY=" + s3.secretKey());
            out.println("S3_BUCKET=streamjob");
            out.println("# logs: " + kafka.logFile() + " " + s3.logFile());
            OrderGenerator.LiveFeed feed = rate == null ? null
                    : OrderGenerator.startLive(kafka.bootstrapServers(), "orders", rate, 0, 42);
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (feed != null) {
                    feed.close();
                }
                stopped.countDown();
                try {
                    main.join(Duration.ofSeconds(60).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "local-testbed-stop"));
            out.println("# running; Ctrl-C stops and deletes everything");
            stopped.await();
        }
    }
}
