package dev.streamjob.operator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Admin client's properties: bootstrap servers, timeouts, and the SASL login. */
class KafkaLoginTest {

    @Test
    void withoutLoginOnlyTheServersAndTimeouts() {
        var props = new KafkaLogin("kafka:9092", Optional.empty()).adminProperties(5000);

        assertThat(props).containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("default.api.timeout.ms", 5000)
                .containsEntry("request.timeout.ms", 5000)
                .doesNotContainKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
    }

    @Test
    void scramOverTlsWithQuotesInThePasswordEscaped() {
        var login = new KafkaLogin("kafka:9093", Optional.of(new KafkaLogin.Sasl("SCRAM-SHA-512", "lag-reader",
                "pa\"ss\\word", true)));

        assertThat(login.adminProperties(5000))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"lag-reader\" password=\"pa\\\"ss\\\\word\";");
    }

    @Test
    void plainWithoutTlsAndNoPasswordInToString() {
        var login = new KafkaLogin("kafka:9092", Optional.of(new KafkaLogin.Sasl("PLAIN", "u", "secret-pw", false)));

        assertThat(login.adminProperties(1000)).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .hasEntrySatisfying("sasl.jaas.config", v -> assertThat((String) v)
                        .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required"));
        assertThat(login.toString()).contains("PLAIN", "u").doesNotContain("secret-pw");
    }
}
