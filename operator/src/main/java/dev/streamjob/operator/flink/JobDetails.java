package dev.streamjob.operator.flink;

import java.util.List;
import java.util.Map;

/**
 * A Flink job as {@code GET /jobs/:jobid} reports it.
 *
 * @param jobId 32 hex characters
 * @param name job name
 * @param state Flink's JobStatus name: INITIALIZING, CREATED, RUNNING, FAILING, FAILED, CANCELLING,
 *     CANCELED, FINISHED, RESTARTING, SUSPENDED, RECONCILING
 * @param vertices the job graph's vertices
 */
public record JobDetails(String jobId, String name, String state, List<Vertex> vertices) {

    /**
     * A job vertex.
     *
     * @param id the vertex id (32 hex characters), as the resource-requirements endpoint keys it
     * @param name operator chain name
     * @param parallelism number of subtasks
     * @param maxParallelism the vertex's max parallelism (key groups), the bound of any rescale;
     *     -1 when Flink did not report it
     * @param tasks number of subtasks per execution state (RUNNING, DEPLOYING, ...)
     * @param accumulatedBusyTimeMs milliseconds its subtasks have been busy since they started,
     *     summed over the subtasks ({@code metrics.accumulated-busy-time}); NaN when Flink reports
     *     none. Its growth over time, divided by the parallelism, is how busy the vertex is, as
     *     Flink's own autoscaler computes it
     */
    public record Vertex(String id, String name, int parallelism, int maxParallelism, Map<String, Integer> tasks,
            double accumulatedBusyTimeMs) {

        /** A vertex whose id is its name, with max parallelism and busy time unknown (for tests and fakes). */
        public Vertex(String name, int parallelism, Map<String, Integer> tasks) {
            this(name, name, parallelism, -1, tasks, Double.NaN);
        }

        /** Subtasks in the given execution state. */
        public int tasksIn(String executionState) {
            return tasks.getOrDefault(executionState, 0);
        }
    }

    /** True when the job is RUNNING and every subtask runs (or has finished, for bounded sources). */
    public boolean allTasksRunning() {
        return "RUNNING".equals(state) && !vertices.isEmpty()
                && vertices.stream().allMatch(v -> v.tasksIn("RUNNING") + v.tasksIn("FINISHED") == v.parallelism())
                && vertices.stream().anyMatch(v -> v.tasksIn("RUNNING") > 0);
    }

    /** The job's parallelism: the largest parallelism of its vertices. */
    public int parallelism() {
        return vertices.stream().mapToInt(Vertex::parallelism).max().orElse(0);
    }

    /** Whether Flink will not run this job again by itself (FAILED, CANCELED, FINISHED). */
    public boolean terminal() {
        return switch (state) {
            case "FAILED", "CANCELED", "FINISHED" -> true;
            default -> false;
        };
    }
}
