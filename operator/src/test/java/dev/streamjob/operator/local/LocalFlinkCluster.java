package dev.streamjob.operator.local;

import dev.streamjob.operator.model.StreamJobResources;
import dev.streamjob.testbed.PodProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a StreamJob's JobManager and TaskManager pods, exactly as the operator generated them, as
 * local processes: the runtime directory ({@code runtime-image/target/flink}) stands in for the
 * image, the ConfigMap and Secrets are materialized as the kubelet would. Because every "pod"
 * shares 127.0.0.1, the fixed in-cluster ports and the JobManager Service name are overridden
 * with {@code -D} arguments: free ports, and 127.0.0.1 as the JobManager's address. Everything
 * binds to 127.0.0.1 only.
 */
public final class LocalFlinkCluster implements AutoCloseable {

    private final PodProcess jobManager;
    private final Map<String, PodProcess> taskManagers = Collections.synchronizedMap(new LinkedHashMap<>());
    private final int restPort;
    private final Path runtimeHome;
    private final Collection<Secret> secrets;
    private final Path workDirectory;
    private final List<String> cluster;

    private LocalFlinkCluster(PodProcess jobManager, int restPort, Path runtimeHome,
            Collection<Secret> secrets, Path workDirectory, List<String> cluster) {
        this.jobManager = jobManager;
        this.restPort = restPort;
        this.runtimeHome = runtimeHome;
        this.secrets = secrets;
        this.workDirectory = workDirectory;
        this.cluster = cluster;
    }

    /** The runtime directory the build assembles, given by the {@code local.runtime.home} system property. */
    public static Path runtimeHome() {
        Path home = Path.of(System.getProperty("local.runtime.home", "../runtime-image/target/flink"));
        if (!Files.isExecutable(home.resolve("bin/launcher"))) {
            throw new IllegalStateException("no runtime at " + home.toAbsolutePath()
                    + "; build it first: mvn -pl runtime-image package");
        }
        return home;
    }

    /** A free TCP port on 127.0.0.1. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the JobManager and {@code spec.replicas} TaskManagers of the given Deployments.
     *
     * @param restPort the JobManager's REST port on 127.0.0.1
     * @param workDirectory where each process gets its files (volumes, log, termination message)
     */
    public static LocalFlinkCluster start(Path runtimeHome, int restPort, ConfigMap configMap, Deployment jobManager,
            Deployment taskManager, Collection<Secret> secrets, Path workDirectory) {
        int rpcPort = freePort();
        List<String> cluster = List.of(
                "-Djobmanager.rpc.address=127.0.0.1",
                "-Djobmanager.rpc.port=" + rpcPort);
        PodProcess jm = pod(jobManager, 0, runtimeHome, configMap, secrets, workDirectory, concat(cluster, List.of(
                "-Djobmanager.bind-host=127.0.0.1",
                "-Drest.address=127.0.0.1",
                "-Drest.bind-address=127.0.0.1",
                "-Drest.port=" + restPort,
                // Any free port: TaskManagers learn it over RPC, and a port chosen in advance may
                // be taken (as an ephemeral port of some connection) before the JobManager binds it.
                "-Dblob.server.port=0")));
        LocalFlinkCluster started = new LocalFlinkCluster(jm, restPort, runtimeHome, secrets, workDirectory, cluster);
        for (int i = 0; i < taskManager.getSpec().getReplicas(); i++) {
            started.addTaskManager(taskManager, configMap, taskManager.getMetadata().getName() + "-" + i);
        }
        return started;
    }

    /**
     * Starts one more TaskManager of the Deployment, as the ReplicaSet would on a scale-up.
     *
     * @param podName the pod's name, which is also the TaskManager's resource id (as the operator
     *     sets it in a cluster)
     */
    public void addTaskManager(Deployment taskManager, ConfigMap configMap, String podName) {
        taskManagers.put(podName, pod(taskManager, podName, runtimeHome, configMap, secrets, workDirectory, concat(cluster, List.of(
                "-Dtaskmanager.bind-host=127.0.0.1",
                "-Dtaskmanager.rpc.port=0",
                "-Dtaskmanager.data.port=0",
                "-Dtaskmanager.resource-id=" + podName))));
    }

    /** Stops the TaskManager of the given pod name (SIGTERM, then SIGKILL after the grace period). */
    public void stopTaskManager(String podName) {
        PodProcess tm = taskManagers.remove(podName);
        if (tm == null) {
            throw new IllegalArgumentException("no TaskManager " + podName);
        }
        tm.close();
    }

    /** The pod names of the running TaskManagers. */
    public List<String> taskManagerNames() {
        synchronized (taskManagers) {
            return List.copyOf(taskManagers.keySet());
        }
    }

    private static PodProcess pod(Deployment deployment, int index, Path runtimeHome, ConfigMap configMap,
            Collection<Secret> secrets, Path workDirectory, List<String> overrides) {
        return pod(deployment, deployment.getMetadata().getName() + "-" + index, runtimeHome, configMap, secrets,
                workDirectory, overrides);
    }

    private static PodProcess pod(Deployment deployment, String podName, Path runtimeHome, ConfigMap configMap,
            Collection<Secret> secrets, Path workDirectory, List<String> overrides) {
        return PodProcess.builder(deployment.getSpec().getTemplate(), StreamJobResources.FLINK_CONTAINER)
                .podName(podName)
                .namespace(deployment.getMetadata().getNamespace())
                .configMaps(List.of(configMap))
                .secrets(secrets)
                .mapPath(StreamJobResources.FLINK_HOME, runtimeHome)
                .extraArgs(overrides.toArray(String[]::new))
                .filesDirectory(workDirectory.resolve(podName))
                .start();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The JobManager's REST port on 127.0.0.1. */
    public int restPort() {
        return restPort;
    }

    /** The JobManager process. */
    public PodProcess jobManager() {
        return jobManager;
    }

    /** The TaskManager processes. */
    public List<PodProcess> taskManagers() {
        synchronized (taskManagers) {
            return List.copyOf(taskManagers.values());
        }
    }

    /** The last lines of every process's log, for a failing test's message. */
    public String logTails(int lines) {
        StringBuilder s = new StringBuilder();
        List<PodProcess> all = new ArrayList<>(taskManagers());
        all.add(0, jobManager);
        for (PodProcess p : all) {
            List<String> log = p.log().lines().toList();
            s.append("==== ").append(p.logFile()).append(" (alive=").append(p.isAlive()).append(")\n");
            log.subList(Math.max(0, log.size() - lines), log.size()).forEach(l -> s.append(l).append('\n'));
        }
        return s.toString();
    }

    /** Kills every process at once with SIGKILL, as a node failure would. */
    public void kill() {
        jobManager.kill();
        taskManagers().forEach(PodProcess::kill);
    }

    /** Stops every process: SIGTERM, then SIGKILL after the grace period. */
    @Override
    public void close() {
        taskManagers().forEach(PodProcess::close);
        jobManager.close();
    }
}
