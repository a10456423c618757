package dev.streamjob.testbed;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The processes this testbed started, and how they end.
 *
 * <p>Every child is registered until it is stopped, and a JVM shutdown hook ends the ones still
 * registered, so a test JVM that exits normally (or on SIGTERM) leaves no broker or pod process
 * behind. A test JVM killed with SIGKILL cannot run the hook.
 */
final class ChildProcesses {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::killAll, "testbed-child-reaper"));
    }

    private ChildProcesses() {
    }

    /** Records {@code process} so that it is ended when this JVM exits. */
    static void register(Process process) {
        RUNNING.add(process);
    }

    /** Forgets {@code process}, which has exited by itself. */
    static void unregister(Process process) {
        RUNNING.remove(process);
    }

    /**
     * Ends {@code process} the way the kubelet ends a container: SIGTERM to the process, then,
     * if it is still alive after {@code grace}, SIGKILL to it and to every descendant it had
     * when the stop began. Descendants still alive after the process itself exited are killed
     * too (a container's processes die with it). Returns once the process has exited.
     */
    static void stop(Process process, Duration grace) {
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        process.destroy();
        if (!waitFor(process, grace)) {
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(10));
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        RUNNING.remove(process);
    }

    /** SIGKILL to {@code process} and its descendants, as a crash or an OOM kill would; waits for the exit. */
    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitFor(process, Duration.ofSeconds(10));
        RUNNING.remove(process);
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void killAll() {
        for (Process process : RUNNING) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
