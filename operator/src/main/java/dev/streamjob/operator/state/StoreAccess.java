package dev.streamjob.operator.state;

/**
 * How to reach a StreamJob's objects: the S3 endpoint, bucket, key prefix and credentials (read
 * from the StreamJob's Secret). {@link #toString} leaves the credentials out, so the record can
 * be logged.
 *
 * @param endpoint S3 endpoint URL, e.g. {@code http://minio:9000}
 * @param region signing region
 * @param bucket bucket name
 * @param keyPrefix key prefix of the job's objects, ending with a slash
 * @param accessKey access key, or null for anonymous access
 * @param secretKey secret key, or null for anonymous access
 */
public record StoreAccess(String endpoint, String region, String bucket, String keyPrefix, String accessKey,
        String secretKey) {

    @Override
    public String toString() {
        return "StoreAccess[" + endpoint + "/" + bucket + "/" + keyPrefix + "]";
    }
}
