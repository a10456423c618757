package dev.streamjob.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamjob.operator.TestStreamJobs;
import dev.streamjob.operator.api.v1alpha1.KafkaCredentials;
import dev.streamjob.operator.api.v1alpha1.KafkaSourceSpec;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.flink.FakeFlinkRestClient;
import dev.streamjob.operator.flink.FlinkRestClient;
import dev.streamjob.operator.kafka.FakeKafkaLagReader;
import dev.streamjob.operator.kafka.KafkaLagReader;
import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.operator.observer.FlinkClusterObserver;
import dev.streamjob.operator.state.FakeSnapshotStore;
import dev.streamjob.operator.state.SnapshotStore;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer lag of spec.kafkaSources in status, in the condition KafkaLagAvailable and as a
 * metric, with Kafka faked: a failure to read is reported and never touches the job.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class KafkaLagStatusTest {

    @Inject
    KubernetesClient client;
    @Inject
    FlinkClusterObserver observer;
    @Inject
    MeterRegistry registry;

    private final FakeFlinkRestClient flink = new FakeFlinkRestClient();
    private final FakeKafkaLagReader kafka = new FakeKafkaLagReader();

    @BeforeEach
    void installFakes() {
        QuarkusMock.installMockForType(flink, FlinkRestClient.class);
        QuarkusMock.installMockForType(new FakeSnapshotStore(), SnapshotStore.class);
        QuarkusMock.installMockForType(kafka, KafkaLagReader.class);
    }

    private StreamJob running(String namespace, KafkaSourceSpec source) {
        client.secrets().inNamespace(namespace).resource(TestStreamJobs.credentials(namespace)).create();
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getMetadata().setNamespace(namespace);
        job.getMetadata().setUid(null);
        job.getMetadata().setGeneration(null);
        job.getSpec().getKafkaSources().add(source);
        StreamJob created = client.resource(job).create();
        flink.job(observer.restEndpoint(created), StreamJobResources.jobId(created, 1, 1), "RUNNING", 2, "RUNNING");
        return created;
    }

    private static KafkaSourceSpec source(String group, String... topics) {
        KafkaSourceSpec source = new KafkaSourceSpec();
        source.setBootstrapServers("kafka.kafka.svc:9092");
        source.setConsumerGroup(group);
        source.setTopics(List.of(topics));
        return source;
    }

    private StreamJob get(String namespace) {
        return client.resources(StreamJob.class).inNamespace(namespace).withName("orders").get();
    }

    private static String condition(StreamJob job, String type) {
        return job.getStatus() == null ? "" : job.getStatus().getConditions().stream().filter(c -> c.getType().equals(type))
                .findFirst().map(c -> c.getStatus() + "/" + c.getReason()).orElse("");
    }

    private static Optional<Condition> conditionOf(StreamJob job, String type) {
        return job.getStatus() == null ? Optional.empty() : job.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    private Optional<Double> gauge(String namespace, String topic) {
        return Optional.ofNullable(registry.find("streamjob.kafka.consumer.lag")
                .tags("namespace", namespace, "streamjob", "orders", "consumer_group", "orders-revenue", "topic", topic)
                .gauge()).map(Gauge::value);
    }

    @Test
    void theLagIsInStatusAndAMetricAndAnUnreachableKafkaOnlySetsTheCondition() {
        kafka.lag(42);
        running("lag", source("orders-revenue", "orders", "refunds"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob job = get("lag");
            assertThat(job.getStatus()).isNotNull();
            assertThat(job.getStatus().getKafkaLag()).isNotNull();
            assertThat(job.getStatus().getKafkaLag().records()).isEqualTo(84L);
            assertThat(job.getStatus().getKafkaLag().topics()).extracting(t -> t.topic() + "=" + t.records())
                    .containsExactly("orders=42", "refunds=42");
            assertThat(condition(job, "KafkaLagAvailable")).isEqualTo("True/KafkaLagRead");
            assertThat(condition(job, "Ready")).isEqualTo("True/JobRunning");
        });
        assertThat(gauge("lag", "orders")).contains(42.0);
        assertThat(kafka.logins()).allSatisfy(l -> assertThat(l.bootstrapServers()).isEqualTo("kafka.kafka.svc:9092"));

        // Kafka stops answering: the condition says so, the last reading stays, the job is untouched.
        kafka.fail("no answer from Kafka at kafka.kafka.svc:9092 within 5000 ms");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StreamJob job = get("lag");
            assertThat(condition(job, "KafkaLagAvailable")).isEqualTo("False/KafkaUnavailable");
            assertThat(conditionOf(job, "KafkaLagAvailable").orElseThrow().getMessage())
                    .isEqualTo("spec.kafkaSources[0]: no answer from Kafka at kafka.kafka.svc:9092 within 5000 ms");
        });
        StreamJob unreachable = get("lag");
        assertThat(unreachable.getStatus().getKafkaLag().records()).isEqualTo(84L);
        assertThat(condition(unreachable, "Ready")).isEqualTo("True/JobRunning");
        assertThat(condition(unreachable, "Degraded")).isEqualTo("False/AsExpected");
        assertThat(gauge("lag", "orders")).as("unknown, not stale").isEmpty();

        kafka.lag(7);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(get("lag").getStatus().getKafkaLag().records()).isEqualTo(14L);
            assertThat(condition(get("lag"), "KafkaLagAvailable")).isEqualTo("True/KafkaLagRead");
        });
        assertThat(gauge("lag", "refunds")).contains(7.0);
    }

    @Test
    void aKafkaThatDoesNotAnswerNeverHoldsUpTheReconcile() {
        kafka.hang();
        try {
            running("hung", source("orders-revenue", "orders"));

            // The reading waits for Kafka in the background; the StreamJob is reconciled meanwhile.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(kafka.waiting()).isPositive();
                assertThat(condition(get("hung"), "Ready")).isEqualTo("True/JobRunning");
            });
            assertThat(condition(get("hung"), "KafkaLagAvailable")).as("no reading yet").isEmpty();
            assertThat(kafka.waiting()).as("the reading still waits").isPositive();
        } finally {
            kafka.lag(5);
            kafka.release();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(condition(get("hung"), "KafkaLagAvailable")).isEqualTo("True/KafkaLagRead");
            assertThat(get("hung").getStatus().getKafkaLag().records()).isEqualTo(5L);
        });
    }

    @Test
    void theLoginComesFromTheSecretAndNeverShowsInStatus() {
        kafka.lag(3);
        KafkaSourceSpec source = source("orders-revenue", "orders");
        KafkaCredentials credentials = new KafkaCredentials();
        credentials.setName("kafka-login");
        source.setCredentialsSecret(credentials);
        running("sasl", source);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                conditionOf(get("sasl"), "KafkaLagAvailable").map(Condition::getMessage).orElse(""))
                .isEqualTo("spec.kafkaSources[0]: credentialsSecret: Secret kafka-login not found"));

        client.secrets().inNamespace("sasl").resource(new SecretBuilder().withNewMetadata().withName("kafka-login")
                .endMetadata().withData(Map.of("username", base64("lag-reader"), "password", base64("s3cr3t-pw"))).build())
                .create();
        // The next reading (every lag interval) has the new topic and the login.
        StreamJob job = get("sasl");
        job.getSpec().getKafkaSources().get(0).setTopics(List.of("orders", "refunds"));
        client.resource(job).update();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(condition(get("sasl"), "KafkaLagAvailable")).isEqualTo("True/KafkaLagRead");
            assertThat(get("sasl").getStatus().getKafkaLag().records()).isEqualTo(6L);
        });
        assertThat(kafka.logins()).anySatisfy(l -> assertThat(l.sasl()).hasValueSatisfying(s -> {
            assertThat(s.username()).isEqualTo("lag-reader");
            assertThat(s.password()).isEqualTo("s3cr3t-pw");
            assertThat(s.mechanism()).isEqualTo("SCRAM-SHA-512");
            assertThat(s.tls()).isTrue();
        }));
        assertThat(Serialization.asJson(get("sasl").getStatus())).doesNotContain("s3cr3t-pw");
        assertThat(Serialization.asJson(client.v1().events().inNamespace("sasl").list())).doesNotContain("s3cr3t-pw");
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
