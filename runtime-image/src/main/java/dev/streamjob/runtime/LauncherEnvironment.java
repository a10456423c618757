package dev.streamjob.runtime;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the launcher takes from its process environment. Read once, in {@link Launcher}; nothing
 * else in the launcher reads environment variables.
 *
 * <ul>
 *   <li>{@code FLINK_HOME}: the runtime's root (lib/, plugins/, usrlib/, conf/); bin/launcher sets
 *       it to the directory above bin/ when unset.
 *   <li>{@code FLINK_CONF_DIR}: the configuration to run with (default {@code $FLINK_HOME/conf});
 *       in Kubernetes a read-only ConfigMap mount with config.yaml, log4j-console.properties and
 *       job.sql.
 *   <li>{@code STREAMJOB_WORK_DIR}: a writable directory for the staged configuration and logs
 *       (default: a new directory under {@code java.io.tmpdir}).
 *   <li>{@code S3_ACCESS_KEY}, {@code S3_SECRET_KEY}: see {@link S3Credentials}.
 *   <li>{@code STREAMJOB_TERMINATION_LOG}: see {@link TerminationMessage}.
 * </ul>
 *
 * @param flinkHome the runtime's root directory
 * @param confDir the configuration directory to run with
 * @param workDir the configured work directory, if any
 * @param s3Credentials object store credentials to merge into the configuration
 * @param javaExecutable the {@code java} binary that runs Flink (the one running the launcher, so
 *     {@code JAVA_HOME} as bin/launcher resolved it)
 */
public record LauncherEnvironment(
        Path flinkHome,
        Path confDir,
        Optional<Path> workDir,
        S3Credentials s3Credentials,
        Path javaExecutable) {

    /**
     * Reads the launcher's environment.
     *
     * @param env the process environment ({@link System#getenv()})
     * @param javaHome the running JVM's home ({@code java.home})
     * @throws IllegalStateException if {@code FLINK_HOME} is not set
     */
    public static LauncherEnvironment from(Map<String, String> env, Path javaHome) {
        String home = env.get("FLINK_HOME");
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("FLINK_HOME is not set (bin/launcher sets it)");
        }
        Path flinkHome = Path.of(home).toAbsolutePath().normalize();
        String confDir = env.get("FLINK_CONF_DIR");
        String workDir = env.get("STREAMJOB_WORK_DIR");
        return new LauncherEnvironment(
                flinkHome,
                confDir == null || confDir.isBlank()
                        ? flinkHome.resolve("conf")
                        : Path.of(confDir).toAbsolutePath().normalize(),
                workDir == null || workDir.isBlank()
                        ? Optional.empty()
                        : Optional.of(Path.of(workDir).toAbsolutePath().normalize()),
                S3Credentials.fromEnvironment(env),
                javaHome.resolve("bin").resolve("java"));
    }

    /** The image's default configuration, {@code $FLINK_HOME/conf}. */
    public Path imageConfDir() {
        return flinkHome.resolve("conf");
    }

    /** Flink's libraries and the launcher jar, {@code $FLINK_HOME/lib}. */
    public Path libDir() {
        return flinkHome.resolve("lib");
    }

    /** Flink plugins (one directory each, e.g. s3-fs-hadoop), {@code $FLINK_HOME/plugins}. */
    public Path pluginsDir() {
        return flinkHome.resolve("plugins");
    }
}
