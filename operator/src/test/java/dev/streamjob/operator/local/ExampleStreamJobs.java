package dev.streamjob.operator.local;

import dev.streamjob.operator.api.v1alpha1.SecretKeysReference;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The StreamJobs of {@code examples/}, pointed at the test bed's Kafka broker and S3 server. */
public final class ExampleStreamJobs {

    /** The Kafka address the examples use in their SQL. */
    public static final String EXAMPLE_KAFKA = "'properties.bootstrap.servers' = 'kafka:9092'";

    private ExampleStreamJobs() {
    }

    /** The directory of the examples, given by the {@code local.examples.dir} system property. */
    public static Path examplesDirectory() {
        return Path.of(System.getProperty("local.examples.dir", "../examples"));
    }

    /**
     * {@code examples/orders-revenue.yaml} in {@code namespace}, reading and writing the given
     * Kafka broker and storing snapshots in {@code bucket} of the given S3 endpoint.
     */
    public static StreamJob ordersRevenue(String namespace, String bootstrapServers, String s3Endpoint, String bucket) {
        StreamJob job;
        try {
            job = Serialization.unmarshal(Files.readString(examplesDirectory().resolve("orders-revenue.yaml")), StreamJob.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sql = job.getSpec().getJob().getSql();
        if (!sql.contains(EXAMPLE_KAFKA)) {
            throw new IllegalStateException("the example no longer reads from kafka:9092; update this test helper");
        }
        job.getSpec().getJob().setSql(sql.replace(EXAMPLE_KAFKA, "'properties.bootstrap.servers' = '" + bootstrapServers + "'"));
        job.getMetadata().setNamespace(namespace);
        job.getSpec().getStorage().setEndpoint(s3Endpoint);
        job.getSpec().getStorage().setBucket(bucket);
        return job;
    }

    /**
     * The credentials Secret the example refers to, holding the given keys in {@code data} (base64),
     * as an API server stores it (the mock server does not convert {@code stringData}).
     */
    public static Secret credentials(String namespace, String accessKey, String secretKey) {
        return new SecretBuilder()
                .withNewMetadata().withName("s3-credentials").withNamespace(namespace).endMetadata()
                .withData(Map.of(SecretKeysReference.DEFAULT_ACCESS_KEY_KEY, base64(accessKey),
                        SecretKeysReference.DEFAULT_SECRET_KEY_KEY, base64(secretKey)))
                .build();
    }

    private static String base64(String value) {
        return java.util.Base64.getEncoder().encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
