package dev.streamjob.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials of the S3-compatible object store that holds checkpoints and savepoints, as
 * Kubernetes injects them from a Secret ({@code S3_ACCESS_KEY}, {@code S3_SECRET_KEY}). The
 * launcher writes them only into the Flink configuration file, as {@code s3.access-key} and
 * {@code s3.secret-key} (Flink's S3 file system options); they never appear on a command line or in
 * {@link #toString()}.
 *
 * @param accessKey the access key id, if set and not blank
 * @param secretKey the secret access key, if set and not blank
 */
public record S3Credentials(Optional<String> accessKey, Optional<String> secretKey) {

    /** Flink's configuration key for the access key (flink-s3-fs-hadoop). */
    public static final String ACCESS_KEY_OPTION = "s3.access-key";

    /** Flink's configuration key for the secret key (flink-s3-fs-hadoop). */
    public static final String SECRET_KEY_OPTION = "s3.secret-key";

    /** No credentials: the S3 file system falls back to its own providers (instance roles ...). */
    public static final S3Credentials NONE = new S3Credentials(Optional.empty(), Optional.empty());

    /** Reads {@code S3_ACCESS_KEY} and {@code S3_SECRET_KEY}; blank values count as unset. */
    public static S3Credentials fromEnvironment(Map<String, String> env) {
        return new S3Credentials(nonBlank(env.get("S3_ACCESS_KEY")), nonBlank(env.get("S3_SECRET_KEY")));
    }

    /** The Flink configuration entries for these credentials (empty when none are set). */
    public Map<String, String> asFlinkOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        accessKey.ifPresent(value -> options.put(ACCESS_KEY_OPTION, value));
        secretKey.ifPresent(value -> options.put(SECRET_KEY_OPTION, value));
        return options;
    }

    /** Says which credentials are set, never their values. */
    @Override
    public String toString() {
        return "S3Credentials[accessKey=" + (accessKey.isPresent() ? "***" : "unset")
                + ", secretKey=" + (secretKey.isPresent() ? "***" : "unset") + "]";
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
