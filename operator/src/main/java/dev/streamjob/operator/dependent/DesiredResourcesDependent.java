package dev.streamjob.operator.dependent;

import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.model.DesiredResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.function.Function;

/**
 * Base of the StreamJob's dependent resources: the desired object is one part of the
 * {@link DesiredResources} the reconciler built for this reconcile and put into the context, so
 * every object comes from one pure build and the dependents never build anything themselves.
 */
abstract class DesiredResourcesDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, StreamJob> {

    private final Function<DesiredResources, R> part;

    DesiredResourcesDependent(Class<R> type, Function<DesiredResources, R> part) {
        super(type);
        this.part = part;
    }

    @Override
    protected R desired(StreamJob job, Context<StreamJob> context) {
        return part.apply(context.managedWorkflowAndDependentResourceContext()
                .getMandatory(DesiredResources.class, DesiredResources.class));
    }
}
