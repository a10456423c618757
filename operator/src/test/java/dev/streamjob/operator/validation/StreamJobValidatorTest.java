package dev.streamjob.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.operator.TestStreamJobs;
import dev.streamjob.operator.api.v1alpha1.AutoscalerSpec;
import dev.streamjob.operator.api.v1alpha1.KafkaCredentials;
import dev.streamjob.operator.api.v1alpha1.KafkaSourceSpec;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StreamJobValidatorTest {

    private static final Function<String, Optional<Secret>> SECRETS =
            name -> name.equals("s3-credentials") ? Optional.of(TestStreamJobs.credentials("ns")) : Optional.empty();

    private static List<FieldError> validate(StreamJob job) {
        return StreamJobValidator.validate(job, TestStreamJobs.config(), SECRETS);
    }

    @Test
    void validJobHasNoErrors() {
        assertThat(validate(TestStreamJobs.sqlJob("orders"))).isEmpty();
    }

    @Test
    void bothSqlAndJar() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getJob().setJarURI("local:///opt/flink/usrlib/job.jar");

        assertThat(validate(job)).containsExactly(
                new FieldError("spec.job", "both sql and jarURI are set; set exactly one"));
    }

    @Test
    void neitherSqlNorJar() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getJob().setSql("  ");

        assertThat(validate(job)).containsExactly(
                new FieldError("spec.job", "neither sql nor jarURI is set; set exactly one"));
    }

    @Test
    void recoveryBudgetAndDurations() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getRecovery().setMaxRestarts(-1);
        job.getSpec().getRecovery().setWindow(null);
        job.getSpec().getRecovery().setMaxBackoff("0s");
        job.getSpec().getRecovery().setTaskManagerGracePeriod("0min");
        job.getSpec().getRecovery().setCheckpointProgressTimeout("0s");

        assertThat(validate(job)).containsExactly(
                new FieldError("spec.recovery.window", "required"),
                new FieldError("spec.recovery.maxBackoff", "must be longer than zero"),
                new FieldError("spec.recovery.taskManagerGracePeriod", "must be longer than zero"),
                new FieldError("spec.recovery.checkpointProgressTimeout", "must be longer than zero"),
                new FieldError("spec.recovery.maxRestarts", "must be between 0 and 1000, got -1"));
    }

    @Test
    void kafkaSourcesNeedServersAGroupAndTopics() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        KafkaSourceSpec complete = new KafkaSourceSpec();
        complete.setBootstrapServers("kafka:9092");
        complete.setConsumerGroup("orders-revenue");
        complete.setTopics(List.of("orders"));
        KafkaSourceSpec incomplete = new KafkaSourceSpec();
        incomplete.setConsumerGroup(" ");
        incomplete.setTopics(List.of("orders", ""));
        incomplete.setCredentialsSecret(new KafkaCredentials());
        job.getSpec().setKafkaSources(List.of(complete, incomplete));

        assertThat(validate(job)).containsExactly(
                new FieldError("spec.kafkaSources[1].bootstrapServers", "required"),
                new FieldError("spec.kafkaSources[1].consumerGroup", "required"),
                new FieldError("spec.kafkaSources[1].topics", "a topic name is empty"),
                new FieldError("spec.kafkaSources[1].credentialsSecret.name", "required"));
    }

    @Test
    void anAutoscalerNeedsKafkaSourcesAndBoundsInOrder() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        AutoscalerSpec autoscaler = new AutoscalerSpec();
        autoscaler.setMinParallelism(4);
        autoscaler.setMaxParallelism(2);
        job.getSpec().setAutoscaler(autoscaler);

        assertThat(validate(job)).containsExactly(
                new FieldError("spec.autoscaler.maxParallelism", "is 2, below minParallelism 4"),
                new FieldError("spec.autoscaler", "needs spec.kafkaSources: it scales on their consumer lag"));
    }

    @Test
    void parallelismZero() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getJob().setParallelism(0);

        assertThat(validate(job)).containsExactly(
                new FieldError("spec.job.parallelism", "must be between 1 and 32768, got 0"));
    }

    @Test
    void unknownUpgradeModeReadsAsNullAndIsReported() throws Exception {
        String yaml = """
                apiVersion: streamjob.dev/v1alpha1
                kind: StreamJob
                metadata: {name: orders, namespace: ns, uid: 0f8c6a4e-1b2d-4c3e-9f10-a1b2c3d4e5f6}
                spec:
                  job: {sql: "INSERT INTO a SELECT 1", upgradeMode: sometimes, state: paused}
                  storage: {endpoint: "http://minio:9000", bucket: snapshots, credentialsSecret: {name: s3-credentials}}
                """;
        StreamJob job = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml, StreamJob.class);

        assertThat(validate(job)).containsExactly(
                new FieldError("spec.job.state", "unsupported value; use running or suspended"),
                new FieldError("spec.job.upgradeMode", "unsupported value; use savepoint, last-state or stateless"));
    }

    @Test
    void missingSecretAndMissingKey() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getStorage().getCredentialsSecret().setName("nope");
        assertThat(validate(job)).containsExactly(new FieldError("spec.storage.credentialsSecret.name",
                "Secret 'nope' not found in namespace ns"));

        StreamJob other = TestStreamJobs.sqlJob("orders");
        Secret partial = new SecretBuilder().withNewMetadata().withName("s3-credentials").endMetadata()
                .withData(Map.of("access-key", "eA==")).build();
        assertThat(StreamJobValidator.validate(other, TestStreamJobs.config(), name -> Optional.of(partial)))
                .containsExactly(new FieldError("spec.storage.credentialsSecret",
                        "Secret 's3-credentials' has no key 'secret-key'"));
    }

    @Test
    void storageWithoutDefaults() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getStorage().setBucket(null);
        job.getSpec().getStorage().setEndpoint(null);

        assertThat(validate(job)).extracting(FieldError::path)
                .containsExactly("spec.storage.endpoint", "spec.storage.bucket");
    }

    @Test
    void ownedFlinkKeysAreRejectedWithTheFieldToUse() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getFlinkConfiguration().put("execution.checkpointing.dir", "s3://elsewhere");
        job.getSpec().getFlinkConfiguration().put("s3.secret-key", "oops");
        job.getSpec().getFlinkConfiguration().put("pipeline.max-parallelism", "128");

        assertThat(validate(job)).containsExactlyInAnyOrder(
                new FieldError("spec.flinkConfiguration[execution.checkpointing.dir]",
                        "set by spec.storage; set that field instead"),
                new FieldError("spec.flinkConfiguration[s3.secret-key]",
                        "set by spec.storage.credentialsSecret; set that field instead"));
    }

    @Test
    void resourcesAndCheckpointing() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getTaskManager().setMemory(new Quantity("256Mi"));
        job.getSpec().getTaskManager().setSlots(0);
        job.getSpec().getCheckpointing().setInterval("often");
        job.getSpec().getJob().setJarURI(null);
        job.getSpec().getJob().setEntryClass("x.Y");

        assertThat(validate(job)).containsExactly(
                new FieldError("spec.job.entryClass", "needs spec.job.jarURI"),
                new FieldError("spec.checkpointing.interval", "'often' is not a duration like 10s, 500ms or 2min"),
                new FieldError("spec.taskManager.memory",
                        "must be at least 768Mi (the smallest Flink process Flink's memory model accepts), got 256Mi"),
                new FieldError("spec.taskManager.slots", "must be between 1 and 256, got 0"));
    }

    @Test
    void jarUriMustBeLocal() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getJob().setSql(null);
        job.getSpec().getJob().setJarURI("https://example.com/job.jar");

        assertThat(validate(job)).extracting(FieldError::path).containsExactly("spec.job.jarURI");
    }
}
