package dev.streamjob.operator.kafka;

import dev.streamjob.operator.api.v1alpha1.KafkaLag.TopicLag;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A lag reader answering what the test says, and remembering the logins it was given. */
public class FakeKafkaLagReader implements KafkaLagReader {

    private volatile long records;
    private volatile String failure;
    private final List<KafkaLogin> logins = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch answer = new CountDownLatch(0);
    private final AtomicInteger waiting = new AtomicInteger();

    /** From now on every topic lags by {@code records}. */
    public void lag(long records) {
        this.records = records;
        this.failure = null;
    }

    /** From now on every reading fails with this message. */
    public void fail(String message) {
        this.failure = message;
    }

    /** From now on readings wait (at most 2 minutes) until {@link #release}, like a Kafka that does not answer. */
    public void hang() {
        answer = new CountDownLatch(1);
    }

    /** Lets the waiting readings go on. */
    public void release() {
        answer.countDown();
    }

    /** How many readings are waiting now. */
    public int waiting() {
        return waiting.get();
    }

    /** The logins of every reading so far. */
    public List<KafkaLogin> logins() {
        return logins;
    }

    @Override
    public List<TopicLag> read(KafkaLogin login, String consumerGroup, List<String> topics) throws KafkaLagException {
        logins.add(login);
        waiting.incrementAndGet();
        try {
            answer.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting.decrementAndGet();
        }
        if (failure != null) {
            throw new KafkaLagException(failure, null);
        }
        // Nothing committed yet: the lag is the whole log.
        return topics.stream().map(t -> new TopicLag(consumerGroup, t, 2, records, records, 0L)).toList();
    }
}
