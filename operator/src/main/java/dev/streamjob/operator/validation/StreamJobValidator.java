package dev.streamjob.operator.validation;

import dev.streamjob.operator.api.v1alpha1.CheckpointingSpec;
import dev.streamjob.operator.api.v1alpha1.JobSpec;
import dev.streamjob.operator.api.v1alpha1.KafkaSourceSpec;
import dev.streamjob.operator.api.v1alpha1.RecoverySpec;
import dev.streamjob.operator.api.v1alpha1.SavepointsSpec;
import dev.streamjob.operator.api.v1alpha1.SecretKeysReference;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.StreamJobSpec;
import dev.streamjob.operator.autoscaler.Autoscaler;
import dev.streamjob.operator.config.OperatorConfig;
import dev.streamjob.operator.model.Durations;
import dev.streamjob.operator.model.FlinkConfig;
import dev.streamjob.operator.model.ResolvedStorage;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a StreamJob's spec before anything is built from it. It repeats the CRD's schema and
 * CEL rules (the operator may run against an older CRD, and tests against an API server without
 * validation) and adds what only the operator knows: defaults it could not fill, keys it owns,
 * the credentials Secret. Pure: the Secret lookup is passed in.
 */
public final class StreamJobValidator {

    /** Smallest Flink process size Flink's memory model accepts with default fractions. */
    static final Quantity MIN_PROCESS_MEMORY = new Quantity("768Mi");
    private static final Pattern DURATION = Pattern.compile(CheckpointingSpec.DURATION_PATTERN);

    private StreamJobValidator() {
    }

    /**
     * All problems of the spec, in field order; empty when the spec is valid.
     *
     * @param secrets looks up a Secret by name in the StreamJob's namespace
     */
    public static List<FieldError> validate(StreamJob job, OperatorConfig config,
            Function<String, Optional<Secret>> secrets) {
        List<FieldError> errors = new ArrayList<>();
        StreamJobSpec spec = job.getSpec();
        if (spec == null || spec.getJob() == null) {
            errors.add(new FieldError("spec.job", "required"));
            return errors;
        }
        validateJob(spec.getJob(), errors);
        validateCheckpointing(spec.getCheckpointing(), errors);
        validateSavepoints(spec.getSavepoints(), errors);
        validateRecovery(spec.getRecovery(), errors);
        validateKafkaSources(spec.getKafkaSources(), errors);
        if (spec.getAutoscaler() != null) {
            errors.addAll(Autoscaler.validate(spec.getAutoscaler()));
            if (spec.getKafkaSources() == null || spec.getKafkaSources().isEmpty()) {
                errors.add(new FieldError("spec.autoscaler", "needs spec.kafkaSources: it scales on their consumer lag"));
            }
        }
        validateStorage(job, config, secrets, errors);
        validateResources(spec, config, errors);
        validateFlinkConfiguration(spec.getFlinkConfiguration(), errors);
        return errors;
    }

    private static void validateJob(JobSpec job, List<FieldError> errors) {
        boolean sql = job.getSql() != null && !job.getSql().isBlank();
        boolean jar = job.getJarURI() != null && !job.getJarURI().isBlank();
        if (sql == jar) {
            errors.add(new FieldError("spec.job", sql
                    ? "both sql and jarURI are set; set exactly one"
                    : "neither sql nor jarURI is set; set exactly one"));
        }
        if (jar && !job.getJarURI().startsWith("local://")) {
            errors.add(new FieldError("spec.job.jarURI",
                    "'" + job.getJarURI() + "' is not supported; use local:///path/in/the/image.jar (baked into the image or mounted through spec.podTemplate)"));
        }
        if (job.getEntryClass() != null && !jar) {
            errors.add(new FieldError("spec.job.entryClass", "needs spec.job.jarURI"));
        }
        if (job.getParallelism() == null || job.getParallelism() < 1 || job.getParallelism() > 32768) {
            errors.add(new FieldError("spec.job.parallelism",
                    "must be between 1 and 32768, got " + job.getParallelism()));
        }
        if (job.getState() == null) {
            errors.add(new FieldError("spec.job.state", "unsupported value; use running or suspended"));
        }
        if (job.getUpgradeMode() == null) {
            errors.add(new FieldError("spec.job.upgradeMode",
                    "unsupported value; use savepoint, last-state or stateless"));
        }
    }

    private static void validateSavepoints(SavepointsSpec savepoints, List<FieldError> errors) {
        if (savepoints == null) {
            return;
        }
        if (savepoints.getTimeout() != null) {
            duration("spec.savepoints.timeout", savepoints.getTimeout(), errors);
        }
        if (savepoints.getInterval() != null) {
            duration("spec.savepoints.interval", savepoints.getInterval(), errors);
        }
        if (savepoints.getMaxAge() != null) {
            duration("spec.savepoints.maxAge", savepoints.getMaxAge(), errors);
        }
        if (savepoints.getMaxCount() != null && (savepoints.getMaxCount() < 1 || savepoints.getMaxCount() > 100)) {
            errors.add(new FieldError("spec.savepoints.maxCount", "must be between 1 and 100, got " + savepoints.getMaxCount()));
        }
    }

    private static void validateKafkaSources(List<KafkaSourceSpec> sources, List<FieldError> errors) {
        if (sources == null) {
            return;
        }
        for (int i = 0; i < sources.size(); i++) {
            KafkaSourceSpec source = sources.get(i);
            String field = "spec.kafkaSources[" + i + "]";
            if (source.getBootstrapServers() == null || source.getBootstrapServers().isBlank()) {
                errors.add(new FieldError(field + ".bootstrapServers", "required"));
            }
            if (source.getConsumerGroup() == null || source.getConsumerGroup().isBlank()) {
                errors.add(new FieldError(field + ".consumerGroup", "required"));
            }
            if (source.getTopics() == null || source.getTopics().isEmpty()) {
                errors.add(new FieldError(field + ".topics", "list at least one topic"));
            } else if (source.getTopics().stream().anyMatch(t -> t == null || t.isBlank())) {
                errors.add(new FieldError(field + ".topics", "a topic name is empty"));
            }
            if (source.getCredentialsSecret() != null && (source.getCredentialsSecret().getName() == null
                    || source.getCredentialsSecret().getName().isBlank())) {
                errors.add(new FieldError(field + ".credentialsSecret.name", "required"));
            }
        }
    }

    private static void validateRecovery(RecoverySpec recovery, List<FieldError> errors) {
        if (recovery == null) {
            return;
        }
        duration("spec.recovery.window", recovery.getWindow(), errors);
        duration("spec.recovery.initialBackoff", recovery.getInitialBackoff(), errors);
        duration("spec.recovery.maxBackoff", recovery.getMaxBackoff(), errors);
        duration("spec.recovery.jobManagerGracePeriod", recovery.getJobManagerGracePeriod(), errors);
        duration("spec.recovery.taskManagerGracePeriod", recovery.getTaskManagerGracePeriod(), errors);
        duration("spec.recovery.restartingTimeout", recovery.getRestartingTimeout(), errors);
        if (recovery.getCheckpointProgressTimeout() != null) {
            duration("spec.recovery.checkpointProgressTimeout", recovery.getCheckpointProgressTimeout(), errors);
        }
        if (recovery.getMaxRestarts() == null || recovery.getMaxRestarts() < 0 || recovery.getMaxRestarts() > 1000) {
            errors.add(new FieldError("spec.recovery.maxRestarts", "must be between 0 and 1000, got "
                    + recovery.getMaxRestarts()));
        }
    }

    private static void duration(String field, String value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "required"));
            return;
        }
        try {
            if (Durations.parse(value).isZero()) {
                errors.add(new FieldError(field, "must be longer than zero"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
        }
    }

    private static void validateCheckpointing(CheckpointingSpec checkpointing, List<FieldError> errors) {
        if (checkpointing == null) {
            return;
        }
        if (checkpointing.getInterval() == null || !DURATION.matcher(checkpointing.getInterval()).matches()) {
            errors.add(new FieldError("spec.checkpointing.interval",
                    "'" + checkpointing.getInterval() + "' is not a duration like 10s, 500ms or 2min"));
        }
        if (checkpointing.getTimeout() == null || !DURATION.matcher(checkpointing.getTimeout()).matches()) {
            errors.add(new FieldError("spec.checkpointing.timeout",
                    "'" + checkpointing.getTimeout() + "' is not a duration like 10min"));
        }
        if (checkpointing.getMode() == null) {
            errors.add(new FieldError("spec.checkpointing.mode", "unsupported value; use EXACTLY_ONCE or AT_LEAST_ONCE"));
        }
        if (checkpointing.getRetained() == null || checkpointing.getRetained() < 1 || checkpointing.getRetained() > 100) {
            errors.add(new FieldError("spec.checkpointing.retained",
                    "must be between 1 and 100, got " + checkpointing.getRetained()));
        }
    }

    private static void validateStorage(StreamJob job, OperatorConfig config,
            Function<String, Optional<Secret>> secrets, List<FieldError> errors) {
        ResolvedStorage storage = ResolvedStorage.of(job, config);
        if (storage.endpoint().isEmpty()) {
            errors.add(new FieldError("spec.storage.endpoint",
                    "required: checkpoints always go to S3, and the operator has no default endpoint"));
        }
        if (storage.bucket().isEmpty()) {
            errors.add(new FieldError("spec.storage.bucket",
                    "required: checkpoints always go to S3, and the operator has no default bucket"));
        }
        Optional<SecretKeysReference> reference = storage.credentials();
        if (reference.isEmpty()) {
            errors.add(new FieldError("spec.storage.credentialsSecret",
                    "required: the S3 credentials come from a Secret, and the operator has no default"));
            return;
        }
        String name = reference.get().getName();
        Optional<Secret> secret = name == null ? Optional.empty() : secrets.apply(name);
        if (secret.isEmpty()) {
            errors.add(new FieldError("spec.storage.credentialsSecret.name",
                    "Secret '" + name + "' not found in namespace " + job.getMetadata().getNamespace()));
            return;
        }
        for (String key : List.of(keyOr(reference.get().getAccessKeyKey(), SecretKeysReference.DEFAULT_ACCESS_KEY_KEY),
                keyOr(reference.get().getSecretKeyKey(), SecretKeysReference.DEFAULT_SECRET_KEY_KEY))) {
            if (!hasKey(secret.get(), key)) {
                errors.add(new FieldError("spec.storage.credentialsSecret",
                        "Secret '" + name + "' has no key '" + key + "'"));
            }
        }
    }

    private static boolean hasKey(Secret secret, String key) {
        return (secret.getData() != null && secret.getData().containsKey(key))
                || (secret.getStringData() != null && secret.getStringData().containsKey(key));
    }

    private static String keyOr(String key, String fallback) {
        return key == null || key.isBlank() ? fallback : key;
    }

    private static void validateResources(StreamJobSpec spec, OperatorConfig config, List<FieldError> errors) {
        validateMemory("spec.jobManager.memory", () -> FlinkConfig.jobManagerMemory(spec, config), errors);
        validateMemory("spec.taskManager.memory", () -> FlinkConfig.taskManagerMemory(spec, config), errors);
        if (spec.getTaskManager() != null && spec.getTaskManager().getSlots() != null
                && (spec.getTaskManager().getSlots() < 1 || spec.getTaskManager().getSlots() > 256)) {
            errors.add(new FieldError("spec.taskManager.slots",
                    "must be between 1 and 256, got " + spec.getTaskManager().getSlots()));
        }
    }

    private static void validateMemory(String path, java.util.function.Supplier<Quantity> memory, List<FieldError> errors) {
        try {
            BigDecimal bytes = Quantity.getAmountInBytes(memory.get());
            if (bytes.compareTo(Quantity.getAmountInBytes(MIN_PROCESS_MEMORY)) < 0) {
                errors.add(new FieldError(path, "must be at least " + MIN_PROCESS_MEMORY
                        + " (the smallest Flink process Flink's memory model accepts), got " + memory.get()));
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            errors.add(new FieldError(path, "not a Kubernetes quantity: " + memory.get()));
        }
    }

    private static void validateFlinkConfiguration(Map<String, String> conf, List<FieldError> errors) {
        if (conf == null) {
            return;
        }
        conf.forEach((key, value) -> {
            String owner = FlinkConfig.OWNED_KEYS.get(key);
            if (owner != null) {
                errors.add(new FieldError("spec.flinkConfiguration[" + key + "]",
                        "set by " + owner + (owner.startsWith("spec.") ? "; set that field instead" : "")));
            } else if (value == null) {
                errors.add(new FieldError("spec.flinkConfiguration[" + key + "]", "has no value"));
            }
        });
    }
}
