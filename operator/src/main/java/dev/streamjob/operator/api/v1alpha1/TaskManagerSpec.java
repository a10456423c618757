package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Resources of each TaskManager pod (Flink docs: deployment/memory/mem_setup_tm) and its task
 * slots ({@code taskmanager.numberOfTaskSlots}).
 */
public class TaskManagerSpec extends ProcessResources {

    @Min(1)
    @Max(256)
    @Default("1")
    @JsonPropertyDescription("Task slots per TaskManager.")
    private Integer slots = 1;

    public Integer getSlots() {
        return slots;
    }

    public void setSlots(Integer slots) {
        this.slots = slots;
    }
}
