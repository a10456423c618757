package dev.streamjob.runtime.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code bin/launcher} process started by a test, its output in a file. bin/launcher {@code
 * exec}s the Flink JVM, so this process is Flink itself: {@link #close()} sends it SIGTERM, as
 * Kubernetes would, and kills it if it has not exited after 30 s; {@link #kill()} sends SIGKILL at
 * once, as a crash or an OOM kill would.
 */
final class LauncherProcess implements AutoCloseable {

    private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);

    private final String name;
    private final List<String> args;
    private final Map<String, String> env;
    private final Process process;
    private final Path log;
    private final Instant started;

    private LauncherProcess(
            String name, List<String> args, Map<String, String> env, Process process, Path log, Instant started) {
        this.name = name;
        this.args = List.copyOf(args);
        this.env = Map.copyOf(env);
        this.process = process;
        this.log = log;
        this.started = started;
    }

    /**
     * Starts {@code $FLINK_HOME/bin/launcher args...} with extra environment variables; standard
     * output and error go to {@code log}.
     */
    static LauncherProcess start(String name, List<String> args, Map<String, String> env, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ItEnvironment.flinkHome().resolve("bin/launcher").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("FLINK_CONF_DIR");
        builder.environment().remove("FLINK_HOME");
        builder.environment().putAll(env);
        Instant started = Instant.now();
        return new LauncherProcess(name, args, env, builder.start(), log, started);
    }

    /** The launcher arguments it was started with. */
    List<String> args() {
        return args;
    }

    /** The extra environment variables it was started with. */
    Map<String, String> env() {
        return env;
    }

    Process process() {
        return process;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** When the launcher was started. */
    Instant started() {
        return started;
    }

    /** Everything the process printed so far. */
    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** SIGTERM, then SIGKILL after the grace period; returns the exit code. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(GRACE_PERIOD.toSeconds(), TimeUnit.SECONDS)) {
                System.err.println(name + " did not stop within " + GRACE_PERIOD + ", killing it");
                process.destroyForcibly().waitFor(GRACE_PERIOD.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** SIGKILL (no shutdown hooks, no clean-up), then waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(GRACE_PERIOD.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(this + " is still alive after SIGKILL");
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", output in " + log + ")";
    }
}
