package dev.streamjob.testbed;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A server run as a child JVM whose classpath Maven resolved at build time.
 *
 * <p>The modules {@code testbed/kafka-server} and {@code testbed/s3-server} resolve the servers'
 * dependencies (outside the platform BOMs) and write them as {@code <server>.classpath} files, a
 * {@code java -cp} string of absolute paths into the local Maven repository; this jar carries
 * those files as resources next to this class. So the servers never share a classpath with the
 * tests that use them.
 */
final class ChildJvm {

    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code mainClass} in a new JVM with the classpath resolved for {@code server}
     * ({@code kafka-server} or {@code s3-server}); stdout and stderr are appended to
     * {@code logFile}.
     *
     * @throws IllegalStateException if the classpath resource is missing or names a missing jar
     * @throws UncheckedIOException if the process cannot be started
     */
    static ChildJvm start(String server, List<String> jvmOptions, String mainClass, List<String> args,
            Path workingDirectory, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath(server));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process process = builder.start();
            ChildProcesses.register(process);
            return new ChildJvm(server, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + server + " (" + mainClass + ")", e);
        }
    }

    /**
     * Runs {@code mainClass} to completion (a command-line tool of the server).
     *
     * @throws IllegalStateException if it exits non-zero or runs longer than {@code timeout};
     *     the message holds the end of its output
     */
    static void run(String server, List<String> jvmOptions, String mainClass, List<String> args,
            Path workingDirectory, Path logFile, Duration timeout) {
        ChildJvm tool = start(server, jvmOptions, mainClass, args, workingDirectory, logFile);
        try {
            if (!tool.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                tool.kill();
                throw new IllegalStateException(mainClass + " did not finish within " + timeout.toSeconds()
                        + " s" + tool.logTail());
            }
        } catch (InterruptedException e) {
            tool.kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + mainClass, e);
        }
        ChildProcesses.unregister(tool.process);
        if (tool.process.exitValue() != 0) {
            throw new IllegalStateException(mainClass + " exited with code " + tool.process.exitValue()
                    + tool.logTail());
        }
    }

    /**
     * Polls {@code probe} every {@code interval} until it returns true.
     *
     * @throws IllegalStateException if the JVM exits first or {@code timeout} passes (then the JVM
     *     is killed); the message holds the end of the server's log
     */
    void awaitReady(BooleanSupplier probe, Duration timeout, Duration interval) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!probe.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready" + logTail());
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s"
                        + " and was killed" + logTail());
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns once the JVM has exited. */
    void stop(Duration grace) {
        ChildProcesses.stop(process, grace);
    }

    /** SIGKILL; returns once the JVM has exited. */
    void kill() {
        ChildProcesses.kill(process);
    }

    /** The last lines of the log file, prefixed for appending to an error message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return "; last lines of " + logFile + ":\n" + String.join("\n", tail);
        } catch (IOException | UncheckedIOException e) {
            return "; log " + logFile + " unreadable: " + e.getMessage();
        }
    }

    /**
     * The {@code java -cp} string resolved at build time for {@code server}.
     *
     * @throws IllegalStateException if the resource is missing or names a jar that is not there
     */
    static String classpath(String server) {
        String resource = server + ".classpath";
        String classpath;
        try (InputStream in = ChildJvm.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " not found next to " + ChildJvm.class.getName()
                        + "; build the testbed with: mvn -f testbed/pom.xml install");
            }
            classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!Files.exists(Path.of(entry))) {
                throw new IllegalStateException(server + " classpath entry " + entry + " does not exist;"
                        + " rebuild the testbed with: mvn -f testbed/pom.xml install");
            }
        }
        return classpath;
    }
}
