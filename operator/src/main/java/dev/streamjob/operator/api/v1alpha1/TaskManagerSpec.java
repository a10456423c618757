package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Resources of each TaskManager pod and its task slots ({@code taskmanager.numberOfTaskSlots}).
 * {@code memory} is the container's request and limit and Flink's
 * {@code taskmanager.memory.process.size} (Flink docs: deployment/memory/mem_setup_tm).
 */
public class TaskManagerSpec {

    @JsonPropertyDescription("CPU request and limit per TaskManager, e.g. 1. Defaults to the operator's setting.")
    private Quantity cpu;

    @JsonPropertyDescription("Memory request and limit per TaskManager = Flink process size, e.g. 1536Mi. Defaults to the operator's setting.")
    private Quantity memory;

    @Min(1)
    @Max(256)
    @Default("1")
    @JsonPropertyDescription("Task slots per TaskManager.")
    private Integer slots = 1;

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

    public Integer getSlots() {
        return slots;
    }

    public void setSlots(Integer slots) {
        this.slots = slots;
    }
}
