package dev.streamjob.runtime.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JobManager and TaskManager started with bin/launcher as local processes, set up the way the
 * operator sets up pods: a FLINK_CONF_DIR holding config.yaml (the ConfigMap), ports and hosts as
 * {@code -D} overrides, S3 credentials in the environment. Everything listens on 127.0.0.1, on
 * ports free when the cluster is configured.
 */
final class LocalFlinkCluster implements AutoCloseable {

    /** Credentials given to both processes; no log or command line may show them. */
    static final String S3_ACCESS_KEY = "AKIA-STREAMJOB-IT-ACCESS";
    static final String S3_SECRET_KEY = "streamjob-it-secret-value";

    private final Path workDir;
    private final Path confDir;
    private final int rpcPort;
    private final int restPort;
    private final int blobPort;
    private final List<LauncherProcess> processes = new ArrayList<>();
    private final Map<String, Integer> starts = new HashMap<>();

    private LocalFlinkCluster(Path workDir, Path confDir) throws IOException {
        this.workDir = workDir;
        this.confDir = confDir;
        this.rpcPort = ItEnvironment.freePort();
        this.restPort = ItEnvironment.freePort();
        this.blobPort = ItEnvironment.freePort();
    }

    /** Creates {@code target/it/<name>} with a FLINK_CONF_DIR; checkpoints go to {@link #checkpointDir()}. */
    static LocalFlinkCluster create(String name) throws IOException {
        Path workDir = ItEnvironment.freshWorkDir(name);
        Path confDir = Files.createDirectories(workDir.resolve("configmap"));
        Files.createDirectories(workDir.resolve("checkpoints"));
        Files.writeString(confDir.resolve("config.yaml"), String.join("\n",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.bind-host: 127.0.0.1",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "taskmanager.bind-host: 127.0.0.1",
                "jobmanager.memory.process.size: 1024m",
                "taskmanager.memory.process.size: 1280m",
                "taskmanager.numberOfTaskSlots: 1",
                "execution.checkpointing.dir: " + workDir.resolve("checkpoints").toUri(),
                // As the operator sets it: a JobManager stopped with SIGTERM keeps its checkpoints.
                "execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION",
                ""));
        return new LocalFlinkCluster(workDir, confDir);
    }

    /** The FLINK_CONF_DIR both processes read. */
    Path confDir() {
        return confDir;
    }

    /** The directory holding {@code <job id>/chk-N/_metadata}. */
    Path checkpointDir() {
        return workDir.resolve("checkpoints");
    }

    /** The JobManager's termination message file. */
    Path jobManagerTerminationLog() {
        return workDir.resolve("jobmanager-termination-log");
    }

    /** The staged configuration directory of a role ({@code jobmanager} or {@code taskmanager}). */
    Path stagedConfDir(String role) {
        return workDir.resolve(role).resolve("conf");
    }

    FlinkRest rest() {
        return new FlinkRest(restPort);
    }

    /**
     * Starts {@code launcher jobmanager -D <ports> <jobArguments>}; the job arguments come last, as
     * they may end with {@code -- <job args>}.
     */
    LauncherProcess startJobManager(List<String> jobArguments) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "jobmanager",
                "-D", "jobmanager.rpc.port=" + rpcPort,
                "-D", "rest.port=" + restPort,
                "-D", "blob.server.port=" + blobPort));
        args.addAll(jobArguments);
        return start("jobmanager", args);
    }

    /** Starts {@code launcher taskmanager -D <ports and host>}. */
    LauncherProcess startTaskManager() throws IOException {
        return start("taskmanager", List.of(
                "taskmanager",
                "-D", "jobmanager.rpc.port=" + rpcPort,
                "-D", "taskmanager.host=127.0.0.1",
                "-D", "taskmanager.rpc.port=" + ItEnvironment.freePort(),
                "-D", "taskmanager.data.port=" + ItEnvironment.freePort()));
    }

    /**
     * Starts a process again with exactly the arguments and environment it had, as Kubernetes
     * restarts a container; its output goes to a new file ({@code <role>-2.log}, ...).
     *
     * @throws IllegalStateException if the process is still alive
     */
    LauncherProcess restart(LauncherProcess previous) throws IOException {
        if (previous.isAlive()) {
            throw new IllegalStateException(previous + " is still running");
        }
        String role = previous.args().get(0);
        return start(role, previous.args(), previous.env());
    }

    private LauncherProcess start(String role, List<String> args) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("FLINK_CONF_DIR", confDir.toString());
        env.put("STREAMJOB_WORK_DIR", workDir.resolve(role).toString());
        env.put("STREAMJOB_TERMINATION_LOG", workDir.resolve(role + "-termination-log").toString());
        env.put("S3_ACCESS_KEY", S3_ACCESS_KEY);
        env.put("S3_SECRET_KEY", S3_SECRET_KEY);
        return start(role, args, env);
    }

    private LauncherProcess start(String role, List<String> args, Map<String, String> env) throws IOException {
        int start = starts.merge(role, 1, Integer::sum);
        Path log = workDir.resolve(start == 1 ? role + ".log" : role + "-" + start + ".log");
        LauncherProcess process = LauncherProcess.start(role, args, env, log);
        processes.add(process);
        return process;
    }

    /** Stops the processes, last started first. */
    @Override
    public void close() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
