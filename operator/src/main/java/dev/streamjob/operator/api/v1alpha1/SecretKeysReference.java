package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A Secret in the StreamJob's namespace and the keys of the S3 access key and secret key in it. */
public class SecretKeysReference {

    /** Key of the access key when none is given. */
    public static final String DEFAULT_ACCESS_KEY_KEY = "access-key";
    /** Key of the secret key when none is given. */
    public static final String DEFAULT_SECRET_KEY_KEY = "secret-key";

    @Required
    @JsonPropertyDescription("Secret name.")
    private String name;

    @Default(DEFAULT_ACCESS_KEY_KEY)
    @JsonPropertyDescription("Key of the access key in the Secret.")
    private String accessKeyKey = DEFAULT_ACCESS_KEY_KEY;

    @Default(DEFAULT_SECRET_KEY_KEY)
    @JsonPropertyDescription("Key of the secret key in the Secret.")
    private String secretKeyKey = DEFAULT_SECRET_KEY_KEY;

    public SecretKeysReference() {
    }

    public SecretKeysReference(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getAccessKeyKey() {
        return accessKeyKey;
    }

    public void setAccessKeyKey(String accessKeyKey) {
        this.accessKeyKey = accessKeyKey;
    }

    public String getSecretKeyKey() {
        return secretKeyKey;
    }

    public void setSecretKeyKey(String secretKeyKey) {
        this.secretKeyKey = secretKeyKey;
    }
}
