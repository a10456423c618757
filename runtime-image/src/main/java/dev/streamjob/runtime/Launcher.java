package dev.streamjob.runtime;

import dev.streamjob.runtime.LauncherArguments.Role;

import org.apache.flink.client.cli.ArtifactFetchOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The planning step of bin/launcher: parses the command line ({@link LauncherArguments}), stages
 * the configuration directory ({@link StagedConfiguration}), chooses the JobManager's restore point
 * ({@link RestorePoint}, logged as one line on standard error) and writes the Flink command to run
 * ({@link LaunchPlan}) to the file named by {@code STREAMJOB_PLAN_FILE}; bin/launcher then {@code
 * exec}s it. Without {@code STREAMJOB_PLAN_FILE} the plan is printed, one argument per line, for a
 * person to read.
 *
 * <p>Exit codes: 0 planned; 2 invalid command line (usage printed); 1 anything else, such as an
 * invalid configuration or a checkpoint directory that cannot be listed. On failure the reason is
 * also written to the container's termination message ({@link TerminationMessage}).
 */
public final class Launcher {

    /** Exit code for an invalid command line. */
    public static final int EXIT_USAGE = 2;

    /** Exit code for any other failure to plan. */
    public static final int EXIT_FAILURE = 1;

    /**
     * How long listing the checkpoint directory may take before the start fails. A backstop for a
     * store that accepts connections but does not answer; errors come sooner (see {@link
     * CheckpointListing#LISTING_S3_RETRIES}).
     */
    public static final Duration LISTING_TIMEOUT = Duration.ofSeconds(60);

    private Launcher() {}

    /** Plans the Flink process; see the class description. */
    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        TerminationMessage terminationMessage = TerminationMessage.fromEnvironment(env);
        try {
            LauncherArguments arguments = LauncherArguments.parse(List.of(args));
            LaunchPlan plan = plan(arguments, LauncherEnvironment.from(env, Path.of(System.getProperty("java.home"))));
            String planFile = env.get("STREAMJOB_PLAN_FILE");
            if (planFile == null || planFile.isBlank()) {
                plan.toEnvArguments().forEach(System.out::println);
            } else {
                plan.writeTo(Path.of(planFile));
            }
        } catch (IllegalArgumentException e) {
            fail(terminationMessage, "invalid launcher arguments: " + e.getMessage(), EXIT_USAGE, true);
        } catch (RestorePointException e) {
            fail(terminationMessage, e.getMessage(), EXIT_FAILURE, false);
        } catch (Exception e) {
            fail(terminationMessage, "launcher failed: " + e, EXIT_FAILURE, false);
        }
    }

    /**
     * Stages the configuration, chooses the JobManager's restore point and plans the Flink process.
     *
     * @throws IOException if the SQL file is not readable, the configuration cannot be staged or
     *     lib/ cannot be read
     * @throws RestorePointException if the checkpoint directory cannot be listed, or is not where
     *     the job writes its checkpoints
     */
    static LaunchPlan plan(LauncherArguments arguments, LauncherEnvironment env)
            throws IOException, RestorePointException {
        if (arguments.sqlFile().isPresent() && !Files.isReadable(arguments.sqlFile().get())) {
            throw new NoSuchFileException(arguments.sqlFile().get().toString(), null, "SQL file is not readable");
        }
        Path workDir = workDir(env, arguments.role());
        StagedConfiguration staged = StagedConfiguration.stage(
                env.imageConfDir(),
                env.confDir(),
                // Flink fetches non-local jars (s3://, http://) here; its default is under /opt/flink.
                Map.of(ArtifactFetchOptions.BASE_DIR.key(), workDir.resolve("artifacts").toString()),
                arguments.overrides(),
                env.s3Credentials(),
                workDir.resolve("conf"));
        Path logDir = Files.createDirectories(workDir.resolve("log"));
        RestorePoint restorePoint = RestorePoint.choose(Optional.empty(), Optional.empty());
        if (arguments.role() == Role.JOBMANAGER) {
            restorePoint = chooseRestorePoint(arguments, staged.configuration(), env.pluginsDir());
            System.err.println("streamjob: " + restorePoint.decision());
        }
        return LaunchPlan.plan(arguments, restorePoint, env, staged, logDir);
    }

    /**
     * The JobManager's restore point: with {@code --restore-from-latest-checkpoint}, lists that
     * directory ({@link CheckpointListing#read}) and the run's savepoint directory when it is the
     * run's own ({@code execution.checkpointing.savepoint-dir} ending with the job id), and lets
     * {@link RestorePoint#choose} decide;
     * otherwise {@code --from-savepoint} or empty state. Any failure to list is an exception, never
     * an empty listing.
     *
     * @throws RestorePointException if the directory cannot be listed, or differs from {@code
     *     <execution.checkpointing.dir>/<job id>}
     */
    static RestorePoint chooseRestorePoint(LauncherArguments arguments, Configuration configuration, Path pluginsDir)
            throws RestorePointException {
        if (arguments.restoreFromLatestCheckpoint().isEmpty()) {
            return RestorePoint.choose(Optional.empty(), arguments.fromSavepoint());
        }
        String directory = arguments.restoreFromLatestCheckpoint().get();
        Optional<String> configured = configuration.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        if (configured.isPresent()) {
            Optional<String> mismatch =
                    RestorePoint.directoryMismatch(directory, arguments.jobId().orElseThrow(), configured.get());
            if (mismatch.isPresent()) {
                throw new RestorePointException("cannot choose the restore point: " + mismatch.get());
            }
        }
        // The operator gives every run its own savepoint directory, ending with the job id; only
        // such a directory holds nothing but this run's savepoints.
        Optional<String> runSavepoints = configuration.getOptional(CheckpointingOptions.SAVEPOINT_DIRECTORY)
                .filter(dir -> RestorePoint.lastSegment(dir).equals(arguments.jobId().orElseThrow()));
        List<CheckpointListing.RunSavepoint> savepoints = new java.util.ArrayList<>();
        CheckpointListing listing = listWithin(LISTING_TIMEOUT, directory, () -> {
            CheckpointListing checkpoints = CheckpointListing.read(directory, configuration, pluginsDir);
            if (runSavepoints.isPresent()) {
                savepoints.addAll(CheckpointListing.readSavepoints(runSavepoints.get()));
            }
            return checkpoints;
        });
        return RestorePoint.choose(Optional.of(listing), savepoints, arguments.fromSavepoint());
    }

    /**
     * Runs a listing on a daemon thread and waits at most {@code timeout} for it.
     *
     * @throws RestorePointException if the listing fails or does not finish in time
     */
    static CheckpointListing listWithin(Duration timeout, String directory, Callable<CheckpointListing> listing)
            throws RestorePointException {
        String failed = "cannot choose the restore point: listing the checkpoint directory " + directory;
        String refusal = ". Not starting the job, which could otherwise resume from empty or older state.";
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "streamjob-checkpoint-listing");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<CheckpointListing> result = executor.submit(listing);
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RestorePointException(failed + " failed: " + describe(e.getCause()) + refusal, e.getCause());
        } catch (TimeoutException e) {
            throw new RestorePointException(failed + " did not finish within "
                    + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms") + refusal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestorePointException(failed + " was interrupted" + refusal, e);
        } finally {
            executor.shutdownNow();
        }
    }

    /** An exception and its causes, each once: {@code Type: message; caused by Type: message}. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(error.toString());
        int depth = 0;
        for (Throwable cause = error.getCause(); cause != null && depth < 4; cause = cause.getCause(), depth++) {
            if (text.indexOf(String.valueOf(cause.getMessage())) < 0) {
                text.append("; caused by ").append(cause);
            }
        }
        return text.toString();
    }

    /**
     * {@code STREAMJOB_WORK_DIR} if set; otherwise a new directory under {@code java.io.tmpdir}, so
     * that processes on one machine (tests, several TaskManagers) never share one.
     */
    private static Path workDir(LauncherEnvironment env, LauncherArguments.Role role) throws IOException {
        if (env.workDir().isPresent()) {
            return Files.createDirectories(env.workDir().get());
        }
        return Files.createTempDirectory("streamjob-" + role.cliName() + "-");
    }

    private static void fail(TerminationMessage terminationMessage, String message, int exitCode, boolean usage) {
        System.err.println("streamjob: " + message);
        if (usage) {
            System.err.println(LauncherArguments.USAGE);
        }
        terminationMessage.write(message);
        System.exit(exitCode);
    }
}
