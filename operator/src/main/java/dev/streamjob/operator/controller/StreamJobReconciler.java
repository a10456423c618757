package dev.streamjob.operator.controller;

import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.StreamJobStatus;
import dev.streamjob.operator.config.OperatorConfig;
import dev.streamjob.operator.dependent.ConfigMapDependent;
import dev.streamjob.operator.dependent.JobManagerDeploymentDependent;
import dev.streamjob.operator.dependent.JobManagerServiceDependent;
import dev.streamjob.operator.dependent.TaskManagerDeploymentDependent;
import dev.streamjob.operator.model.DesiredResources;
import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.operator.observer.FlinkClusterObserver;
import dev.streamjob.operator.observer.ObservedState;
import dev.streamjob.operator.status.ConditionType;
import dev.streamjob.operator.status.StatusComputer;
import dev.streamjob.operator.status.StatusEvent;
import dev.streamjob.operator.validation.FieldError;
import dev.streamjob.operator.validation.StreamJobValidator;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Reconciles a StreamJob: validate, apply the desired objects (only when the spec is valid, so a
 * bad edit never touches a running job), observe the cluster, then write the status once and the
 * events its change calls for. Watches on the Deployments and Flink pods trigger a reconcile when
 * they change; the Flink job's own progress is polled with {@code rescheduleAfter}.
 */
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "config", type = ConfigMapDependent.class),
    @Dependent(name = "jobmanager-service", type = JobManagerServiceDependent.class),
    @Dependent(name = "jobmanager", type = JobManagerDeploymentDependent.class, dependsOn = "config"),
    @Dependent(name = "taskmanager", type = TaskManagerDeploymentDependent.class, dependsOn = "config")
})
@ControllerConfiguration(name = "streamjob")
public class StreamJobReconciler implements Reconciler<StreamJob> {

    private static final Logger LOG = Logger.getLogger(StreamJobReconciler.class);

    private final OperatorConfig config;
    private final FlinkClusterObserver observer;
    private final EventRecorder events;

    /** The reconciler with its collaborators (CDI). */
    public StreamJobReconciler(OperatorConfig config, FlinkClusterObserver observer, EventRecorder events) {
        this.config = config;
        this.observer = observer;
        this.events = events;
    }

    @Override
    public List<EventSource<?, StreamJob>> prepareEventSources(EventSourceContext<StreamJob> context) {
        var pods = InformerEventSourceConfiguration.from(Pod.class, StreamJob.class)
                .withName("flink-pods")
                .withLabelSelector(StreamJobResources.MANAGED_BY_SELECTOR)
                .withSecondaryToPrimaryMapper(pod -> Optional.ofNullable(pod.getMetadata().getLabels())
                        .map(labels -> labels.get(StreamJobResources.NAME_LABEL))
                        .map(name -> Set.of(new ResourceID(name, pod.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .build();
        return List.of(new InformerEventSource<>(pods, context));
    }

    @Override
    public UpdateControl<StreamJob> reconcile(StreamJob job, Context<StreamJob> context) {
        String namespace = job.getMetadata().getNamespace();
        List<FieldError> errors = StreamJobValidator.validate(job, config,
                name -> Optional.ofNullable(context.getClient().secrets().inNamespace(namespace).withName(name).get()));
        if (errors.isEmpty()) {
            context.managedWorkflowAndDependentResourceContext().put(DesiredResources.class, DesiredResources.of(job, config));
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        } else {
            LOG.infof("StreamJob %s/%s has an invalid spec, leaving its cluster as it is: %s", namespace,
                    job.getMetadata().getName(), errors);
        }
        ObservedState observed = observer.observe(job, context);
        StreamJobStatus status = StatusComputer.compute(job, errors, observed, Instant.now());
        Duration next = status.getConditions().stream()
                .anyMatch(c -> ConditionType.Ready.name().equals(c.getType()) && "True".equals(c.getStatus()))
                ? config.flink().steadyPollInterval()
                : config.flink().progressPollInterval();
        return patchIfChanged(job, status).rescheduleAfter(next);
    }

    @Override
    public ErrorStatusUpdateControl<StreamJob> updateErrorStatus(StreamJob job, Context<StreamJob> context, Exception e) {
        return ErrorStatusUpdateControl.patchStatus(statusPatch(job,
                StatusComputer.reconcileError(job, String.valueOf(e.getMessage()), Instant.now())));
    }


    private UpdateControl<StreamJob> patchIfChanged(StreamJob job, StreamJobStatus status) {
        StreamJobStatus previous = job.getStatus();
        if (status.equals(previous)) {
            return UpdateControl.noUpdate();
        }
        StatusEvent.between(previous == null ? List.of() : previous.getConditions(), status.getConditions())
                .forEach(event -> events.record(job, event));
        return UpdateControl.patchStatus(statusPatch(job, status));
    }

    /**
     * A copy of the StreamJob carrying only what a status patch needs: no spec, so a patch can
     * never write defaults over the user's spec (an API server without a status subresource, like
     * the mock server, would merge it).
     */
    private static StreamJob statusPatch(StreamJob job, StreamJobStatus status) {
        StreamJob patch = new StreamJob();
        patch.setSpec(null);
        patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(job.getMetadata().getName())
                .withNamespace(job.getMetadata().getNamespace())
                .withResourceVersion(job.getMetadata().getResourceVersion())
                .withGeneration(job.getMetadata().getGeneration())
                .withUid(job.getMetadata().getUid())
                .build());
        patch.setStatus(status);
        return patch;
    }
}
