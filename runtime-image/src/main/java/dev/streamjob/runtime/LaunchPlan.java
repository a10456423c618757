package dev.streamjob.runtime;

import dev.streamjob.runtime.LauncherArguments.Role;
import dev.streamjob.runtime.sql.SqlJob;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Flink process to start: its environment and its command line. bin/launcher replaces itself
 * with this command ({@code exec env NAME=value... java ...}), so the Flink JVM becomes the
 * container's main process.
 *
 * <p>The command follows Flink's own start scripts (flink-console.sh, config.sh): memory flags from
 * {@link ProcessMemory}, then {@code env.java.default-opts.all}, {@code env.java.opts.all}, {@code
 * env.java.default-opts.<role>}, {@code env.java.opts.<role>}, the log4j configuration, the class
 * path (every jar of lib/, sorted) and the entry point with {@code --configDir}.
 *
 * @param environment variables to set for the Flink process (FLINK_HOME, FLINK_CONF_DIR,
 *     FLINK_LIB_DIR, FLINK_PLUGINS_DIR)
 * @param command the command line, starting with the java executable
 */
public record LaunchPlan(Map<String, String> environment, List<String> command) {

    /** The JobManager's entry point: Flink's standalone application cluster (application mode). */
    public static final String JOBMANAGER_ENTRY_POINT =
            "org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint";

    /** The TaskManager's entry point. */
    public static final String TASKMANAGER_ENTRY_POINT =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    /** The log4j configuration file, in the staged configuration directory. */
    public static final String LOG4J_CONFIG_FILE = "log4j-console.properties";

    /** Copies the collections. */
    public LaunchPlan {
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        command = List.copyOf(command);
    }

    /**
     * Plans the Flink process for a parsed command line.
     *
     * @param arguments the launcher's command line
     * @param restorePoint what the JobManager's job resumes from (see {@link RestorePoint});
     *     ignored for the TaskManager
     * @param env the launcher's environment
     * @param staged the staged configuration directory and its merged configuration
     * @param logDir where Flink's {@code log.file} points (the REST API serves it when a log4j
     *     configuration writes it)
     * @return the plan
     * @throws IOException if lib/ cannot be listed
     * @throws org.apache.flink.configuration.IllegalConfigurationException if the memory
     *     configuration is invalid
     */
    public static LaunchPlan plan(
            LauncherArguments arguments,
            RestorePoint restorePoint,
            LauncherEnvironment env,
            StagedConfiguration staged,
            Path logDir)
            throws IOException {
        Configuration config = staged.configuration();
        Role role = arguments.role();
        ProcessMemory memory = role == Role.JOBMANAGER
                ? ProcessMemory.jobManager(config)
                : ProcessMemory.taskManager(config);

        List<String> command = new ArrayList<>();
        command.add(env.javaExecutable().toString());
        command.addAll(memory.jvmArgs());
        command.addAll(jvmOptions(config, role));
        Path log4jConfig = staged.confDir().resolve(LOG4J_CONFIG_FILE);
        command.add("-Dlog.file=" + logDir.resolve("flink-" + role.cliName() + ".log"));
        command.add("-Dlog4j.configuration=file:" + log4jConfig);
        command.add("-Dlog4j.configurationFile=file:" + log4jConfig);
        command.add("-classpath");
        command.add(classPath(env.libDir()));
        if (role == Role.JOBMANAGER) {
            command.add(JOBMANAGER_ENTRY_POINT);
            command.add("--configDir");
            command.add(staged.confDir().toString());
            command.addAll(memory.dynamicConfigs());
            command.addAll(applicationArguments(arguments, restorePoint));
        } else {
            command.add(TASKMANAGER_ENTRY_POINT);
            command.add("--configDir");
            command.add(staged.confDir().toString());
            command.addAll(memory.dynamicConfigs());
        }

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("FLINK_HOME", env.flinkHome().toString());
        environment.put("FLINK_CONF_DIR", staged.confDir().toString());
        environment.put("FLINK_LIB_DIR", env.libDir().toString());
        environment.put("FLINK_PLUGINS_DIR", env.pluginsDir().toString());
        return new LaunchPlan(environment, command);
    }

    /**
     * The JVM options from the configuration, in the order of Flink's config.sh: the defaults Flink
     * ships (Java 17 module opens) first, so that user options can override them.
     */
    static List<String> jvmOptions(Configuration config, Role role) {
        List<String> options = new ArrayList<>();
        options.addAll(words(config, CoreOptions.FLINK_DEFAULT_JVM_OPTIONS));
        options.addAll(words(config, CoreOptions.FLINK_JVM_OPTIONS));
        if (role == Role.JOBMANAGER) {
            options.addAll(words(config, CoreOptions.FLINK_DEFAULT_JM_JVM_OPTIONS));
            options.addAll(words(config, CoreOptions.FLINK_JM_JVM_OPTIONS));
        } else {
            options.addAll(words(config, CoreOptions.FLINK_DEFAULT_TM_JVM_OPTIONS));
            options.addAll(words(config, CoreOptions.FLINK_TM_JVM_OPTIONS));
        }
        return options;
    }

    /**
     * The arguments of {@code StandaloneApplicationClusterEntryPoint} after {@code --configDir}:
     * job id, the restore point ({@code --fromSavepoint}: the chosen checkpoint or savepoint, see
     * {@link RestorePoint}) and {@code --allowNonRestoredState}, the job class, the jar ({@code
     * --jars}, fetched by Flink's ArtifactFetchManager; {@code local://} URIs are used in place) and
     * the program arguments.
     * A SQL job runs {@link SqlJob} from lib/ with the script path as its only argument.
     */
    static List<String> applicationArguments(LauncherArguments arguments, RestorePoint restorePoint) {
        List<String> args = new ArrayList<>();
        arguments.jobId().ifPresent(id -> args.addAll(List.of("--job-id", id)));
        restorePoint.path().ifPresent(path -> args.addAll(List.of("--fromSavepoint", path)));
        if (arguments.allowNonRestoredState()) {
            args.add("--allowNonRestoredState");
        }
        List<String> programArgs;
        if (arguments.isSqlJob()) {
            args.addAll(List.of("--job-classname", SqlJob.class.getName()));
            programArgs = List.of(arguments.sqlFile().orElseThrow().toAbsolutePath().toString());
        } else {
            args.addAll(List.of("--job-classname", arguments.entryClass().orElseThrow()));
            args.addAll(List.of("--jars", arguments.jarUri().orElseThrow()));
            programArgs = arguments.jobArgs();
        }
        if (!programArgs.isEmpty()) {
            args.add("--");
            args.addAll(programArgs);
        }
        return args;
    }

    /**
     * The plan in the form env(1) takes: {@code NAME=value} assignments, then the command.
     * bin/launcher runs {@code exec env <these arguments>}.
     */
    public List<String> toEnvArguments() {
        List<String> arguments = new ArrayList<>();
        environment.forEach((name, value) -> arguments.add(name + "=" + value));
        arguments.addAll(command);
        return arguments;
    }

    /**
     * Writes {@link #toEnvArguments()} to a file, each argument terminated by a NUL byte (read by
     * bash's {@code mapfile -d ''}); arguments may hold any other character.
     *
     * @throws IOException if the file cannot be written
     */
    public void writeTo(Path file) throws IOException {
        StringBuilder content = new StringBuilder();
        for (String argument : toEnvArguments()) {
            content.append(argument).append('\0');
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static List<String> words(Configuration config, ConfigOption<String> option) {
        String value = config.get(option);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.asList(value.strip().split("\\s+"));
    }

    private static String classPath(Path libDir) throws IOException {
        try (Stream<Path> jars = Files.list(libDir)) {
            List<String> entries = jars
                    .filter(path -> path.getFileName().toString().endsWith(".jar"))
                    .map(Path::toString)
                    .sorted()
                    .toList();
            if (entries.isEmpty()) {
                throw new IOException("no jars in " + libDir);
            }
            return String.join(":", entries);
        }
    }
}
