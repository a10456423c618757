package dev.streamjob.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamjob.runtime.sql.SqlJob;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchPlanTest {

    private static final String JOB_ID = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";

    private static final String ADD_OPENS_JAVA_UTIL = "--add-opens=java.base/java.util=ALL-UNNAMED";

    @TempDir
    Path dir;

    private Path home;
    private Path sqlFile;

    @BeforeEach
    void createFlinkHome() throws Exception {
        home = FlinkHomeFixture.create(dir);
        sqlFile = Files.writeString(dir.resolve("job.sql"), "INSERT INTO a SELECT 1;");
    }

    @Test
    void jobManagerRunsTheApplicationEntryPointWithMemoryFlagsFromTheProcessSize() throws Exception {
        LaunchPlan plan = plan(
                Map.of("S3_ACCESS_KEY", "AKIA-ACCESS", "S3_SECRET_KEY", "s3cr3t-value"),
                "jobmanager", "--job-id", "00000000000000000000000000000abc", "--from-savepoint", "s3://b/sp-1",
                "--allow-non-restored-state", "--sql-file", sqlFile.toString(),
                "-D", "jobmanager.memory.process.size=1200m");

        List<String> command = plan.command();
        assertThat(command.get(0)).endsWith("/bin/java");
        assertThat(command).contains(ADD_OPENS_JAVA_UTIL, "--add-exports=java.base/sun.net.util=ALL-UNNAMED");
        assertThat(command).containsSubsequence(
                "-classpath", home.resolve("lib/flink-runtime-2.3.0.jar") + ":" + home.resolve("lib/streamjob-launcher.jar"),
                LaunchPlan.JOBMANAGER_ENTRY_POINT,
                "--configDir", dir.resolve("work/conf").toString());
        assertThat(after(command, LaunchPlan.JOBMANAGER_ENTRY_POINT)).containsSubsequence(
                "--job-id", "00000000000000000000000000000abc",
                "--fromSavepoint", "s3://b/sp-1",
                "--allowNonRestoredState",
                "--job-classname", SqlJob.class.getName(),
                "--", sqlFile.toAbsolutePath().toString());
        assertThat(command.get(command.size() - 1)).isEqualTo(sqlFile.toAbsolutePath().toString());

        // Heap + off-heap + metaspace + overhead add up to the configured process size.
        Map<String, Long> dynamic = dynamicConfigs(command);
        long heap = flag(command, "-Xmx");
        assertThat(flag(command, "-Xms")).isEqualTo(heap);
        long metaspace = flag(command, "-XX:MaxMetaspaceSize=");
        assertThat(heap + dynamic.get("jobmanager.memory.off-heap.size") + metaspace
                + dynamic.get("jobmanager.memory.jvm-overhead.min"))
                .isEqualTo(MemorySize.parse("1200m").getBytes());
        assertThat(dynamic.get("jobmanager.memory.jvm-overhead.min"))
                .isEqualTo(dynamic.get("jobmanager.memory.jvm-overhead.max"));
        assertThat(heap).isGreaterThan(MemorySize.parse("500m").getBytes());

        assertThat(plan.environment())
                .containsEntry("FLINK_HOME", home.toString())
                .containsEntry("FLINK_CONF_DIR", dir.resolve("work/conf").toString())
                .containsEntry("FLINK_LIB_DIR", home.resolve("lib").toString())
                .containsEntry("FLINK_PLUGINS_DIR", home.resolve("plugins").toString());
        assertThat(String.join(" ", plan.toEnvArguments())).doesNotContain("AKIA-ACCESS", "s3cr3t-value");
    }

    @Test
    void jarJobPassesItsJarEntryClassAndArguments() throws Exception {
        LaunchPlan plan = plan(Map.of(),
                "jobmanager", "--jar-uri", "local:///opt/flink/usrlib/job.jar", "--entry-class", "com.example.Job",
                "--", "--input", "orders");

        assertThat(after(plan.command(), LaunchPlan.JOBMANAGER_ENTRY_POINT)).containsSubsequence(
                "--job-classname", "com.example.Job",
                "--jars", "local:///opt/flink/usrlib/job.jar",
                "--", "--input", "orders");
        assertThat(plan.command()).doesNotContain("--job-id", "--fromSavepoint", "--allowNonRestoredState");
    }

    @Test
    void newestCompleteCheckpointReplacesTheSavepoint() throws Exception {
        Path jobDir = Files.createDirectories(dir.resolve("checkpoints").resolve(JOB_ID));
        Files.writeString(Files.createDirectories(jobDir.resolve("chk-4")).resolve("_metadata"), "m");
        Files.createDirectories(jobDir.resolve("chk-5"));
        Files.createDirectories(jobDir.resolve("shared"));
        String checkpoints = dir.resolve("checkpoints").toUri().toString();

        LaunchPlan plan = plan(Map.of(), "jobmanager", "--job-id", JOB_ID,
                "--restore-from-latest-checkpoint", checkpoints + JOB_ID, "--from-savepoint", "s3://b/sp-1",
                "--sql-file", sqlFile.toString(), "-D", "execution.checkpointing.dir=" + checkpoints);

        assertThat(after(plan.command(), LaunchPlan.JOBMANAGER_ENTRY_POINT))
                .containsSubsequence("--job-id", JOB_ID, "--fromSavepoint", checkpoints + JOB_ID + "/chk-4")
                .doesNotContain("s3://b/sp-1");
    }

    @Test
    void withoutCompleteCheckpointTheSavepointOrEmptyState() throws Exception {
        String jobDir = dir.resolve("checkpoints").resolve(JOB_ID).toUri().toString();

        LaunchPlan fromSavepoint = plan(Map.of(), "jobmanager", "--job-id", JOB_ID,
                "--restore-from-latest-checkpoint", jobDir, "--from-savepoint", "s3://b/sp-1", "--sql-file", sqlFile.toString());
        assertThat(after(fromSavepoint.command(), LaunchPlan.JOBMANAGER_ENTRY_POINT))
                .containsSubsequence("--fromSavepoint", "s3://b/sp-1");

        Files.createDirectories(Path.of(java.net.URI.create(jobDir)).resolve("chk-1")); // incomplete
        LaunchPlan empty = plan(Map.of(), "jobmanager", "--job-id", JOB_ID,
                "--restore-from-latest-checkpoint", jobDir, "--sql-file", sqlFile.toString());
        assertThat(empty.command()).doesNotContain("--fromSavepoint");
    }

    @Test
    void aCheckpointDirectoryThatCannotBeListedFailsThePlan() {
        // No S3 plugin in this FLINK_HOME: Flink cannot list s3://, as if S3 were unreachable.
        assertThatThrownBy(() -> plan(Map.of(), "jobmanager", "--job-id", JOB_ID,
                "--restore-from-latest-checkpoint", "s3://bucket/checkpoints/" + JOB_ID, "--from-savepoint", "s3://b/sp-1",
                "--sql-file", sqlFile.toString()))
                .isInstanceOf(RestorePointException.class)
                .hasMessageStartingWith("cannot choose the restore point: listing the checkpoint directory s3://bucket/checkpoints/"
                        + JOB_ID + " failed: ")
                .hasMessageContaining("flink-s3-fs-hadoop")
                .hasMessageEndingWith("Not starting the job, which could otherwise resume from empty or older state.");
    }

    @Test
    void aCheckpointDirectoryOtherThanTheConfiguredOneFailsThePlan() {
        assertThatThrownBy(() -> plan(Map.of(), "jobmanager", "--job-id", JOB_ID,
                "--restore-from-latest-checkpoint", "file:///tmp/elsewhere/" + JOB_ID, "--sql-file", sqlFile.toString(),
                "-D", "execution.checkpointing.dir=file:///tmp/checkpoints"))
                .isInstanceOf(RestorePointException.class)
                .hasMessageContaining("is not where the job writes its checkpoints, file:///tmp/checkpoints/" + JOB_ID);
    }

    @Test
    void taskManagerGetsFlinkDerivedMemoryAsFlagsAndDynamicConfigs() throws Exception {
        LaunchPlan plan = plan(Map.of(), "taskmanager", "-D", "taskmanager.memory.process.size=2g",
                "-D", "taskmanager.numberOfTaskSlots=3");

        List<String> command = plan.command();
        assertThat(command).containsSubsequence(LaunchPlan.TASKMANAGER_ENTRY_POINT, "--configDir");
        assertThat(command).contains(ADD_OPENS_JAVA_UTIL);
        Map<String, Long> dynamic = dynamicConfigs(command);
        assertThat(dynamic).containsKeys(
                "taskmanager.memory.managed.size", "taskmanager.memory.network.min", "taskmanager.memory.task.heap.size");
        long heap = flag(command, "-Xmx");
        long direct = flag(command, "-XX:MaxDirectMemorySize=");
        long metaspace = flag(command, "-XX:MaxMetaspaceSize=");
        assertThat(heap).isEqualTo(dynamic.get("taskmanager.memory.framework.heap.size")
                + dynamic.get("taskmanager.memory.task.heap.size"));
        assertThat(heap + direct + metaspace + dynamic.get("taskmanager.memory.managed.size")
                + dynamic.get("taskmanager.memory.jvm-overhead.min"))
                .isEqualTo(MemorySize.parse("2g").getBytes());
    }

    @Test
    void userJvmOptionsComeAfterFlinkDefaultsAndRoleOptionsLast() throws Exception {
        LaunchPlan plan = plan(Map.of(), "taskmanager",
                "-D", "env.java.opts.all=-Dall=1 -XX:+UseG1GC",
                "-D", "env.java.opts.taskmanager=-Dtm=1",
                "-D", "env.java.opts.jobmanager=-Djm=1");

        assertThat(plan.command())
                .containsSubsequence(ADD_OPENS_JAVA_UTIL, "-Dall=1", "-XX:+UseG1GC", "-Dtm=1", "-classpath")
                .doesNotContain("-Djm=1");
    }

    @Test
    void writesThePlanAsNulSeparatedEnvArguments() throws Exception {
        LaunchPlan plan = new LaunchPlan(Map.of("FLINK_HOME", "/opt/flink"), List.of("java", "-Da=b c", "Main"));
        Path file = dir.resolve("plan");

        plan.writeTo(file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("FLINK_HOME=/opt/flink\0java\0-Da=b c\0Main\0");
    }

    private LaunchPlan plan(Map<String, String> extraEnv, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("FLINK_HOME", home.toString());
        env.put("STREAMJOB_WORK_DIR", dir.resolve("work").toString());
        LauncherEnvironment environment = LauncherEnvironment.from(env, Path.of(System.getProperty("java.home")));
        assertThat(environment.s3Credentials().accessKey()).isEqualTo(Optional.ofNullable(extraEnv.get("S3_ACCESS_KEY")));
        return Launcher.plan(LauncherArguments.parse(List.of(args)), environment);
    }

    private static List<String> after(List<String> command, String element) {
        return command.subList(command.indexOf(element) + 1, command.size());
    }

    private static long flag(List<String> command, String prefix) {
        return command.stream()
                .filter(arg -> arg.startsWith(prefix))
                .map(arg -> Long.parseLong(arg.substring(prefix.length())))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + command));
    }

    /** The {@code -D key=value} pairs after the entry point, memory sizes in bytes. */
    private static Map<String, Long> dynamicConfigs(List<String> command) {
        Map<String, Long> sizes = new HashMap<>();
        for (int i = 0; i < command.size() - 1; i++) {
            if (command.get(i).equals("-D")) {
                String[] keyValue = command.get(i + 1).split("=", 2);
                if (keyValue[1].endsWith("b")) {
                    sizes.put(keyValue[0], MemorySize.parse(keyValue[1]).getBytes());
                }
            }
        }
        return sizes;
    }
}
