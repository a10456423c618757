package dev.streamjob.operator.kafka;

import dev.streamjob.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Provides the operator's {@link KafkaLagReader}: kafka-clients' Admin API. */
@ApplicationScoped
public class KafkaLagReaderProducer {

    /** The reader, its calls bounded by {@code streamjob.kafka.request-timeout}. */
    @Produces
    @ApplicationScoped
    public KafkaLagReader kafkaLagReader(OperatorConfig config) {
        return new AdminKafkaLagReader(config.kafka().requestTimeout());
    }
}
