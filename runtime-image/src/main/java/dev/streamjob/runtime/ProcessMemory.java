package dev.streamjob.runtime;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

import java.util.Arrays;
import java.util.List;

/**
 * The JVM memory flags of a Flink process and the memory settings Flink passes to it as dynamic
 * properties, derived from the configuration with Flink's own classes exactly as Flink's start
 * scripts do (they call {@code org.apache.flink.runtime.util.bash.BashJavaUtils}
 * {@code GET_JM_RESOURCE_PARAMS} / {@code GET_TM_RESOURCE_PARAMS}). See "Set up Flink's Process
 * Memory" in the Flink documentation.
 *
 * @param jvmArgs JVM flags: {@code -Xmx}, {@code -Xms}, {@code -XX:MaxDirectMemorySize} (if
 *     limited) and {@code -XX:MaxMetaspaceSize}, sizes in bytes
 * @param dynamicConfigs arguments for the entry point, pairs of {@code -D} and {@code key=value},
 *     fixing every derived memory component so the process sees the same sizes the flags were
 *     computed from
 */
public record ProcessMemory(List<String> jvmArgs, List<String> dynamicConfigs) {

    /** Copies the lists. */
    public ProcessMemory {
        jvmArgs = List.copyOf(jvmArgs);
        dynamicConfigs = List.copyOf(dynamicConfigs);
    }

    /**
     * The JobManager's memory, from {@code jobmanager.memory.*} (usually {@code
     * jobmanager.memory.process.size}).
     *
     * @throws org.apache.flink.configuration.IllegalConfigurationException if the memory options
     *     are missing or contradict each other
     */
    public static ProcessMemory jobManager(Configuration configuration) {
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(configuration);
        return new ProcessMemory(
                split(JobManagerProcessUtils.generateJvmParametersStr(spec, configuration)),
                split(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
    }

    /**
     * The TaskManager's memory, from {@code taskmanager.memory.*} (usually {@code
     * taskmanager.memory.process.size}).
     *
     * @throws org.apache.flink.configuration.IllegalConfigurationException if the memory options
     *     are missing or contradict each other
     */
    public static ProcessMemory taskManager(Configuration configuration) {
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(configuration);
        return new ProcessMemory(
                split(ProcessMemoryUtils.generateJvmParametersStr(spec)),
                split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
    }

    private static List<String> split(String arguments) {
        String trimmed = arguments.strip();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }
}
