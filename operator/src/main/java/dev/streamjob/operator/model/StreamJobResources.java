package dev.streamjob.operator.model;

import dev.streamjob.operator.api.v1alpha1.StreamJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every name, label, port and path derived from a StreamJob, in one place. Builders, the
 * observer and the reconciler ask this class instead of concatenating strings themselves.
 */
public final class StreamJobResources {

    /** Value of {@code app.kubernetes.io/managed-by} on every object the operator creates. */
    public static final String MANAGED_BY = "streamjob-operator";
    /** Label selector of every object the operator creates; informers watch only these. */
    public static final String MANAGED_BY_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY;
    /** Label holding the owning StreamJob's name. */
    public static final String NAME_LABEL = "streamjob.dev/name";
    /** Standard component label: {@code jobmanager} or {@code taskmanager}. */
    public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    /** Pod-template annotation holding a hash of the ConfigMap content, so a change rolls the pods. */
    public static final String CONFIG_HASH_ANNOTATION = "streamjob.dev/config-hash";

    /** Name of the Flink container in JobManager and TaskManager pods. */
    public static final String FLINK_CONTAINER = "flink";
    /** FLINK_HOME inside the runtime image. */
    public static final String FLINK_HOME = "/opt/flink";
    /** The runtime image's entry point (see runtime-image/README.md). */
    public static final String LAUNCHER = FLINK_HOME + "/bin/launcher";
    /**
     * Where the ConfigMap is mounted; the launcher's FLINK_CONF_DIR. Never {@code $FLINK_HOME/conf}:
     * a mount there would hide the image's own {@code config.yaml} (Flink's Java 17 {@code
     * --add-opens} options among its defaults), which the launcher layers under the ConfigMap's.
     */
    public static final String CONF_DIR = FLINK_HOME + "/streamjob-conf";
    /** ConfigMap key of Flink's configuration file. */
    public static final String FLINK_CONF_FILE = "config.yaml";
    /** ConfigMap key of the log4j configuration. */
    public static final String LOG4J_CONF_FILE = "log4j-console.properties";
    /** ConfigMap key of the SQL script of a SQL job. */
    public static final String SQL_FILE = "job.sql";
    /** Path of the container's termination message, written by the launcher when Flink rejects the job. */
    public static final String TERMINATION_LOG = "/dev/termination-log";

    /** JobManager RPC port ({@code jobmanager.rpc.port}). */
    public static final int JOBMANAGER_RPC_PORT = 6123;
    /** Blob server port ({@code blob.server.port}). */
    public static final int BLOB_PORT = 6124;
    /** REST and web UI port ({@code rest.port}). */
    public static final int REST_PORT = 8081;
    /** TaskManager RPC port ({@code taskmanager.rpc.port}). */
    public static final int TASKMANAGER_RPC_PORT = 6122;
    /** TaskManager data port ({@code taskmanager.data.port}). */
    public static final int TASKMANAGER_DATA_PORT = 6121;

    /** Flink component a pod belongs to. */
    public enum Component {
        JOBMANAGER("jobmanager"),
        TASKMANAGER("taskmanager");

        private final String label;

        Component(String label) {
            this.label = label;
        }

        /** The value of {@link #COMPONENT_LABEL}. */
        public String label() {
            return label;
        }

        /** Whether a pod (or another object) carries this component's label. */
        public boolean of(HasMetadata resource) {
            Map<String, String> labels = resource.getMetadata().getLabels();
            return labels != null && label.equals(labels.get(COMPONENT_LABEL));
        }
    }

    private StreamJobResources() {
    }

    /** Name of the ConfigMap with Flink's configuration and the SQL script. */
    public static String configMapName(StreamJob job) {
        return job.getMetadata().getName() + "-config";
    }

    /** Name of the JobManager Deployment and of its Service. */
    public static String jobManagerName(StreamJob job) {
        return job.getMetadata().getName() + "-jobmanager";
    }

    /** Name of the TaskManager Deployment. */
    public static String taskManagerName(StreamJob job) {
        return job.getMetadata().getName() + "-taskmanager";
    }

    /** Labels of every object owned by the StreamJob. */
    public static Map<String, String> labels(StreamJob job) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "flink");
        labels.put("app.kubernetes.io/instance", job.getMetadata().getName());
        labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
        labels.put(NAME_LABEL, job.getMetadata().getName());
        return labels;
    }

    /** Labels of one component's objects and pods. */
    public static Map<String, String> labels(StreamJob job, Component component) {
        Map<String, String> labels = labels(job);
        labels.put(COMPONENT_LABEL, component.label());
        return labels;
    }

    /** The stable subset of labels that selects one component's pods (Deployment selector, Service). */
    public static Map<String, String> selectorLabels(StreamJob job, Component component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME_LABEL, job.getMetadata().getName());
        labels.put(COMPONENT_LABEL, component.label());
        return labels;
    }

    /** The TaskManager pod selector as a string, for {@code status.selector} (scale subresource). */
    public static String taskManagerSelector(StreamJob job) {
        return selectorLabels(job, Component.TASKMANAGER).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /**
     * The Flink job id of one run of the StreamJob (the form {@code --job-id} takes, 32 hex
     * characters): the first 16 hex characters of its UID, then the lineage and the run number as
     * 8 hex characters each. Checkpoints land under {@code <checkpoints>/<job id>/chk-N}, so the
     * job id tells which StreamJob, lineage and run a snapshot belongs to; a re-created StreamJob
     * of the same name (a new UID) never mistakes the old one's snapshots for its own.
     *
     * @param lineage state lineage number, 1 or more
     * @param run run number, 1 or more
     */
    public static String jobId(StreamJob job, int lineage, int run) {
        return uidPrefix(job) + String.format(java.util.Locale.ROOT, "%08x%08x", lineage, run);
    }

    /** The first 16 hex characters of the StreamJob's UID: the part every job id of it shares. */
    public static String uidPrefix(StreamJob job) {
        return job.getMetadata().getUid().replace("-", "").toLowerCase(java.util.Locale.ROOT).substring(0, 16);
    }

    /**
     * The lineage number a job id of this StreamJob encodes; empty for a job id of another
     * StreamJob or of another form.
     */
    public static java.util.OptionalInt lineageOf(StreamJob job, String jobId) {
        if (jobId == null || jobId.length() != 32 || !jobId.startsWith(uidPrefix(job))) {
            return java.util.OptionalInt.empty();
        }
        try {
            return java.util.OptionalInt.of(Integer.parseUnsignedInt(jobId.substring(16, 24), 16));
        } catch (NumberFormatException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /** TaskManager replicas for the spec: {@code ceil(parallelism / slots)}. */
    public static int taskManagerReplicas(int parallelism, int slots) {
        return (parallelism + slots - 1) / slots;
    }
}
