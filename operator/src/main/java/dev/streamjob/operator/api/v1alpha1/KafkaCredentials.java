package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A SASL login to Kafka (Kafka's {@code sasl.mechanism} and {@code sasl.jaas.config}), the
 * username and password read from a Secret in the StreamJob's namespace. Never logged or written
 * to status.
 */
public class KafkaCredentials {

    /** Key of the username when none is given. */
    public static final String DEFAULT_USERNAME_KEY = "username";
    /** Key of the password when none is given. */
    public static final String DEFAULT_PASSWORD_KEY = "password";

    @Required
    @JsonPropertyDescription("Secret name.")
    private String name;

    @Default(DEFAULT_USERNAME_KEY)
    @JsonPropertyDescription("Key of the username in the Secret.")
    private String usernameKey = DEFAULT_USERNAME_KEY;

    @Default(DEFAULT_PASSWORD_KEY)
    @JsonPropertyDescription("Key of the password in the Secret.")
    private String passwordKey = DEFAULT_PASSWORD_KEY;

    @Pattern("^(PLAIN|SCRAM-SHA-256|SCRAM-SHA-512)$")
    @Default("SCRAM-SHA-512")
    @JsonPropertyDescription("SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.")
    private String mechanism = "SCRAM-SHA-512";

    @Default("true")
    @JsonPropertyDescription("Whether to use TLS (security.protocol SASL_SSL; false: SASL_PLAINTEXT).")
    private Boolean tls = true;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUsernameKey() {
        return usernameKey;
    }

    public void setUsernameKey(String usernameKey) {
        this.usernameKey = usernameKey;
    }

    public String getPasswordKey() {
        return passwordKey;
    }

    public void setPasswordKey(String passwordKey) {
        this.passwordKey = passwordKey;
    }

    public String getMechanism() {
        return mechanism;
    }

    public void setMechanism(String mechanism) {
        this.mechanism = mechanism;
    }

    public Boolean getTls() {
        return tls;
    }

    public void setTls(Boolean tls) {
        this.tls = tls;
    }
}
