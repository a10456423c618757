package dev.streamjob.operator.controller;

import dev.streamjob.operator.api.v1alpha1.DeletionPolicy;
import dev.streamjob.operator.api.v1alpha1.SecretKeysReference;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.StreamJobStatus;
import dev.streamjob.operator.autoscaler.LagAutoscaler;
import dev.streamjob.operator.config.OperatorConfig;
import dev.streamjob.operator.dependent.ConfigMapDependent;
import dev.streamjob.operator.dependent.JobManagerDeploymentDependent;
import dev.streamjob.operator.dependent.JobManagerServiceDependent;
import dev.streamjob.operator.dependent.TaskManagerDeploymentDependent;
import dev.streamjob.operator.kafka.KafkaLagObserver;
import dev.streamjob.operator.model.DesiredResources;
import dev.streamjob.operator.model.ResolvedStorage;
import dev.streamjob.operator.model.SecretValues;
import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.operator.observer.FlinkClusterObserver;
import dev.streamjob.operator.observer.ObservedState;
import dev.streamjob.operator.state.SnapshotStore;
import dev.streamjob.operator.state.StoreAccess;
import dev.streamjob.operator.status.ConditionType;
import dev.streamjob.operator.status.Reason;
import dev.streamjob.operator.status.RunState;
import dev.streamjob.operator.status.StatusComputer;
import dev.streamjob.operator.status.StatusEvent;
import dev.streamjob.operator.validation.FieldError;
import dev.streamjob.operator.validation.StreamJobValidator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Reconciles a StreamJob: validate, observe the cluster, take one lifecycle step
 * ({@link JobLifecycle}: deploy, savepoint, stop, redeploy ...), apply the desired objects of the
 * current run when the step says so, then write the status once and the events the step and the
 * status change call for. An invalid spec never touches a running job. Watches on the
 * Deployments and Flink pods trigger a reconcile when they change; Flink's progress is polled with
 * {@code rescheduleAfter}. Deleting a StreamJob removes its objects through owner references;
 * its snapshots in the object store are kept, or deleted once its Flink pods are gone when
 * {@code spec.savepoints.deletionPolicy} is {@code Delete} ({@link #cleanup}).
 */
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "config", type = ConfigMapDependent.class),
    @Dependent(name = "jobmanager-service", type = JobManagerServiceDependent.class),
    @Dependent(name = "jobmanager", type = JobManagerDeploymentDependent.class, dependsOn = "config"),
    @Dependent(name = "taskmanager", type = TaskManagerDeploymentDependent.class, dependsOn = "config")
})
@ControllerConfiguration(name = "streamjob")
public class StreamJobReconciler implements Reconciler<StreamJob>, Cleaner<StreamJob> {

    private static final Logger LOG = Logger.getLogger(StreamJobReconciler.class);
    private final OperatorConfig config;
    private final FlinkClusterObserver observer;
    private final JobLifecycle lifecycle;
    private final EventRecorder events;
    private final SnapshotStore store;
    private final KafkaLagObserver kafkaLag;
    private final LagAutoscaler autoscaler;

    /** The reconciler with its collaborators (CDI). */
    public StreamJobReconciler(OperatorConfig config, FlinkClusterObserver observer, JobLifecycle lifecycle,
            EventRecorder events, SnapshotStore store, KafkaLagObserver kafkaLag, LagAutoscaler autoscaler) {
        this.config = config;
        this.autoscaler = autoscaler;
        this.kafkaLag = kafkaLag;
        this.store = store;
        this.observer = observer;
        this.lifecycle = lifecycle;
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
        return List.of(new InformerEventSource<>(pods, context), kafkaLag.eventSource(context));
    }

    @Override
    public UpdateControl<StreamJob> reconcile(StreamJob job, Context<StreamJob> context) {
        String namespace = job.getMetadata().getNamespace();
        Instant now = Instant.now();
        Function<String, Optional<Secret>> secrets = secretsReadOnce(context, namespace);
        List<FieldError> errors = StreamJobValidator.validate(job, config, secrets);
        RunState before = RunState.of(job.getStatus());
        ObservedState observed = observer.observe(job, before.currentRun(), context);
        RunState after = before;
        Optional<Duration> requeue = Optional.empty();
        if (errors.isEmpty()) {
            JobLifecycle.Step step = lifecycle.step(job, observed, storeAccess(job, secrets), now);
            after = step.state();
            if (step.scaleDown()) {
                scaleDown(job, context.getClient());
            }
            step.taskManagersRunningTasks().ifPresent(busy -> markIdleTaskManagers(job, context, busy));
            if (step.apply() && after.currentRun() != null) {
                context.managedWorkflowAndDependentResourceContext()
                        .put(DesiredResources.class, DesiredResources.of(job, config, after.currentRun()));
                context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
            }
            step.events().forEach(event -> events.record(job, event));
            if (!Objects.equals(after.currentRun(), before.currentRun())) {
                observed = observer.observe(job, after.currentRun(), context);
            }
            requeue = step.requeue();
        } else {
            LOG.infof("StreamJob %s/%s has an invalid spec, leaving its cluster as it is: %s", namespace,
                    job.getMetadata().getName(), errors);
        }
        StreamJobStatus status = StatusComputer.compute(job, errors, observed, after, now);
        KafkaLagObserver.Outcome lag = errors.isEmpty()
                ? kafkaLag.observe(job)
                : new KafkaLagObserver.Unchanged();
        StatusComputer.addKafkaLag(job, status, lag, now);
        if (errors.isEmpty()) {
            autoscaler.evaluate(job, status, lag, observed, context.getClient(), now).ifPresent(e -> events.record(job, e));
        } else {
            status.setAutoscaler(job.getStatus() == null ? null : job.getStatus().getAutoscaler());
        }
        Duration usual = status.getConditions().stream()
                .anyMatch(c -> ConditionType.Ready.name().equals(c.getType()) && "True".equals(c.getStatus()))
                ? config.flink().steadyPollInterval()
                : config.flink().progressPollInterval();
        // A step may ask to look again sooner (an operation, a grace period ending), never later:
        // Flink's progress has no Kubernetes event, only polling sees it.
        Duration next = requeue.filter(r -> r.compareTo(usual) < 0).orElse(usual);
        return patchIfChanged(job, status, context).rescheduleAfter(next);
    }

    /**
     * Runs when a StreamJob is deleted (JOSDK keeps a finalizer on every StreamJob for this).
     * {@code Retain}, the default, lets the deletion go on at once: the owner references remove
     * the Deployments, Service and ConfigMap, the snapshots stay. {@code Delete} first scales the
     * Deployments to zero so no Flink process writes another checkpoint, waits until no Flink pod
     * is left, then deletes every checkpoint and savepoint of the StreamJob's runs (only those:
     * job ids start with its UID) and records a {@code SnapshotsDeleted} event. While the store
     * cannot be reached the finalizer stays and the deletion is retried at the steady poll
     * interval, with a {@code SnapshotDeletionFailed} Warning event; setting the policy back to
     * {@code Retain} lets the deletion finish without touching the store.
     */
    @Override
    public DeleteControl cleanup(StreamJob job, Context<StreamJob> context) {
        kafkaLag.forget(job);
        autoscaler.forget(job);
        if (job.getSpec() == null || job.getSpec().getSavepoints() == null
                || job.getSpec().getSavepoints().getDeletionPolicy() != DeletionPolicy.Delete) {
            return DeleteControl.defaultDelete();
        }
        String name = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
        scaleDown(job, context.getClient());
        int pods = context.getSecondaryResources(Pod.class).size();
        if (pods > 0) {
            LOG.infof("StreamJob %s is being deleted: waiting for %d Flink pods to stop before deleting its snapshots",
                    name, pods);
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(config.flink().progressPollInterval());
        }
        StoreAccess access = storeAccess(job, secretsReadOnce(context, job.getMetadata().getNamespace()));
        try {
            int objects = store.deleteRuns(access, StreamJobResources.uidPrefix(job));
            LOG.infof("StreamJob %s deleted: %d objects of its snapshots deleted from %s", name, objects, access);
            events.record(job, new StatusEvent(false, Reason.SnapshotsDeleted.name(), "Deleted the " + objects
                    + " objects of this StreamJob's checkpoints and savepoints (deletionPolicy: Delete)"));
            return DeleteControl.defaultDelete();
        } catch (SnapshotStore.SnapshotStoreException | RuntimeException e) {
            LOG.warnf("StreamJob %s is being deleted, but deleting its snapshots failed; retrying: %s", name,
                    e.getMessage());
            events.record(job, new StatusEvent(true, Reason.SnapshotDeletionFailed.name(), "Deleting this StreamJob's snapshots"
                    + " failed, retrying (set spec.savepoints.deletionPolicy: Retain to keep them and finish the"
                    + " deletion): " + e.getMessage()));
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(config.flink().steadyPollInterval());
        }
    }

    @Override
    public ErrorStatusUpdateControl<StreamJob> updateErrorStatus(StreamJob job, Context<StreamJob> context, Exception e) {
        return ErrorStatusUpdateControl.patchStatus(statusPatch(job,
                StatusComputer.reconcileError(job, String.valueOf(e.getMessage()), Instant.now())));
    }

    /**
     * Before the TaskManager Deployment shrinks: marks its pods with the
     * {@code controller.kubernetes.io/pod-deletion-cost} annotation, low for pods that run no
     * task, high for those that do, so the ReplicaSet removes idle TaskManagers first (Kubernetes
     * docs: ReplicaSet, "Pod deletion cost"). Flink reports TaskManagers by resource id, which the
     * operator sets to the pod name. The pods are this StreamJob's, from the informer.
     */
    private static void markIdleTaskManagers(StreamJob job, Context<StreamJob> context, Set<String> busy) {
        String namespace = job.getMetadata().getNamespace();
        for (Pod pod : context.getSecondaryResources(Pod.class)) {
            if (!StreamJobResources.Component.TASKMANAGER.of(pod)) {
                continue;
            }
            String cost = busy.contains(pod.getMetadata().getName()) ? BUSY_POD_DELETION_COST : IDLE_POD_DELETION_COST;
            context.getClient().pods().inNamespace(namespace).withName(pod.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + POD_DELETION_COST + "\":\"" + cost + "\"}}}");
        }
    }

    /** Kubernetes' annotation: a ReplicaSet scaling down removes pods of lower cost first. */
    static final String POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    static final String IDLE_POD_DELETION_COST = "-100";
    static final String BUSY_POD_DELETION_COST = "100";

    /** Scales the JobManager and TaskManager Deployments to zero (the old run is stopping). */
    private static void scaleDown(StreamJob job, KubernetesClient client) {
        String namespace = job.getMetadata().getNamespace();
        for (String name : List.of(StreamJobResources.jobManagerName(job), StreamJobResources.taskManagerName(job))) {
            var deployment = client.apps().deployments().inNamespace(namespace).withName(name);
            var current = deployment.get();
            if (current != null && (current.getSpec().getReplicas() == null || current.getSpec().getReplicas() > 0)) {
                deployment.edit(d -> {
                    d.getSpec().setReplicas(0);
                    return d;
                });
            }
        }
    }

    private StoreAccess storeAccess(StreamJob job, Function<String, Optional<Secret>> secrets) {
        ResolvedStorage storage = ResolvedStorage.of(job, config);
        String accessKey = null;
        String secretKey = null;
        if (storage.credentials().isPresent()) {
            SecretKeysReference ref = storage.credentials().get();
            Optional<Secret> secret = secrets.apply(ref.getName());
            accessKey = secret.map(x -> SecretValues.value(x, ref.getAccessKeyKey(),
                    SecretKeysReference.DEFAULT_ACCESS_KEY_KEY)).orElse(null);
            secretKey = secret.map(x -> SecretValues.value(x, ref.getSecretKeyKey(),
                    SecretKeysReference.DEFAULT_SECRET_KEY_KEY)).orElse(null);
        }
        return new StoreAccess(storage.endpointForOperator(job.getMetadata().getNamespace()).orElse(null),
                storage.region(), storage.bucket().orElse(null), storage.keyPrefix(), accessKey, secretKey);
    }

    /**
     * Looks Secrets up by name, each read from the API once per reconcile: the validator checks
     * it, the store access uses it.
     */
    private static Function<String, Optional<Secret>> secretsReadOnce(Context<StreamJob> context, String namespace) {
        Map<String, Optional<Secret>> read = new HashMap<>();
        return name -> read.computeIfAbsent(name, n -> secret(context, namespace, n));
    }

    private static Optional<Secret> secret(Context<StreamJob> context, String namespace, String name) {
        return Optional.ofNullable(context.getClient().secrets().inNamespace(namespace).withName(name).get());
    }

    /**
     * Writes the status if it changed, with the events its change calls for. The write goes
     * through JOSDK's {@link PrimaryUpdateAndCacheUtils}: optimistic locking, and the written
     * StreamJob cached for the next reconcile, which therefore never starts from a status older
     * than the one written here (the informer may deliver the write later). Server-side apply in
     * production, a JSON patch of the status against the mock API server of the tests.
     */
    private UpdateControl<StreamJob> patchIfChanged(StreamJob job, StreamJobStatus status, Context<StreamJob> context) {
        StreamJobStatus previous = job.getStatus();
        if (status.equals(previous)) {
            return UpdateControl.noUpdate();
        }
        if (context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
            PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(job, statusPatch(job, status), context);
        } else {
            PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(job, context, r -> {
                r.setStatus(status);
                return r;
            });
        }
        StatusEvent.between(previous == null ? List.of() : previous.getConditions(), status.getConditions())
                .forEach(event -> events.record(job, event));
        return UpdateControl.noUpdate();
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
