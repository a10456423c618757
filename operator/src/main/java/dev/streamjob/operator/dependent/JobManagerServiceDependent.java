package dev.streamjob.operator.dependent;

import dev.streamjob.operator.model.DesiredResources;
import dev.streamjob.operator.model.StreamJobResources;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The JobManager's Service (RPC, blob server, REST). Owned by the StreamJob, so deleting it deletes this. */
@KubernetesDependent(informer = @Informer(labelSelector = StreamJobResources.MANAGED_BY_SELECTOR))
public class JobManagerServiceDependent extends DesiredResourcesDependent<Service> {

    /** Creates the dependent; JOSDK instantiates it from the reconciler's workflow. */
    public JobManagerServiceDependent() {
        super(Service.class, DesiredResources::jobManagerService);
    }
}
