package dev.streamjob.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The launcher's command line. The operator generates exactly these container arguments, so the
 * contract is stable:
 *
 * <pre>
 * launcher jobmanager [--job-id &lt;32 hex chars&gt; [--restore-from-latest-checkpoint &lt;dir&gt;]]
 *                     [--from-savepoint &lt;uri&gt;] [--allow-non-restored-state]
 *                     (--sql-file &lt;path&gt; | --jar-uri &lt;uri&gt; --entry-class &lt;fqcn&gt;)
 *                     [-D key=value]... [-- &lt;job args&gt;...]
 * launcher taskmanager [-D key=value]...
 * </pre>
 *
 * <p>{@code -D key=value} (or {@code -Dkey=value}) overrides one Flink configuration key; later
 * overrides of the same key win. Everything after {@code --} is passed to a jar job's main method.
 *
 * @param role which Flink process to start
 * @param jobId fixed Flink job id (32 hex characters); without it Flink picks a random one per start
 * @param fromSavepoint savepoint or retained checkpoint to restore the job from (the start of a new
 *     lineage: used only when {@code restoreFromLatestCheckpoint} holds no complete checkpoint)
 * @param restoreFromLatestCheckpoint the job's checkpoint directory, {@code
 *     <execution.checkpointing.dir>/<job id>}, whose newest complete checkpoint the job resumes
 *     from at every start (see {@link RestorePoint}); needs {@code jobId}
 * @param allowNonRestoredState whether state that maps to no operator may be skipped on restore
 * @param sqlFile the SQL script of a SQL job
 * @param jarUri the jar of a jar job ({@code local://}, {@code file://}, {@code s3://} or {@code
 *     http(s)://}, as Flink's artifact fetcher takes it)
 * @param entryClass the main class of a jar job
 * @param overrides Flink configuration overrides, in command-line order
 * @param jobArgs the arguments of a jar job's main method
 */
public record LauncherArguments(
        Role role,
        Optional<String> jobId,
        Optional<String> fromSavepoint,
        Optional<String> restoreFromLatestCheckpoint,
        boolean allowNonRestoredState,
        Optional<Path> sqlFile,
        Optional<String> jarUri,
        Optional<String> entryClass,
        Map<String, String> overrides,
        List<String> jobArgs) {

    /** The usage text printed on invalid arguments. */
    public static final String USAGE =
            "usage: launcher jobmanager [--job-id <32 hex chars> [--restore-from-latest-checkpoint <dir>]]\n"
                    + "                           [--from-savepoint <uri>] [--allow-non-restored-state]\n"
                    + "                           (--sql-file <path> | --jar-uri <uri> --entry-class <fqcn>)"
                    + " [-D key=value]... [-- <job args>...]\n"
                    + "       launcher taskmanager [-D key=value]...";

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-fA-F]{32}");

    /** The Flink process the launcher starts. */
    public enum Role {
        /** Flink's JobManager in application mode, running exactly one job. */
        JOBMANAGER,
        /** A Flink TaskManager that registers with the JobManager. */
        TASKMANAGER;

        /** The role's name on the command line and in file names: {@code jobmanager}, {@code taskmanager}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Copies the collections, so a parsed command line cannot change afterwards. */
    public LauncherArguments {
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        jobArgs = List.copyOf(jobArgs);
    }

    /** Whether this is a SQL job (as opposed to a jar job); only meaningful for the JobManager. */
    public boolean isSqlJob() {
        return sqlFile.isPresent();
    }

    /**
     * Parses the launcher's arguments.
     *
     * @param args the arguments after the program name
     * @return the parsed, validated command line
     * @throws IllegalArgumentException with a message for the user when the arguments do not follow
     *     the contract (unknown option, missing value, malformed job id, both or neither of SQL and
     *     jar, options the role does not take)
     */
    public static LauncherArguments parse(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("missing role: 'jobmanager' or 'taskmanager'");
        }
        Role role = parseRole(args.get(0));

        String jobId = null;
        String fromSavepoint = null;
        String restoreFromLatestCheckpoint = null;
        boolean allowNonRestoredState = false;
        Path sqlFile = null;
        String jarUri = null;
        String entryClass = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        List<String> jobArgs = new ArrayList<>();

        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                jobArgs.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.equals("-D")) {
                addOverride(overrides, valueOf(args, ++i, "-D"));
                continue;
            }
            if (arg.startsWith("-D")) {
                addOverride(overrides, arg.substring(2));
                continue;
            }
            if (role == Role.TASKMANAGER) {
                throw new IllegalArgumentException(
                        "the taskmanager takes only -D key=value options, not '" + arg + "'");
            }
            switch (arg) {
                case "--job-id" -> jobId = parseJobId(valueOf(args, ++i, arg));
                case "--from-savepoint" -> fromSavepoint = valueOf(args, ++i, arg);
                case "--restore-from-latest-checkpoint" -> restoreFromLatestCheckpoint = valueOf(args, ++i, arg);
                case "--allow-non-restored-state" -> allowNonRestoredState = true;
                case "--sql-file" -> sqlFile = Path.of(valueOf(args, ++i, arg));
                case "--jar-uri" -> jarUri = valueOf(args, ++i, arg);
                case "--entry-class" -> entryClass = valueOf(args, ++i, arg);
                default -> throw new IllegalArgumentException(
                        arg.startsWith("-")
                                ? "unknown option '" + arg + "'"
                                : "unexpected argument '" + arg + "' (job arguments go after '--')");
            }
        }

        if (role == Role.JOBMANAGER) {
            validateJobSource(sqlFile, jarUri, entryClass, jobArgs);
            if (restoreFromLatestCheckpoint != null) {
                validateCheckpointDirectory(restoreFromLatestCheckpoint, jobId);
            }
        }
        return new LauncherArguments(
                role,
                Optional.ofNullable(jobId),
                Optional.ofNullable(fromSavepoint),
                Optional.ofNullable(restoreFromLatestCheckpoint),
                allowNonRestoredState,
                Optional.ofNullable(sqlFile),
                Optional.ofNullable(jarUri),
                Optional.ofNullable(entryClass),
                overrides,
                jobArgs);
    }

    private static Role parseRole(String arg) {
        for (Role role : Role.values()) {
            if (role.cliName().equals(arg)) {
                return role;
            }
        }
        throw new IllegalArgumentException(
                "unknown role '" + arg + "': expected 'jobmanager' or 'taskmanager'");
    }

    private static String valueOf(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args.get(index);
    }

    private static void addOverride(Map<String, String> overrides, String keyValue) {
        int equals = keyValue.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException(
                    "-D needs key=value, got '" + keyValue + "'");
        }
        String key = keyValue.substring(0, equals).trim();
        if (key.isEmpty()) {
            throw new IllegalArgumentException("-D needs key=value, got '" + keyValue + "'");
        }
        overrides.remove(key); // keep the position of the last occurrence
        overrides.put(key, keyValue.substring(equals + 1));
    }

    private static String parseJobId(String value) {
        if (!JOB_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "--job-id must be 32 hexadecimal characters, got '" + value + "'");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /**
     * The checkpoint directory must belong to a fixed job id: without one, every start writes its
     * checkpoints under a new random id, and the next restart would find only older ones.
     */
    private static void validateCheckpointDirectory(String directory, String jobId) {
        if (directory.isBlank()) {
            throw new IllegalArgumentException("--restore-from-latest-checkpoint needs a directory");
        }
        if (jobId == null) {
            throw new IllegalArgumentException("--restore-from-latest-checkpoint needs --job-id"
                    + " (without a fixed job id each start checkpoints into a new directory)");
        }
        try {
            new org.apache.flink.core.fs.Path(directory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--restore-from-latest-checkpoint: '" + directory + "' is not a valid URI: " + e.getMessage());
        }
        if (!RestorePoint.lastSegment(directory).equalsIgnoreCase(jobId)) {
            throw new IllegalArgumentException("--restore-from-latest-checkpoint must be the job's checkpoint"
                    + " directory, <execution.checkpointing.dir>/" + jobId + ", got '" + directory + "'");
        }
    }

    private static void validateJobSource(
            Path sqlFile, String jarUri, String entryClass, List<String> jobArgs) {
        if (sqlFile != null && jarUri != null) {
            throw new IllegalArgumentException("give either --sql-file or --jar-uri, not both");
        }
        if (sqlFile == null && jarUri == null) {
            throw new IllegalArgumentException(
                    "the jobmanager needs a job: --sql-file <path> or --jar-uri <uri> --entry-class <fqcn>");
        }
        if (jarUri != null && entryClass == null) {
            throw new IllegalArgumentException("--jar-uri needs --entry-class");
        }
        if (sqlFile != null && entryClass != null) {
            throw new IllegalArgumentException("--entry-class is for jar jobs, not with --sql-file");
        }
        if (sqlFile != null && !jobArgs.isEmpty()) {
            throw new IllegalArgumentException(
                    "job arguments after '--' are for jar jobs; a SQL job takes its settings from SET statements");
        }
    }
}
