package dev.streamjob.operator.kafka;

import dev.streamjob.operator.api.v1alpha1.KafkaCredentials;
import dev.streamjob.operator.api.v1alpha1.KafkaLag;
import dev.streamjob.operator.api.v1alpha1.KafkaSourceSpec;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.config.OperatorConfig;
import dev.streamjob.operator.kafka.KafkaLagReader.KafkaLagException;
import dev.streamjob.operator.model.SecretValues;
import io.fabric8.kubernetes.api.model.Secret;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Reads the consumer lag of a StreamJob's {@code spec.kafkaSources} at most every
 * {@code streamjob.kafka.lag-interval} (and at once after a spec change), and keeps the lag
 * metric up to date. A failure to read is an outcome, never an exception: the reconcile goes on.
 */
@ApplicationScoped
public class KafkaLagObserver {

    private static final Logger LOG = Logger.getLogger(KafkaLagObserver.class);
    private final KafkaLagReader reader;
    private final KafkaLagMetrics metrics;
    private final OperatorConfig config;
    /** Per StreamJob UID: when its lag was last read, and for which generation. */
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

    private record Attempt(Instant at, long generation) {
    }

    /** The outcome of one look. */
    public sealed interface Outcome {
    }

    /** The StreamJob has no {@code spec.kafkaSources}. */
    public record NotConfigured() implements Outcome {
    }

    /** Read recently: the status keeps the last reading and condition. */
    public record Unchanged() implements Outcome {
    }

    /** Read now. */
    public record Read(KafkaLag lag) implements Outcome {
    }

    /** Reading failed; the message says why, without credentials. */
    public record Failed(String message) implements Outcome {
    }

    /** The observer with its collaborators (CDI). */
    public KafkaLagObserver(KafkaLagReader reader, KafkaLagMetrics metrics, OperatorConfig config) {
        this.reader = reader;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Reads the lag of every source, or tells why not.
     *
     * @param secrets the StreamJob's Secrets by name
     */
    public Outcome observe(StreamJob job, Function<String, Optional<Secret>> secrets, Instant now) {
        List<KafkaSourceSpec> sources = job.getSpec().getKafkaSources();
        String uid = job.getMetadata().getUid();
        if (sources == null || sources.isEmpty()) {
            attempts.remove(uid);
            metrics.forget(job);
            return new NotConfigured();
        }
        long generation = job.getMetadata().getGeneration() == null ? 0 : job.getMetadata().getGeneration();
        Attempt last = attempts.get(uid);
        boolean readingShown = job.getStatus() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> "KafkaLagAvailable".equals(c.getType()));
        if (last != null && readingShown && last.generation() == generation
                && last.at().plus(config.kafka().lagInterval()).isAfter(now)) {
            return new Unchanged();
        }
        attempts.put(uid, new Attempt(now, generation));
        List<KafkaLag.TopicLag> topics = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            KafkaSourceSpec source = sources.get(i);
            try {
                topics.addAll(reader.read(login(source, secrets, i), source.getConsumerGroup(), source.getTopics()));
            } catch (KafkaLagException e) {
                String message = "spec.kafkaSources[" + i + "]: " + e.getMessage();
                LOG.infof("StreamJob %s/%s: consumer lag unknown: %s", job.getMetadata().getNamespace(),
                        job.getMetadata().getName(), message);
                metrics.forget(job);
                return new Failed(message);
            }
        }
        KafkaLag lag = new KafkaLag(topics.stream().mapToLong(KafkaLag.TopicLag::records).sum(),
                DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)), topics);
        metrics.record(job, lag);
        return new Read(lag);
    }

    /** Forgets a deleted StreamJob. */
    public void forget(StreamJob job) {
        attempts.remove(job.getMetadata().getUid());
        metrics.forget(job);
    }

    private static KafkaLogin login(KafkaSourceSpec source, Function<String, Optional<Secret>> secrets, int index)
            throws KafkaLagException {
        KafkaCredentials ref = source.getCredentialsSecret();
        if (ref == null) {
            return new KafkaLogin(source.getBootstrapServers(), Optional.empty());
        }
        String field = "credentialsSecret";
        Secret secret = secrets.apply(ref.getName()).orElseThrow(() -> new KafkaLagException(
                field + ": Secret " + ref.getName() + " not found", null));
        String username = SecretValues.value(secret, ref.getUsernameKey(), KafkaCredentials.DEFAULT_USERNAME_KEY);
        String password = SecretValues.value(secret, ref.getPasswordKey(), KafkaCredentials.DEFAULT_PASSWORD_KEY);
        if (username == null || password == null) {
            throw new KafkaLagException(field + ": Secret " + ref.getName() + " lacks key " + (username == null
                    ? SecretValues.keyOr(ref.getUsernameKey(), KafkaCredentials.DEFAULT_USERNAME_KEY)
                    : SecretValues.keyOr(ref.getPasswordKey(), KafkaCredentials.DEFAULT_PASSWORD_KEY)), null);
        }
        return new KafkaLogin(source.getBootstrapServers(), Optional.of(new KafkaLogin.Sasl(ref.getMechanism(), username,
                password, !Boolean.FALSE.equals(ref.getTls()))));
    }
}
