package dev.streamjob.operator.model;

import dev.streamjob.operator.api.v1alpha1.JobRun;
import dev.streamjob.operator.api.v1alpha1.ProcessResources;
import dev.streamjob.operator.api.v1alpha1.SecretKeysReference;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.StreamJobSpec;
import dev.streamjob.operator.config.OperatorConfig;
import dev.streamjob.operator.model.StreamJobResources.Component;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JobManager and TaskManager pod templates: the runtime image's launcher with its arguments,
 * the ConfigMap mounted as FLINK_CONF_DIR, S3 credentials from the Secret as environment
 * variables (never in the ConfigMap or arguments), resources, probes, and the user's
 * {@code spec.podTemplate} merged in.
 */
public final class FlinkPods {

    /** Environment variable holding the pod IP; TaskManagers advertise it ({@code taskmanager.host}). */
    public static final String POD_IP_ENV = "POD_IP";
    /** The environment variable that holds the pod name (downward API), the TaskManager's resource id. */
    public static final String POD_NAME_ENV = "POD_NAME";
    /** Environment variable the launcher reads the S3 access key from. */
    public static final String S3_ACCESS_KEY_ENV = "S3_ACCESS_KEY";
    /** Environment variable the launcher reads the S3 secret key from. */
    public static final String S3_SECRET_KEY_ENV = "S3_SECRET_KEY";
    private static final String CONFIG_VOLUME = "flink-config";

    private FlinkPods() {
    }

    /**
     * The JobManager's launcher arguments: the run's job id; the run's checkpoint directory, from
     * whose newest complete checkpoint the launcher resumes at every start (so a JobManager that
     * Kubernetes restarts never goes back to the run's restore point once the run has
     * checkpoints); the restore point the operator chose for the run ({@link JobRun#restorePath});
     * and the SQL script or the jar to run.
     */
    public static List<String> jobManagerArgs(StreamJob job, OperatorConfig config, JobRun run) {
        var spec = job.getSpec().getJob();
        List<String> args = new ArrayList<>(List.of("jobmanager", "--job-id", run.jobId(),
                "--restore-from-latest-checkpoint", ResolvedStorage.of(job, config).checkpointDirectory() + "/" + run.jobId()));
        if (run.restorePath() != null && !run.restorePath().isBlank()) {
            args.add("--from-savepoint");
            args.add(run.restorePath());
            if (Boolean.TRUE.equals(run.allowNonRestoredState())) {
                args.add("--allow-non-restored-state");
            }
        }
        if (spec.getSql() != null) {
            args.add("--sql-file");
            args.add(StreamJobResources.CONF_DIR + "/" + StreamJobResources.SQL_FILE);
        } else {
            args.add("--jar-uri");
            args.add(spec.getJarURI());
            if (spec.getEntryClass() != null) {
                args.add("--entry-class");
                args.add(spec.getEntryClass());
            }
        }
        if (spec.getArgs() != null && !spec.getArgs().isEmpty()) {
            args.add("--");
            args.addAll(spec.getArgs());
        }
        return args;
    }

    /** The runtime image of the StreamJob: {@code spec.image}, or the operator's default. */
    public static String image(StreamJob job, OperatorConfig config) {
        String image = job.getSpec().getImage();
        return image != null && !image.isBlank() ? image : config.defaultImage();
    }

    /**
     * The TaskManager's launcher arguments: it advertises its pod IP to the JobManager, and its
     * pod name is its resource id, so the operator can tell which pods run tasks (Flink's REST
     * API reports TaskManagers by resource id).
     */
    public static List<String> taskManagerArgs() {
        return List.of("taskmanager", "-Dtaskmanager.host=$(" + POD_IP_ENV + ")",
                "-Dtaskmanager.resource-id=$(" + POD_NAME_ENV + ")");
    }

    /**
     * The pod template of one component.
     *
     * @param configHash hash of the ConfigMap content; a change rolls the pods
     */
    public static PodTemplateSpec podTemplate(StreamJob job, OperatorConfig config, JobRun run, Component component,
            String configHash) {
        StreamJobSpec spec = job.getSpec();
        Container flink = flinkContainer(job, config, run, component);
        ObjectMeta metadata = new ObjectMeta();
        metadata.setLabels(StreamJobResources.labels(job, component));
        metadata.setAnnotations(new LinkedHashMap<>(Map.of(StreamJobResources.CONFIG_HASH_ANNOTATION, configHash)));
        PodSpec podSpec = new PodSpecBuilder()
                .withContainers(flink)
                .withVolumes(configVolume(job))
                .build();
        return merge(new PodTemplateSpecBuilder().withMetadata(metadata).withSpec(podSpec).build(), spec.getPodTemplate());
    }

    private static Container flinkContainer(StreamJob job, OperatorConfig config, JobRun run, Component component) {
        StreamJobSpec spec = job.getSpec();
        boolean jobManager = component == Component.JOBMANAGER;
        Quantity memory = jobManager ? FlinkConfig.jobManagerMemory(spec, config) : FlinkConfig.taskManagerMemory(spec, config);
        Quantity cpu = cpu(spec, config, component);
        int probePort = jobManager ? StreamJobResources.REST_PORT : StreamJobResources.TASKMANAGER_RPC_PORT;
        return new ContainerBuilder()
                .withName(StreamJobResources.FLINK_CONTAINER)
                .withImage(image(job, config))
                .withImagePullPolicy(config.imagePullPolicy())
                .withCommand(StreamJobResources.LAUNCHER)
                .withArgs(jobManager ? jobManagerArgs(job, config, run) : taskManagerArgs())
                .withEnv(env(job, config))
                .withPorts(jobManager ? jobManagerPorts() : taskManagerPorts())
                .withResources(new ResourceRequirementsBuilder()
                        .addToRequests("cpu", cpu)
                        .addToRequests("memory", memory)
                        .addToLimits("memory", memory)
                        .build())
                .withVolumeMounts(new VolumeMountBuilder()
                        .withName(CONFIG_VOLUME)
                        .withMountPath(StreamJobResources.CONF_DIR)
                        .withReadOnly(true)
                        .build())
                .withReadinessProbe(tcpProbe(probePort))
                .withTerminationMessagePath(StreamJobResources.TERMINATION_LOG)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
    }

    private static Quantity cpu(StreamJobSpec spec, OperatorConfig config, Component component) {
        ProcessResources resources = component == Component.JOBMANAGER ? spec.getJobManager() : spec.getTaskManager();
        OperatorConfig.Resources defaults = component == Component.JOBMANAGER ? config.jobManager() : config.taskManager();
        return resources != null && resources.getCpu() != null ? resources.getCpu() : new Quantity(defaults.cpu());
    }

    private static List<EnvVar> env(StreamJob job, OperatorConfig config) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName(POD_IP_ENV)
                .withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom()
                .build());
        env.add(new EnvVarBuilder().withName(POD_NAME_ENV)
                .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom()
                .build());
        env.add(new EnvVarBuilder().withName("FLINK_CONF_DIR").withValue(StreamJobResources.CONF_DIR).build());
        // Where the launcher writes Flink's rejection of the job: the container's terminationMessagePath.
        env.add(new EnvVarBuilder().withName("STREAMJOB_TERMINATION_LOG").withValue(StreamJobResources.TERMINATION_LOG).build());
        // Credentials come from the Secret only; never let the AWS SDK probe the EC2 metadata endpoint.
        env.add(new EnvVarBuilder().withName("AWS_EC2_METADATA_DISABLED").withValue("true").build());
        ResolvedStorage.of(job, config).credentials().ifPresent(secret -> {
            env.add(secretEnv(S3_ACCESS_KEY_ENV, secret.getName(), keyOr(secret.getAccessKeyKey(), SecretKeysReference.DEFAULT_ACCESS_KEY_KEY)));
            env.add(secretEnv(S3_SECRET_KEY_ENV, secret.getName(), keyOr(secret.getSecretKeyKey(), SecretKeysReference.DEFAULT_SECRET_KEY_KEY)));
        });
        return env;
    }

    private static String keyOr(String key, String fallback) {
        return key == null || key.isBlank() ? fallback : key;
    }

    private static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
                .build();
    }

    private static List<ContainerPort> jobManagerPorts() {
        return List.of(port("rpc", StreamJobResources.JOBMANAGER_RPC_PORT),
                port("blob", StreamJobResources.BLOB_PORT),
                port("rest", StreamJobResources.REST_PORT));
    }

    private static List<ContainerPort> taskManagerPorts() {
        return List.of(port("rpc", StreamJobResources.TASKMANAGER_RPC_PORT),
                port("data", StreamJobResources.TASKMANAGER_DATA_PORT));
    }

    private static ContainerPort port(String name, int port) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).withProtocol("TCP").build();
    }

    private static Probe tcpProbe(int port) {
        return new ProbeBuilder()
                .withNewTcpSocket().withNewPort(port).endTcpSocket()
                .withPeriodSeconds(5)
                .withFailureThreshold(3)
                .build();
    }

    private static Volume configVolume(StreamJob job) {
        return new VolumeBuilder().withName(CONFIG_VOLUME)
                .withNewConfigMap().withName(StreamJobResources.configMapName(job)).endConfigMap()
                .build();
    }

    /**
     * Merges the user's pod template into the operator's: the user's pod-level settings
     * (scheduling, security context, service account, init containers, sidecars, volumes) are
     * kept; labels and annotations are added, the operator's winning on the same key; the user's
     * container named {@code flink} adds environment variables, volume mounts and envFrom to the
     * Flink container and may set its security context, lifecycle and resources. The operator's
     * own environment variables, mounts and volumes win on a name clash.
     */
    static PodTemplateSpec merge(PodTemplateSpec operator, PodTemplateSpec user) {
        if (user == null) {
            return operator;
        }
        PodTemplateSpec merged = new PodTemplateSpecBuilder(user).build();
        ObjectMeta meta = merged.getMetadata() == null ? new ObjectMeta() : merged.getMetadata();
        meta.setLabels(overlay(meta.getLabels(), operator.getMetadata().getLabels()));
        meta.setAnnotations(overlay(meta.getAnnotations(), operator.getMetadata().getAnnotations()));
        meta.setName(null);
        meta.setNamespace(null);
        merged.setMetadata(meta);

        PodSpec spec = merged.getSpec() == null ? new PodSpec() : merged.getSpec();
        Container operatorFlink = operator.getSpec().getContainers().get(0);
        List<Container> containers = new ArrayList<>();
        Container userFlink = null;
        for (Container c : spec.getContainers()) {
            if (StreamJobResources.FLINK_CONTAINER.equals(c.getName())) {
                userFlink = c;
            } else {
                containers.add(c);
            }
        }
        containers.add(0, mergeContainer(operatorFlink, userFlink));
        spec.setContainers(containers);
        spec.setVolumes(mergeByName(spec.getVolumes(), operator.getSpec().getVolumes(), Volume::getName));
        merged.setSpec(spec);
        return merged;
    }

    private static Container mergeContainer(Container operator, Container user) {
        if (user == null) {
            return operator;
        }
        ContainerBuilder builder = new ContainerBuilder(operator)
                .withEnv(mergeByName(user.getEnv(), operator.getEnv(), EnvVar::getName))
                .withVolumeMounts(mergeByName(user.getVolumeMounts(), operator.getVolumeMounts(), VolumeMount::getName))
                .withEnvFrom(user.getEnvFrom());
        if (user.getSecurityContext() != null) {
            builder.withSecurityContext(user.getSecurityContext());
        }
        if (user.getLifecycle() != null) {
            builder.withLifecycle(user.getLifecycle());
        }
        if (user.getResources() != null) {
            builder.withResources(user.getResources());
        }
        return builder.build();
    }

    private static <T> List<T> mergeByName(List<T> user, List<T> operator, java.util.function.Function<T, String> name) {
        List<T> merged = new ArrayList<>(operator);
        Set<String> owned = operator.stream().map(name).collect(Collectors.toSet());
        if (user != null) {
            user.stream().filter(item -> !owned.contains(name.apply(item))).forEach(merged::add);
        }
        return merged;
    }

    private static Map<String, String> overlay(Map<String, String> base, Map<String, String> top) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (base != null) {
            merged.putAll(base);
        }
        if (top != null) {
            merged.putAll(top);
        }
        return merged;
    }
}
