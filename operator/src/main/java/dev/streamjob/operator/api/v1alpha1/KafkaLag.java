package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The consumer lag of the job's Kafka sources, as last read.
 *
 * @param records the sum over all topics: records not yet committed by the consumer groups
 * @param time when it was read, RFC 3339
 * @param topics per consumer group and topic
 */
public record KafkaLag(
        @JsonPropertyDescription("Records of all the sources' topics not yet committed by their consumer groups.") Long records,
        @JsonPropertyDescription("When the lag was read, RFC 3339.") String time,
        @JsonPropertyDescription("The lag per consumer group and topic.") List<TopicLag> topics) {

    /**
     * The lag of one consumer group on one topic.
     *
     * @param consumerGroup the group
     * @param topic the topic
     * @param partitions the topic's partitions
     * @param records the sum over partitions of the log end offset minus the group's committed
     *     offset (the log start offset for a partition without one)
     * @param endOffsets the sum over partitions of the log end offset: its growth over time is the
     *     input rate
     * @param committedOffsets the sum over partitions of the group's committed offset (the log
     *     start offset for a partition without one): its growth over time is the processing rate
     */
    public record TopicLag(
            @JsonPropertyDescription("Consumer group.") String consumerGroup,
            @JsonPropertyDescription("Topic.") String topic,
            @JsonPropertyDescription("Partitions of the topic.") Integer partitions,
            @JsonPropertyDescription("Records not yet committed by the group.") Long records,
            @JsonPropertyDescription("Sum of the partitions' log end offsets.") Long endOffsets,
            @JsonPropertyDescription("Sum of the group's committed offsets (log start offset where none).") Long committedOffsets) {
    }
}
