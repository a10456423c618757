package dev.streamjob.operator.kafka;

import dev.streamjob.operator.api.v1alpha1.KafkaLag.TopicLag;
import java.util.List;

/** Reads the consumer lag of one consumer group on some topics of one Kafka cluster. */
public interface KafkaLagReader {

    /**
     * The lag of {@code consumerGroup} on each of {@code topics}: per partition the log end offset
     * minus the group's committed offset (the log start offset where the group committed none),
     * summed per topic.
     *
     * @throws KafkaLagException if Kafka does not answer in time, refuses the login, or a topic
     *     does not exist
     */
    List<TopicLag> read(KafkaLogin login, String consumerGroup, List<String> topics) throws KafkaLagException;

    /** Reading the lag failed; the message says why (never with credentials). */
    final class KafkaLagException extends Exception {

        /** A failure with the reason for people. */
        public KafkaLagException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
