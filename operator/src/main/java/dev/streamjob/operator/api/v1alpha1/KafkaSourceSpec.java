package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kafka source of the job whose consumer lag the operator reads with kafka-clients' Admin API:
 * the records in the topics that the consumer group has not committed yet. Flink's Kafka source
 * commits the group's offsets when a checkpoint completes (when the source has a
 * {@code group.id}), so the lag is what the job has not checkpointed yet.
 */
public class KafkaSourceSpec {

    @Required
    @JsonPropertyDescription("Kafka bootstrap servers as the operator reaches them, e.g. kafka.kafka.svc:9092.")
    private String bootstrapServers;

    @Required
    @JsonPropertyDescription("The consumer group of the job's source ('properties.group.id' of the Kafka table).")
    private String consumerGroup;

    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Topics the source reads.")
    private List<String> topics = new ArrayList<>();

    @JsonPropertyDescription("Optional: SASL login for the operator's Admin client, from a Secret.")
    private KafkaCredentials credentialsSecret;

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getConsumerGroup() {
        return consumerGroup;
    }

    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    public List<String> getTopics() {
        return topics;
    }

    public void setTopics(List<String> topics) {
        this.topics = topics;
    }

    public KafkaCredentials getCredentialsSecret() {
        return credentialsSecret;
    }

    public void setCredentialsSecret(KafkaCredentials credentialsSecret) {
        this.credentialsSecret = credentialsSecret;
    }
}
