package dev.streamjob.operator.controller;

import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.status.StatusEvent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Writes core/v1 Events about a StreamJob, shown by {@code kubectl describe streamjob}. A failure
 * to write an event is logged and never fails the reconcile.
 */
@ApplicationScoped
public class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final String COMPONENT = "streamjob-operator";

    private final KubernetesClient client;

    /** A recorder writing through the operator's client. */
    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    /** Records one event on the StreamJob. */
    public void record(StreamJob job, StatusEvent event) {
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        Event e = new EventBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                .withNamespace(job.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(job.getApiVersion())
                .withKind(job.getKind())
                .withName(job.getMetadata().getName())
                .withNamespace(job.getMetadata().getNamespace())
                .withUid(job.getMetadata().getUid())
                .withResourceVersion(job.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(event.warning() ? "Warning" : "Normal")
                .withReason(event.reason())
                .withMessage(event.message())
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(job.getMetadata().getNamespace()).resource(e).create();
        } catch (KubernetesClientException ex) {
            LOG.warnf("could not record event %s on StreamJob %s/%s: %s", event.reason(),
                    job.getMetadata().getNamespace(), job.getMetadata().getName(), ex.getMessage());
        }
    }
}
