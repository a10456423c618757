package dev.streamjob.operator.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How the operator's Admin client connects to one Kafka cluster: the bootstrap servers and an
 * optional SASL login. {@link #toString()} never shows the password.
 *
 * @param bootstrapServers {@code host:port,...}
 * @param sasl the SASL login, if the cluster needs one
 */
public record KafkaLogin(String bootstrapServers, Optional<Sasl> sasl) {

    /**
     * A SASL login.
     *
     * @param mechanism PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
     * @param username the user
     * @param password the password (from a Secret)
     * @param tls whether to use TLS ({@code SASL_SSL}), else {@code SASL_PLAINTEXT}
     */
    public record Sasl(String mechanism, String username, String password, boolean tls) {

        @Override
        public String toString() {
            return "Sasl[" + mechanism + ", user " + username + (tls ? ", TLS" : "") + "]";
        }
    }

    /**
     * The Admin client's properties (Kafka's client configuration names).
     *
     * @param timeoutMillis {@code default.api.timeout.ms}, {@code request.timeout.ms} and the
     *     socket connection setup timeouts
     */
    public Map<String, Object> adminProperties(long timeoutMillis) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("client.id", "streamjob-operator-lag");
        props.put("default.api.timeout.ms", (int) timeoutMillis);
        props.put("request.timeout.ms", (int) timeoutMillis);
        props.put("socket.connection.setup.timeout.ms", timeoutMillis);
        props.put("socket.connection.setup.timeout.max.ms", timeoutMillis);
        sasl.ifPresent(s -> {
            props.put("security.protocol", s.tls() ? "SASL_SSL" : "SASL_PLAINTEXT");
            props.put("sasl.mechanism", s.mechanism());
            String module = s.mechanism().equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            props.put("sasl.jaas.config", module + " required username=\"" + escape(s.username())
                    + "\" password=\"" + escape(s.password()) + "\";");
        });
        return props;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
