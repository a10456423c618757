package dev.streamjob.operator.kafka;

import dev.streamjob.operator.api.v1alpha1.KafkaCredentials;
import dev.streamjob.operator.api.v1alpha1.KafkaLag;
import dev.streamjob.operator.api.v1alpha1.KafkaSourceSpec;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.config.OperatorConfig;
import dev.streamjob.operator.kafka.KafkaLagReader.KafkaLagException;
import dev.streamjob.operator.model.SecretValues;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource.ResourceFetcher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Reads the consumer lag of a StreamJob's {@code spec.kafkaSources} in the background, every
 * {@code streamjob.kafka.lag-interval}, with JOSDK's per-resource polling event source: Kafka
 * calls (each bounded by {@code streamjob.kafka.request-timeout}) never run in a reconcile, and
 * each new reading triggers one. The reconcile then takes the newest reading as an
 * {@link Outcome}; a failure to read is an outcome, never an exception. The lag metric follows
 * each reading.
 */
@ApplicationScoped
public class KafkaLagObserver {

    private static final Logger LOG = Logger.getLogger(KafkaLagObserver.class);
    /** Threads reading lag in the background: a Kafka that does not answer holds one for up to its timeouts. */
    static final int READER_THREADS = 2;
    private final KafkaLagReader reader;
    private final KafkaLagMetrics metrics;
    private final OperatorConfig config;
    /** Per StreamJob UID: when the reading last handed to a reconcile finished. */
    private final Map<String, Instant> handedOver = new ConcurrentHashMap<>();
    private volatile PerResourcePollingEventSource<KafkaLagReading, StreamJob, String> source;

    /** The outcome of one look. */
    public sealed interface Outcome {
    }

    /** The StreamJob has no {@code spec.kafkaSources}. */
    public record NotConfigured() implements Outcome {
    }

    /** No reading since the last reconcile: the status keeps the last reading and condition. */
    public record Unchanged() implements Outcome {
    }

    /**
     * A new reading.
     *
     * @param lag the lags
     * @param at when it was read
     */
    public record Read(KafkaLag lag, Instant at) implements Outcome {
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
     * The event source that reads the lag of every StreamJob with {@code spec.kafkaSources} on
     * {@value #READER_THREADS} background threads, reading the credentials Secrets itself: at
     * once when the StreamJob is seen, then every lag interval. {@link #observe} reads its cache.
     */
    public PerResourcePollingEventSource<KafkaLagReading, StreamJob, String> eventSource(
            EventSourceContext<StreamJob> context) {
        KubernetesClient client = context.getClient();
        ResourceFetcher<KafkaLagReading, StreamJob> fetcher = new ResourceFetcher<>() {
            @Override
            public Set<KafkaLagReading> fetchResources(StreamJob job) {
                return read(job, name -> Optional.ofNullable(
                        client.secrets().inNamespace(job.getMetadata().getNamespace()).withName(name).get()))
                        .map(Set::of).orElse(Set.of());
            }

            @Override
            public Optional<Duration> fetchDelay(Set<KafkaLagReading> lastFetched, StreamJob job) {
                return Optional.of(lastFetched == null ? Duration.ZERO : config.kafka().lagInterval());
            }
        };
        source = new PerResourcePollingEventSource<>(KafkaLagReading.class, context,
                new PerResourcePollingConfigurationBuilder<KafkaLagReading, StreamJob, String>(fetcher, config.kafka().lagInterval())
                        .withName("kafka-lag")
                        .withResourceIDMapper(reading -> "reading") // one reading per StreamJob, the newest
                        .withRegisterPredicate(KafkaLagObserver::hasSources)
                        .withExecutorService(Executors.newScheduledThreadPool(READER_THREADS, r -> {
                            Thread t = new Thread(r, "kafka-lag-reader");
                            t.setDaemon(true);
                            return t;
                        }))
                        .build());
        return source;
    }

    /**
     * Reads the lag of every source now (blocking; the event source calls it in the background)
     * and updates the metric. The reading's time is when it finished.
     *
     * @param secrets the StreamJob's Secrets by name
     * @return empty when the StreamJob has no sources
     */
    public Optional<KafkaLagReading> read(StreamJob job, Function<String, Optional<Secret>> secrets) {
        if (!hasSources(job)) {
            metrics.forget(job);
            return Optional.empty();
        }
        List<KafkaSourceSpec> sources = job.getSpec().getKafkaSources();
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
                return Optional.of(new KafkaLagReading.Failed(message, Instant.now()));
            }
        }
        Instant now = Instant.now();
        KafkaLag lag = new KafkaLag(topics.stream().mapToLong(KafkaLag.TopicLag::records).sum(),
                DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)), topics);
        metrics.record(job, lag);
        return Optional.of(new KafkaLagReading.Read(lag, now));
    }

    /**
     * What a reconcile makes of the newest background reading: new since the last reconcile of
     * this StreamJob, or unchanged (also while the first reading is under way). Reads the event
     * source's cache only: it never waits for Kafka.
     */
    public Outcome observe(StreamJob job) {
        String uid = job.getMetadata().getUid();
        if (!hasSources(job)) {
            handedOver.remove(uid);
            return new NotConfigured();
        }
        Optional<KafkaLagReading> latest = source == null ? Optional.empty()
                : source.getSecondaryResource(ResourceID.fromResource(job));
        if (latest.isEmpty() || latest.get().at().equals(handedOver.get(uid))) {
            return new Unchanged();
        }
        handedOver.put(uid, latest.get().at());
        if (latest.get() instanceof KafkaLagReading.Read read) {
            return new Read(read.lag(), read.at());
        }
        return new Failed(((KafkaLagReading.Failed) latest.get()).message());
    }

    /** Forgets a deleted StreamJob. */
    public void forget(StreamJob job) {
        handedOver.remove(job.getMetadata().getUid());
        metrics.forget(job);
    }

    private static boolean hasSources(StreamJob job) {
        return job.getSpec() != null && job.getSpec().getKafkaSources() != null && !job.getSpec().getKafkaSources().isEmpty();
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
