package dev.streamjob.operator.dependent;

import dev.streamjob.operator.model.DesiredResources;
import dev.streamjob.operator.model.StreamJobResources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The StreamJob's ConfigMap (Flink configuration, log4j configuration, SQL script). Owned by the StreamJob, so deleting it deletes this. */
@KubernetesDependent(informer = @Informer(labelSelector = StreamJobResources.MANAGED_BY_SELECTOR))
public class ConfigMapDependent extends DesiredResourcesDependent<ConfigMap> {

    /** Creates the dependent; JOSDK instantiates it from the reconciler's workflow. */
    public ConfigMapDependent() {
        super(ConfigMap.class, DesiredResources::configMap);
    }
}
