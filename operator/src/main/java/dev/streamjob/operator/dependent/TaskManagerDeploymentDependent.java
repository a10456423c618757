package dev.streamjob.operator.dependent;

import dev.streamjob.operator.model.DesiredResources;
import dev.streamjob.operator.model.StreamJobResources;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The TaskManager Deployment. Owned by the StreamJob, so deleting it deletes this. */
@KubernetesDependent(informer = @Informer(labelSelector = StreamJobResources.MANAGED_BY_SELECTOR))
public class TaskManagerDeploymentDependent extends DesiredResourcesDependent<Deployment> {

    /** Creates the dependent; JOSDK instantiates it from the reconciler's workflow. */
    public TaskManagerDeploymentDependent() {
        super(Deployment.class, DesiredResources::taskManager);
    }
}
