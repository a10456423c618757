package dev.streamjob.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Reads values out of a Secret's {@code data} (base64, as the API returns it). */
public final class SecretValues {

    private SecretValues() {
    }

    /**
     * The decoded value of {@code key}, or of {@code defaultKey} when {@code key} is empty.
     *
     * @return null if the Secret has no such key
     */
    public static String value(Secret secret, String key, String defaultKey) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String base64 = data.get(keyOr(key, defaultKey));
        return base64 == null ? null : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** {@code key}, or {@code defaultKey} when it is empty. */
    public static String keyOr(String key, String defaultKey) {
        return key == null || key.isBlank() ? defaultKey : key;
    }
}
