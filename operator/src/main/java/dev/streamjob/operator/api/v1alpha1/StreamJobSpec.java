package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The desired state of a {@link StreamJob}: what to run, where its state lives, and on what resources. */
public class StreamJobSpec {

    @JsonPropertyDescription("Runtime image (Flink, connectors and the launcher). Defaults to the operator's configured image.")
    private String image;

    @Required
    @JsonPropertyDescription("The Flink job: a SQL script or a jar, its parallelism and lifecycle settings.")
    private JobSpec job = new JobSpec();

    @JsonPropertyDescription("Checkpointing: always on, written under the storage prefix.")
    private CheckpointingSpec checkpointing = new CheckpointingSpec();

    @JsonPropertyDescription("S3-compatible object store (e.g. MinIO) for checkpoints and savepoints. Fields left empty take the operator's defaults.")
    private StorageSpec storage = new StorageSpec();

    @JsonPropertyDescription("Savepoints: timeout, periodic savepoints, retention, and whether snapshots are kept (default) or deleted with the StreamJob.")
    private SavepointsSpec savepoints = new SavepointsSpec();

    @JsonPropertyDescription("Whole-job restarts after a failure: how many within a window, and the backoff between them.")
    private RecoverySpec recovery = new RecoverySpec();

    @JsonPropertyDescription("Kafka sources whose consumer lag the operator reads and publishes in status.kafkaLag and as a metric (changing it never restarts the job).")
    private List<KafkaSourceSpec> kafkaSources = new ArrayList<>();

    @JsonPropertyDescription("Opt-in lag-based autoscaler: sets spec.job.parallelism from the consumer lag of spec.kafkaSources and the job's busy time (changing it never restarts the job).")
    private AutoscalerSpec autoscaler;

    @JsonPropertyDescription("JobManager resources.")
    private JobManagerSpec jobManager = new JobManagerSpec();

    @JsonPropertyDescription("TaskManager resources and task slots.")
    private TaskManagerSpec taskManager = new TaskManagerSpec();

    @JsonPropertyDescription("Extra Flink configuration (flat keys, e.g. 'pipeline.max-parallelism'). Keys the operator owns are rejected.")
    private Map<String, String> flinkConfiguration = new LinkedHashMap<>();

    // A free-form object in the CRD: the full PodTemplateSpec schema would triple the CRD's size;
    // the API server validates the merged pod when the operator applies the Deployments.
    @PreserveUnknownFields
    @SchemaFrom(type = StreamJobSpec.FreeFormObject.class)
    @JsonPropertyDescription("Pod template merged into the JobManager and TaskManager pods (scheduling, security context, extra volumes, sidecars; the container named 'flink' is merged into the Flink container).")
    private PodTemplateSpec podTemplate;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public JobSpec getJob() {
        return job;
    }

    public void setJob(JobSpec job) {
        this.job = job;
    }

    public CheckpointingSpec getCheckpointing() {
        return checkpointing;
    }

    public void setCheckpointing(CheckpointingSpec checkpointing) {
        this.checkpointing = checkpointing;
    }

    public StorageSpec getStorage() {
        return storage;
    }

    public void setStorage(StorageSpec storage) {
        this.storage = storage;
    }

    public RecoverySpec getRecovery() {
        return recovery;
    }

    public void setRecovery(RecoverySpec recovery) {
        this.recovery = recovery;
    }

    public SavepointsSpec getSavepoints() {
        return savepoints;
    }

    public void setSavepoints(SavepointsSpec savepoints) {
        this.savepoints = savepoints;
    }

    public JobManagerSpec getJobManager() {
        return jobManager;
    }

    public void setJobManager(JobManagerSpec jobManager) {
        this.jobManager = jobManager;
    }

    public TaskManagerSpec getTaskManager() {
        return taskManager;
    }

    public void setTaskManager(TaskManagerSpec taskManager) {
        this.taskManager = taskManager;
    }

    public AutoscalerSpec getAutoscaler() {
        return autoscaler;
    }

    public void setAutoscaler(AutoscalerSpec autoscaler) {
        this.autoscaler = autoscaler;
    }

    public List<KafkaSourceSpec> getKafkaSources() {
        return kafkaSources;
    }

    public void setKafkaSources(List<KafkaSourceSpec> kafkaSources) {
        this.kafkaSources = kafkaSources;
    }

    public Map<String, String> getFlinkConfiguration() {
        return flinkConfiguration;
    }

    public void setFlinkConfiguration(Map<String, String> flinkConfiguration) {
        this.flinkConfiguration = flinkConfiguration;
    }

    public PodTemplateSpec getPodTemplate() {
        return podTemplate;
    }

    public void setPodTemplate(PodTemplateSpec podTemplate) {
        this.podTemplate = podTemplate;
    }

    /** Schema stand-in for fields the CRD keeps free-form. */
    static final class FreeFormObject {
    }
}
