package dev.streamjob.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.ArrayList;
import java.util.List;

/**
 * The Flink job of a StreamJob. Exactly one of {@code sql} and {@code jarURI} is set; the CRD
 * enforces it with a CEL rule and the operator's validator checks it again.
 */
@ValidationRule(value = "has(self.sql) != has(self.jarURI)",
        message = "exactly one of spec.job.sql and spec.job.jarURI must be set")
@ValidationRule(value = "!has(self.entryClass) || has(self.jarURI)",
        message = "spec.job.entryClass needs spec.job.jarURI")
public class JobSpec {

    @JsonPropertyDescription("Flink SQL script: SET, CREATE ... and INSERT statements separated by ';'. All INSERTs run as one job.")
    private String sql;

    @JsonProperty("jarURI")
    @JsonPropertyDescription("Job jar, e.g. local:///opt/flink/usrlib/my-job.jar (baked into the image or mounted through the pod template).")
    private String jarURI;

    @JsonPropertyDescription("Main class of the job jar; taken from the jar manifest when empty.")
    private String entryClass;

    @JsonPropertyDescription("Arguments passed to the job's main method.")
    private List<String> args = new ArrayList<>();

    @Min(1)
    @Max(32768)
    @Default("1")
    @SpecReplicas
    @JsonPropertyDescription("Job parallelism; also the scale subresource's replicas. TaskManagers = ceil(parallelism / slots).")
    private Integer parallelism = 1;

    @Default("running")
    @JsonPropertyDescription("Desired lifecycle state: running or suspended.")
    // An unknown value reads as null, kept null through copies, and is reported by the validator
    // instead of failing the informer.
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    private JobState state = JobState.RUNNING;

    @Default("savepoint")
    @JsonPropertyDescription("How state is carried over a spec change: savepoint, last-state or stateless.")
    // An unknown value reads as null, kept null through copies, and is reported by the validator
    // instead of failing the informer.
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    private UpgradeMode upgradeMode = UpgradeMode.SAVEPOINT;

    @Default("false")
    @JsonPropertyDescription("Allow restoring a snapshot that holds state for operators the new job no longer has.")
    private Boolean allowNonRestoredState = false;

    @JsonPropertyDescription("Savepoint or retained checkpoint (e.g. s3://bucket/prefix/savepoints/savepoint-1a2b3c-...) the first run starts from; starts a new state lineage. Changing it later has no effect.")
    private String initialSavepointPath;

    @JsonPropertyDescription("Change to any other value to restart the job (stop and start the same spec), carrying its state over as upgradeMode says.")
    private Long restartNonce;

    @JsonPropertyDescription("Change to any other value to take a savepoint now (kept in status.savepoints).")
    private Long savepointTriggerNonce;

    public String getSql() {
        return sql;
    }

    public void setSql(String sql) {
        this.sql = sql;
    }

    public String getJarURI() {
        return jarURI;
    }

    public void setJarURI(String jarURI) {
        this.jarURI = jarURI;
    }

    public String getEntryClass() {
        return entryClass;
    }

    public void setEntryClass(String entryClass) {
        this.entryClass = entryClass;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args;
    }

    public Integer getParallelism() {
        return parallelism;
    }

    public void setParallelism(Integer parallelism) {
        this.parallelism = parallelism;
    }

    public JobState getState() {
        return state;
    }

    public void setState(JobState state) {
        this.state = state;
    }

    public UpgradeMode getUpgradeMode() {
        return upgradeMode;
    }

    public void setUpgradeMode(UpgradeMode upgradeMode) {
        this.upgradeMode = upgradeMode;
    }

    public Boolean getAllowNonRestoredState() {
        return allowNonRestoredState;
    }

    public void setAllowNonRestoredState(Boolean allowNonRestoredState) {
        this.allowNonRestoredState = allowNonRestoredState;
    }

    public String getInitialSavepointPath() {
        return initialSavepointPath;
    }

    public void setInitialSavepointPath(String initialSavepointPath) {
        this.initialSavepointPath = initialSavepointPath;
    }

    public Long getRestartNonce() {
        return restartNonce;
    }

    public void setRestartNonce(Long restartNonce) {
        this.restartNonce = restartNonce;
    }

    public Long getSavepointTriggerNonce() {
        return savepointTriggerNonce;
    }

    public void setSavepointTriggerNonce(Long savepointTriggerNonce) {
        this.savepointTriggerNonce = savepointTriggerNonce;
    }
}
