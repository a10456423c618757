package dev.streamjob.operator.model;

import dev.streamjob.operator.api.v1alpha1.SecretKeysReference;
import dev.streamjob.operator.api.v1alpha1.StorageSpec;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.config.OperatorConfig;
import java.util.Optional;

/**
 * A StreamJob's object store after defaults are applied: {@code spec.storage} first, then the
 * operator's {@code streamjob.storage.*}. Empty optionals mean neither sets the field; the
 * validator reports that as an error.
 *
 * @param endpoint S3 endpoint URL
 * @param bucket bucket name
 * @param prefix key prefix of this job's snapshots, without leading or trailing slash
 * @param region signing region ({@code us-east-1} unless set)
 * @param pathStyleAccess whether requests use path-style URLs
 * @param credentials Secret and keys with the access key and secret key
 */
public record ResolvedStorage(Optional<String> endpoint, Optional<String> bucket, String prefix,
        String region, boolean pathStyleAccess, Optional<SecretKeysReference> credentials) {

    /** Region used when none is set: what MinIO and most S3-compatible stores expect. */
    public static final String DEFAULT_REGION = "us-east-1";

    /** Applies the operator's defaults to the StreamJob's storage. */
    public static ResolvedStorage of(StreamJob job, OperatorConfig config) {
        StorageSpec spec = job.getSpec().getStorage() == null ? new StorageSpec() : job.getSpec().getStorage();
        OperatorConfig.Storage defaults = config.storage();
        String prefix = spec.getPrefix() != null && !spec.getPrefix().isBlank()
                ? trimSlashes(spec.getPrefix())
                : job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
        Optional<SecretKeysReference> credentials = Optional.ofNullable(spec.getCredentialsSecret())
                .or(() -> defaults.credentialsSecret().map(SecretKeysReference::new));
        return new ResolvedStorage(
                nonBlank(spec.getEndpoint()).or(defaults::endpoint),
                nonBlank(spec.getBucket()).or(defaults::bucket),
                prefix,
                nonBlank(spec.getRegion()).orElse(DEFAULT_REGION),
                spec.getPathStyleAccess() != null ? spec.getPathStyleAccess() : defaults.pathStyleAccess(),
                credentials);
    }

    /** {@code s3://<bucket>/<prefix>/checkpoints}: Flink's {@code execution.checkpointing.dir}. */
    public String checkpointDirectory() {
        return uri("checkpoints");
    }

    /** {@code s3://<bucket>/<prefix>/savepoints}: Flink's {@code execution.checkpointing.savepoint-dir}. */
    public String savepointDirectory() {
        return uri("savepoints");
    }

    /**
     * {@code s3://<bucket>/<prefix>/savepoints/<jobId>}: where the savepoints of one run go, so
     * that the job id in the path tells which lineage a savepoint belongs to.
     */
    public String savepointDirectory(String jobId) {
        return savepointDirectory() + "/" + jobId;
    }

    /** The key prefix of every object of this job in the bucket, ending with a slash. */
    public String keyPrefix() {
        return prefix + "/";
    }

    private String uri(String leaf) {
        return "s3://" + bucket.orElseThrow() + "/" + prefix + "/" + leaf;
    }

    /**
     * The endpoint as the operator reaches it. Flink's pods resolve a bare Service name such as
     * {@code http://minio:9000} in the StreamJob's namespace (their DNS search path); the operator
     * runs in its own namespace, so it qualifies such a name as {@code minio.<namespace>.svc}.
     * Names with a dot, IP addresses and {@code localhost} are kept as they are.
     *
     * @param namespace the StreamJob's namespace
     */
    public Optional<String> endpointForOperator(String namespace) {
        return endpoint.map(url -> {
            try {
                java.net.URI uri = new java.net.URI(url);
                String host = uri.getHost();
                if (host == null || host.contains(".") || host.contains(":") || host.equals("localhost")) {
                    return url;
                }
                return new java.net.URI(uri.getScheme(), uri.getUserInfo(), host + "." + namespace + ".svc",
                        uri.getPort(), uri.getPath(), uri.getQuery(), uri.getFragment()).toString();
            } catch (java.net.URISyntaxException e) {
                return url; // not a URL: the store client reports it
            }
        });
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    private static String trimSlashes(String value) {
        String v = value;
        while (v.startsWith("/")) {
            v = v.substring(1);
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        return v;
    }
}
