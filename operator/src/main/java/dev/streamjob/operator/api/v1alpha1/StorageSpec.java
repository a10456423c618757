package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/**
 * Where a StreamJob's checkpoints and savepoints live: an S3-compatible store such as MinIO.
 * Checkpoints go to {@code s3://<bucket>/<prefix>/checkpoints}, savepoints to
 * {@code s3://<bucket>/<prefix>/savepoints}. Empty fields take the operator's defaults.
 */
public class StorageSpec {

    @Pattern("^https?://.+")
    @JsonPropertyDescription("S3 endpoint URL, e.g. http://minio.minio.svc:9000.")
    private String endpoint;

    @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    @JsonPropertyDescription("Bucket name.")
    private String bucket;

    @Pattern("^[A-Za-z0-9!_.*'()/-]*[A-Za-z0-9!_.*'()-]$")
    @JsonPropertyDescription("Key prefix of this job's snapshots; defaults to <namespace>/<name>.")
    private String prefix;

    @JsonPropertyDescription("Signing region; S3-compatible stores such as MinIO accept the default us-east-1.")
    private String region;

    @JsonPropertyDescription("Path-style requests (http://host/bucket/key), as MinIO expects. Default true.")
    private Boolean pathStyleAccess;

    @JsonPropertyDescription("Secret in the StreamJob's namespace holding the S3 access key and secret key.")
    private SecretKeysReference credentialsSecret;

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getBucket() {
        return bucket;
    }

    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public Boolean getPathStyleAccess() {
        return pathStyleAccess;
    }

    public void setPathStyleAccess(Boolean pathStyleAccess) {
        this.pathStyleAccess = pathStyleAccess;
    }

    public SecretKeysReference getCredentialsSecret() {
        return credentialsSecret;
    }

    public void setCredentialsSecret(SecretKeysReference credentialsSecret) {
        this.credentialsSecret = credentialsSecret;
    }
}
