package dev.streamjob.operator.model;

import dev.streamjob.operator.api.v1alpha1.CheckpointingSpec;
import dev.streamjob.operator.api.v1alpha1.JobRun;
import dev.streamjob.operator.api.v1alpha1.ProcessResources;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.StreamJobSpec;
import dev.streamjob.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Flink's configuration for a StreamJob ({@code config.yaml} in its ConfigMap): the keys the
 * operator owns (addresses, ports, memory, slots, checkpointing to the job's S3 prefix), with
 * {@code spec.flinkConfiguration} added for every other key. Key names are Flink 2.x's
 * (Flink docs: deployment/config).
 */
public final class FlinkConfig {

    /**
     * Keys the operator sets itself, each with the field a user sets instead. Validation rejects
     * them in {@code spec.flinkConfiguration}.
     */
    public static final Map<String, String> OWNED_KEYS = ownedKeys();

    /** Flink's key for the job parallelism; rescaled in place, so it does not roll the pods. */
    public static final String PARALLELISM = "parallelism.default";

    /**
     * Defaults the user's {@code spec.flinkConfiguration} may override. The adaptive scheduler
     * lets the operator rescale the running job in place through the resource-requirements REST
     * endpoint (Flink docs: deployment/elastic_scaling). The operator decides when to rescale,
     * so Flink's own cooldown after a rescale is off; and a starting job waits up to two minutes
     * for all its TaskManagers (the stabilization timeout) instead of starting with fewer slots
     * and rescaling moments later.
     */
    static final Map<String, String> ADAPTIVE_SCHEDULER_DEFAULTS = Map.of(
            "jobmanager.scheduler", "adaptive",
            "jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling", "0s",
            "jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout", "2min");

    private FlinkConfig() {
    }

    /**
     * Whether the configuration lets the operator rescale the job in place: the adaptive
     * scheduler, not in reactive mode (which sizes the job by its TaskManagers alone).
     *
     * @return empty if it does, else why not, naming the configuration key
     */
    public static Optional<String> inPlaceRescaleBlocker(Map<String, String> conf) {
        String scheduler = conf.getOrDefault("jobmanager.scheduler", "adaptive");
        if (!"adaptive".equalsIgnoreCase(scheduler.strip())) {
            return Optional.of("spec.flinkConfiguration sets jobmanager.scheduler: " + scheduler
                    + "; rescaling in place needs the adaptive scheduler");
        }
        if ("reactive".equalsIgnoreCase(conf.getOrDefault("scheduler-mode", "").strip())) {
            return Optional.of("spec.flinkConfiguration sets scheduler-mode: reactive, which sizes the job by its TaskManagers");
        }
        return Optional.empty();
    }

    /** The full configuration of one run, sorted by key so the ConfigMap content is stable. */
    public static SortedMap<String, String> of(StreamJob job, OperatorConfig config, JobRun run) {
        StreamJobSpec spec = job.getSpec();
        ResolvedStorage storage = ResolvedStorage.of(job, config);
        CheckpointingSpec checkpointing = spec.getCheckpointing() == null ? new CheckpointingSpec() : spec.getCheckpointing();
        SortedMap<String, String> conf = new TreeMap<>(ADAPTIVE_SCHEDULER_DEFAULTS);
        if (spec.getFlinkConfiguration() != null) {
            conf.putAll(spec.getFlinkConfiguration());
        }

        conf.put("jobmanager.rpc.address", StreamJobResources.jobManagerName(job));
        conf.put("jobmanager.rpc.port", String.valueOf(StreamJobResources.JOBMANAGER_RPC_PORT));
        conf.put("jobmanager.bind-host", "0.0.0.0");
        conf.put("rest.address", StreamJobResources.jobManagerName(job));
        conf.put("rest.port", String.valueOf(StreamJobResources.REST_PORT));
        conf.put("rest.bind-address", "0.0.0.0");
        conf.put("blob.server.port", String.valueOf(StreamJobResources.BLOB_PORT));
        conf.put("taskmanager.bind-host", "0.0.0.0");
        conf.put("taskmanager.rpc.port", String.valueOf(StreamJobResources.TASKMANAGER_RPC_PORT));
        conf.put("taskmanager.data.port", String.valueOf(StreamJobResources.TASKMANAGER_DATA_PORT));
        conf.put("taskmanager.numberOfTaskSlots", String.valueOf(slots(spec)));
        conf.put(PARALLELISM, String.valueOf(run.parallelism()));
        conf.put("jobmanager.memory.process.size", flinkMemory(jobManagerMemory(spec, config)));
        conf.put("taskmanager.memory.process.size", flinkMemory(taskManagerMemory(spec, config)));

        conf.put("execution.checkpointing.interval", checkpointing.getInterval());
        conf.put("execution.checkpointing.mode", checkpointing.getMode().name());
        conf.put("execution.checkpointing.timeout", checkpointing.getTimeout());
        conf.put("execution.checkpointing.num-retained", String.valueOf(checkpointing.getRetained()));
        conf.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        storage.bucket().ifPresent(bucket -> {
            conf.put("execution.checkpointing.dir", storage.checkpointDirectory());
            conf.put("execution.checkpointing.savepoint-dir", storage.savepointDirectory(run.jobId()));
        });
        storage.endpoint().ifPresent(endpoint -> conf.put("s3.endpoint", endpoint));
        conf.put("s3.path.style.access", String.valueOf(storage.pathStyleAccess()));
        // An explicit region keeps the S3 client from asking the EC2 metadata endpoint for one.
        conf.put("s3.endpoint.region", storage.region());
        return conf;
    }

    /**
     * Renders the configuration as Flink 2.x {@code config.yaml} with flat keys; every value is a
     * double-quoted YAML string, which Flink parses into its typed options.
     */
    public static String toYaml(Map<String, String> conf) {
        StringBuilder yaml = new StringBuilder("# Generated by the StreamJob operator; edit the StreamJob, not this file.\n");
        conf.forEach((key, value) -> yaml.append(key).append(": ").append(quote(value)).append('\n'));
        return yaml.toString();
    }

    /** JobManager memory: {@code spec.jobManager.memory} or the operator's default. */
    public static Quantity jobManagerMemory(StreamJobSpec spec, OperatorConfig config) {
        return memory(spec.getJobManager(), config.jobManager());
    }

    /** TaskManager memory: {@code spec.taskManager.memory} or the operator's default. */
    public static Quantity taskManagerMemory(StreamJobSpec spec, OperatorConfig config) {
        return memory(spec.getTaskManager(), config.taskManager());
    }

    private static Quantity memory(ProcessResources resources, OperatorConfig.Resources defaults) {
        return resources != null && resources.getMemory() != null ? resources.getMemory() : new Quantity(defaults.memory());
    }

    /** Task slots per TaskManager ({@code spec.taskManager.slots}, default 1). */
    public static int slots(StreamJobSpec spec) {
        return spec.getTaskManager() != null && spec.getTaskManager().getSlots() != null
                ? spec.getTaskManager().getSlots()
                : 1;
    }

    /**
     * A Kubernetes quantity as a Flink memory size: whole mebibytes as {@code <n>m}, otherwise
     * bytes as {@code <n>b} (Flink's MemorySize syntax).
     */
    static String flinkMemory(Quantity quantity) {
        BigDecimal bytes = Quantity.getAmountInBytes(quantity);
        long value = bytes.longValue();
        long mebibyte = 1024L * 1024L;
        return value % mebibyte == 0 ? (value / mebibyte) + "m" : value + "b";
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    private static Map<String, String> ownedKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : new String[] {"jobmanager.rpc.address", "jobmanager.rpc.port", "jobmanager.bind-host",
                "rest.address", "rest.port", "rest.bind-address", "blob.server.port", "taskmanager.bind-host",
                "taskmanager.host", "taskmanager.rpc.port", "taskmanager.data.port"}) {
            keys.put(key, "the operator (cluster networking)");
        }
        keys.put("taskmanager.numberOfTaskSlots", "spec.taskManager.slots");
        keys.put(PARALLELISM, "spec.job.parallelism");
        keys.put("jobmanager.memory.process.size", "spec.jobManager.memory");
        keys.put("taskmanager.memory.process.size", "spec.taskManager.memory");
        keys.put("execution.checkpointing.interval", "spec.checkpointing.interval");
        keys.put("execution.checkpointing.mode", "spec.checkpointing.mode");
        keys.put("execution.checkpointing.timeout", "spec.checkpointing.timeout");
        keys.put("execution.checkpointing.num-retained", "spec.checkpointing.retained");
        keys.put("execution.checkpointing.externalized-checkpoint-retention", "the operator (checkpoints are always retained)");
        keys.put("execution.checkpointing.dir", "spec.storage");
        keys.put("execution.checkpointing.savepoint-dir", "spec.storage");
        keys.put("state.checkpoints.dir", "spec.storage");
        keys.put("state.savepoints.dir", "spec.storage");
        keys.put("execution.savepoint.path", "spec.job.initialSavepointPath");
        keys.put("execution.savepoint.ignore-unclaimed-state", "spec.job.allowNonRestoredState");
        keys.put("s3.endpoint", "spec.storage.endpoint");
        keys.put("s3.path.style.access", "spec.storage.pathStyleAccess");
        keys.put("s3.endpoint.region", "spec.storage.region");
        keys.put("s3.access-key", "spec.storage.credentialsSecret");
        keys.put("s3.secret-key", "spec.storage.credentialsSecret");
        keys.put("s3.access.key", "spec.storage.credentialsSecret");
        keys.put("s3.secret.key", "spec.storage.credentialsSecret");
        keys.put("high-availability.type", "the operator (it restores jobs from snapshots in S3)");
        return Map.copyOf(keys);
    }
}
