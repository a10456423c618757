package dev.streamjob.operator.validation;

/**
 * One problem with a StreamJob's spec.
 *
 * @param path the field, in the form {@code spec.job.parallelism} or {@code spec.flinkConfiguration[key]}
 * @param message what is wrong and what to do, for a person reading {@code kubectl describe}
 */
public record FieldError(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
