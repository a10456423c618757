package dev.streamjob.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A streaming job and its dedicated Flink cluster (application mode): one JobManager and
 * {@code ceil(parallelism / slots)} TaskManagers running the project's runtime image.
 *
 * <p>{@code kubectl get streamjobs} (short name {@code sj}) shows the Flink job state, the
 * parallelism the job runs at and the {@code Ready} condition. The {@code scale} subresource maps
 * {@code kubectl scale --replicas} to {@code spec.job.parallelism}.
 */
@Group(StreamJob.GROUP)
@Version(StreamJob.VERSION)
@Plural("streamjobs")
@ShortNames("sj")
// The CRD generator orders printer columns by JSON path: Age, Ready, Job State, Parallelism.
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Parallelism", jsonPath = ".status.parallelism",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Job State", jsonPath = ".status.jobState",
        type = AdditionalPrinterColumn.Type.STRING)
public class StreamJob extends CustomResource<StreamJobSpec, StreamJobStatus> implements Namespaced {

    /** The API group of every resource this project defines. */
    public static final String GROUP = "streamjob.dev";
    /** The served and stored API version. */
    public static final String VERSION = "v1alpha1";

    // No initSpec/initStatus: a StreamJob built with `new StreamJob()` carries neither, so the
    // server-side apply patches built that way (java-operator-sdk adds its finalizer with one,
    // the status patch is another) own no spec field and write no default over the user's spec.
}
