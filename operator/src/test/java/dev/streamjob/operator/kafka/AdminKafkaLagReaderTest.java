package dev.streamjob.operator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamjob.operator.api.v1alpha1.KafkaLag.TopicLag;
import dev.streamjob.operator.kafka.KafkaLagReader.KafkaLagException;
import dev.streamjob.operator.local.LocalFlinkCluster;
import dev.streamjob.testbed.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lag read with the Admin API from a real Kafka broker. */
class AdminKafkaLagReaderTest {

    private static KafkaBroker kafka;
    private final AdminKafkaLagReader reader = new AdminKafkaLagReader(Duration.ofSeconds(5));

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new KafkaBroker().start();
        kafka.createTopic("orders", 2);
        kafka.createTopic("refunds", 1);
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (int i = 0; i < 7; i++) {
                producer.send(new ProducerRecord<>("orders", 0, "k", "p0-" + i)).get();
            }
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("orders", 1, "k", "p1-" + i)).get();
            }
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("refunds", 0, "k", "r-" + i)).get();
            }
        }
        // The group committed 4 of partition 0 and nothing of partition 1 or of refunds.
        try (var admin = kafka.admin()) {
            admin.alterConsumerGroupOffsets("orders-revenue",
                    Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(4))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void lagIsTheEndOffsetMinusTheCommittedOneOrTheStartWhereNothingWasCommitted() throws Exception {
        List<TopicLag> lag = reader.read(new KafkaLogin(kafka.bootstrapServers(), Optional.empty()), "orders-revenue",
                List.of("orders", "refunds"));

        assertThat(lag).containsExactly(
                new TopicLag("orders-revenue", "orders", 2, 3L + 5L, 7L + 5L, 4L + 0L),
                new TopicLag("orders-revenue", "refunds", 1, 3L, 3L, 0L));
    }

    @Test
    void aMissingTopicIsAnErrorNamingTheGroupAndServers() {
        assertThatThrownBy(() -> reader.read(new KafkaLogin(kafka.bootstrapServers(), Optional.empty()), "orders-revenue",
                List.of("no-such-topic")))
                .isInstanceOf(KafkaLagException.class)
                .hasMessageStartingWith("reading the lag of group orders-revenue from " + kafka.bootstrapServers() + " failed: ");
    }

    @Test
    void aBrokerThatIsNotThereIsAnErrorWithinTheTimeout() {
        String nowhere = "127.0.0.1:" + LocalFlinkCluster.freePort();
        AdminKafkaLagReader impatient = new AdminKafkaLagReader(Duration.ofSeconds(1));
        long start = System.nanoTime();

        assertThatThrownBy(() -> impatient.read(new KafkaLogin(nowhere, Optional.empty()), "g", List.of("orders")))
                .isInstanceOf(KafkaLagException.class)
                .hasMessageContaining(nowhere);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
