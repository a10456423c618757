package dev.streamjob.runtime;

import org.apache.flink.client.cli.ArtifactFetchOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The planning step of bin/launcher: parses the command line ({@link LauncherArguments}), stages
 * the configuration directory ({@link StagedConfiguration}) and writes the Flink command to run
 * ({@link LaunchPlan}) to the file named by {@code STREAMJOB_PLAN_FILE}; bin/launcher then {@code
 * exec}s it. Without {@code STREAMJOB_PLAN_FILE} the plan is printed, one argument per line, for a
 * person to read.
 *
 * <p>Exit codes: 0 planned; 2 invalid command line (usage printed); 1 anything else, such as an
 * invalid configuration. On failure the reason is also written to the container's termination
 * message ({@link TerminationMessage}).
 */
public final class Launcher {

    /** Exit code for an invalid command line. */
    public static final int EXIT_USAGE = 2;

    /** Exit code for any other failure to plan. */
    public static final int EXIT_FAILURE = 1;

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
        } catch (Exception e) {
            fail(terminationMessage, "launcher failed: " + e, EXIT_FAILURE, false);
        }
    }

    /**
     * Stages the configuration and plans the Flink process.
     *
     * @throws IOException if the SQL file is not readable, the configuration cannot be staged or
     *     lib/ cannot be read
     */
    static LaunchPlan plan(LauncherArguments arguments, LauncherEnvironment env) throws IOException {
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
        return LaunchPlan.plan(arguments, env, staged, logDir);
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
