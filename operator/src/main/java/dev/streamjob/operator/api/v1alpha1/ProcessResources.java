package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * CPU and memory of a Flink process's pod. {@code memory} is the container's request and limit and
 * Flink's process size ({@code jobmanager.memory.process.size} or
 * {@code taskmanager.memory.process.size}); the launcher derives heap and off-heap sizes from it
 * with Flink's own memory model (Flink docs: deployment/memory/mem_setup).
 */
public abstract class ProcessResources {

    @JsonPropertyDescription("CPU request, e.g. 500m. Defaults to the operator's setting.")
    private Quantity cpu;

    @JsonPropertyDescription("Memory request and limit = Flink process size, e.g. 1Gi (at least 768Mi). Defaults to the operator's setting.")
    private Quantity memory;

    public Quantity getCpu() {
        return cpu;
    }

    public void setCpu(Quantity cpu) {
        this.cpu = cpu;
    }

    public Quantity getMemory() {
        return memory;
    }

    public void setMemory(Quantity memory) {
        this.memory = memory;
    }
}
