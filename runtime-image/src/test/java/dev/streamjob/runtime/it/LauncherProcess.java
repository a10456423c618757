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
 * Kubernetes would, and kills it if it has not exited after 30 s.
 */
final class LauncherProcess implements AutoCloseable {

    private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path log;
    private final Instant started;

    private LauncherProcess(String name, Process process, Path log, Instant started) {
        this.name = name;
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
        return new LauncherProcess(name, builder.start(), log, started);
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

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", output in " + log + ")";
    }
}
