package dev.streamjob.operator;

import dev.streamjob.operator.api.v1alpha1.JobRun;
import dev.streamjob.operator.api.v1alpha1.JobState;
import dev.streamjob.operator.api.v1alpha1.SecretKeysReference;
import dev.streamjob.operator.api.v1alpha1.StorageSpec;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.StreamJobSpec;
import dev.streamjob.operator.config.OperatorConfig;
import dev.streamjob.operator.model.FlinkPods;
import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.operator.planner.SpecDigest;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** StreamJobs, Secrets and operator configurations for tests. */
public final class TestStreamJobs {

    /** A small SQL script: datagen into blackhole. */
    public static final String SQL = """
            CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');
            CREATE TABLE dst (id BIGINT) WITH ('connector' = 'blackhole');
            INSERT INTO dst SELECT id FROM src;
            """;

    private TestStreamJobs() {
    }

    /** A valid SQL StreamJob in namespace {@code ns} with storage in bucket {@code snapshots}. */
    public static StreamJob sqlJob(String name) {
        StreamJob job = new StreamJob();
        job.setSpec(new StreamJobSpec());
        job.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace("ns")
                .withUid("0f8c6a4e-1b2d-4c3e-9f10-a1b2c3d4e5f6")
                .withGeneration(1L)
                .build());
        job.getSpec().getJob().setSql(SQL);
        job.getSpec().getJob().setParallelism(2);
        StorageSpec storage = new StorageSpec();
        storage.setEndpoint("http://minio.minio.svc:9000");
        storage.setBucket("snapshots");
        storage.setCredentialsSecret(new SecretKeysReference("s3-credentials"));
        job.getSpec().setStorage(storage);
        return job;
    }

    /**
     * The first run of the StreamJob as the operator would deploy it from its current spec
     * (lineage 1, run 1, no restore point).
     */
    public static JobRun firstRun(StreamJob job) {
        return run(job, 1, 1, null);
    }

    /** A run of the StreamJob's current spec, as the operator would deploy it. */
    public static JobRun run(StreamJob job, int lineage, int number, String restorePath) {
        var spec = job.getSpec().getJob();
        return new JobRun(number, lineage, StreamJobResources.jobId(job, lineage, number), job.getMetadata().getGeneration(),
                SpecDigest.of(job.getSpec()), spec.getParallelism(),
                spec.getState() == JobState.SUSPENDED ? JobState.SUSPENDED : JobState.RUNNING, restorePath,
                Boolean.TRUE.equals(spec.getAllowNonRestoredState()),
                spec.getRestartNonce(), FlinkPods.image(job, config()), "2026-11-22T09:00:00Z");
    }

    /** The credentials Secret {@link #sqlJob} refers to. */
    public static Secret credentials(String namespace) {
        return new SecretBuilder()
                .withNewMetadata().withName("s3-credentials").withNamespace(namespace).endMetadata()
                .withData(Map.of(
                        SecretKeysReference.DEFAULT_ACCESS_KEY_KEY, base64("minio"),
                        SecretKeysReference.DEFAULT_SECRET_KEY_KEY, base64("minio-secret")))
                .build();
    }

    /** The operator's configuration with its defaults, overridden by {@code properties}. */
    public static OperatorConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(OperatorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(new HashMap<>(properties), "test", 500))
                .build();
        return config.getConfigMapping(OperatorConfig.class);
    }

    /** The operator's default configuration. */
    public static OperatorConfig config() {
        return config(Map.of());
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
