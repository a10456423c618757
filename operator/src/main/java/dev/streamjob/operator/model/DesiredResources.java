package dev.streamjob.operator.model;

import dev.streamjob.operator.api.v1alpha1.JobRun;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.config.OperatorConfig;
import dev.streamjob.operator.model.StreamJobResources.Component;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Kubernetes objects a StreamJob is reconciled into, built together so they agree with each
 * other (names, labels, the ConfigMap hash on the pod templates). A pure function of the
 * StreamJob and the operator's configuration: no client, no clock, no environment.
 *
 * @param configMap Flink configuration, log4j configuration and the SQL script
 * @param jobManagerService ClusterIP Service of the JobManager (RPC, blob, REST)
 * @param jobManager JobManager Deployment (1 replica, Recreate: never two JobManagers)
 * @param taskManager TaskManager Deployment with {@code ceil(parallelism / slots)} replicas
 */
public record DesiredResources(ConfigMap configMap, Service jobManagerService, Deployment jobManager,
        Deployment taskManager) {

    /**
     * Builds every object of one run of the StreamJob. The spec must have passed validation; the
     * run says which job id and restore point the JobManager gets and whether the pods run.
     */
    public static DesiredResources of(StreamJob job, OperatorConfig config, JobRun run) {
        SortedMap<String, String> flinkConfig = FlinkConfig.of(job, config, run);
        ConfigMap configMap = configMap(job, flinkConfig);
        String hash = configHash(configMap, flinkConfig);
        boolean running = run.running();
        int taskManagers = StreamJobResources.taskManagerReplicas(run.parallelism(), FlinkConfig.slots(job.getSpec()));
        return new DesiredResources(
                configMap,
                jobManagerService(job),
                deployment(job, config, run, Component.JOBMANAGER, running ? 1 : 0, hash),
                deployment(job, config, run, Component.TASKMANAGER, running ? taskManagers : 0, hash));
    }

    /**
     * The hash on the pod templates: the ConfigMap's content without the parallelism. The
     * parallelism is applied to the running job in place (a rescale), so a change of it must not
     * roll the pods; a restarted JobManager reads the new value from the ConfigMap.
     */
    static String configHash(ConfigMap configMap, SortedMap<String, String> flinkConfig) {
        Map<String, String> data = new TreeMap<>(configMap.getData());
        SortedMap<String, String> withoutParallelism = new TreeMap<>(flinkConfig);
        withoutParallelism.remove(FlinkConfig.PARALLELISM);
        data.put(StreamJobResources.FLINK_CONF_FILE, FlinkConfig.toYaml(withoutParallelism));
        return hash(data);
    }

    static ConfigMap configMap(StreamJob job, SortedMap<String, String> flinkConfig) {
        Map<String, String> data = new TreeMap<>();
        data.put(StreamJobResources.FLINK_CONF_FILE, FlinkConfig.toYaml(flinkConfig));
        data.put(StreamJobResources.LOG4J_CONF_FILE, LOG4J_CONSOLE);
        if (job.getSpec().getJob().getSql() != null) {
            data.put(StreamJobResources.SQL_FILE, job.getSpec().getJob().getSql());
        }
        return new ConfigMapBuilder()
                .withMetadata(metadata(job, StreamJobResources.configMapName(job), StreamJobResources.labels(job)))
                .withData(data)
                .build();
    }

    static Service jobManagerService(StreamJob job) {
        return new ServiceBuilder()
                .withMetadata(metadata(job, StreamJobResources.jobManagerName(job),
                        StreamJobResources.labels(job, Component.JOBMANAGER)))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(StreamJobResources.selectorLabels(job, Component.JOBMANAGER))
                .withPorts(servicePort("rpc", StreamJobResources.JOBMANAGER_RPC_PORT),
                        servicePort("blob", StreamJobResources.BLOB_PORT),
                        servicePort("rest", StreamJobResources.REST_PORT))
                .endSpec()
                .build();
    }

    static Deployment deployment(StreamJob job, OperatorConfig config, JobRun run, Component component, int replicas,
            String configHash) {
        String name = component == Component.JOBMANAGER
                ? StreamJobResources.jobManagerName(job)
                : StreamJobResources.taskManagerName(job);
        return new DeploymentBuilder()
                .withMetadata(metadata(job, name, StreamJobResources.labels(job, component)))
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().withMatchLabels(StreamJobResources.selectorLabels(job, component)).endSelector()
                // A JobManager must never run twice; TaskManagers restart together with it anyway.
                .withNewStrategy().withType("Recreate").endStrategy()
                .withTemplate(FlinkPods.podTemplate(job, config, run, component, configHash))
                .endSpec()
                .build();
    }

    private static ObjectMeta metadata(StreamJob job, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(new LinkedHashMap<>(labels))
                .build();
    }

    private static ServicePort servicePort(String name, int port) {
        return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(port))
                .withProtocol("TCP").build();
    }

    /** First 16 hex characters of the SHA-256 of the ConfigMap data (sorted by key). */
    static String hash(Map<String, String> data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(data).forEach((k, v) -> {
                digest.update(k.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(v.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Console logging for Flink processes, after Flink's own log4j-console.properties. */
    static final String LOG4J_CONSOLE = """
            monitorInterval=30
            rootLogger.level = INFO
            rootLogger.appenderRef.console.ref = ConsoleAppender
            logger.akka.name = org.apache.pekko
            logger.akka.level = INFO
            logger.kafka.name = org.apache.kafka
            logger.kafka.level = WARN
            logger.hadoop.name = org.apache.hadoop
            logger.hadoop.level = WARN
            logger.zookeeper.name = org.apache.zookeeper
            logger.zookeeper.level = WARN
            appender.console.name = ConsoleAppender
            appender.console.type = CONSOLE
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
            logger.netty.name = org.apache.flink.shaded.netty4.io.netty.channel.DefaultChannelPipeline
            logger.netty.level = OFF
            """;
}
