package dev.streamjob.operator.kafka;

import dev.streamjob.operator.api.v1alpha1.KafkaLag.TopicLag;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A lag reader answering what the test says, and remembering the logins it was given. */
public class FakeKafkaLagReader implements KafkaLagReader {

    private volatile long records;
    private volatile String failure;
    private final List<KafkaLogin> logins = new CopyOnWriteArrayList<>();

    /** From now on every topic lags by {@code records}. */
    public void lag(long records) {
        this.records = records;
        this.failure = null;
    }

    /** From now on every reading fails with this message. */
    public void fail(String message) {
        this.failure = message;
    }

    /** The logins of every reading so far. */
    public List<KafkaLogin> logins() {
        return logins;
    }

    @Override
    public List<TopicLag> read(KafkaLogin login, String consumerGroup, List<String> topics) throws KafkaLagException {
        logins.add(login);
        if (failure != null) {
            throw new KafkaLagException(failure, null);
        }
        return topics.stream().map(t -> new TopicLag(consumerGroup, t, 2, records)).toList();
    }
}
