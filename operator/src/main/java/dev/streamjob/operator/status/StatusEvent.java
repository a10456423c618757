package dev.streamjob.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An event a person should see in {@code kubectl describe streamjob}, derived from a change of
 * the conditions so that a state is announced once, not at every reconcile.
 *
 * @param warning Warning (true) or Normal (false)
 * @param reason CamelCase reason
 * @param message what happened
 */
public record StatusEvent(boolean warning, String reason, String message) {

    /**
     * The events announcing the transition from {@code before} to {@code after}: a spec turning
     * invalid and a degradation are Warnings, the job becoming ready is Normal.
     */
    public static List<StatusEvent> between(List<Condition> before, List<Condition> after) {
        List<StatusEvent> events = new ArrayList<>();
        for (Condition now : after) {
            Optional<Condition> then = before == null ? Optional.empty()
                    : before.stream().filter(c -> c.getType().equals(now.getType())).findFirst();
            boolean changed = then.map(c -> !Objects.equals(c.getStatus(), now.getStatus())
                    || !Objects.equals(c.getReason(), now.getReason())).orElse(true);
            if (!changed) {
                continue;
            }
            boolean isTrue = "True".equals(now.getStatus());
            switch (ConditionType.valueOf(now.getType())) {
                case SpecValid -> {
                    if (!isTrue) {
                        events.add(new StatusEvent(true, now.getReason(), now.getMessage()));
                    }
                }
                case Degraded -> {
                    if (isTrue && !Reason.InvalidSpec.name().equals(now.getReason())) {
                        events.add(new StatusEvent(true, now.getReason(), now.getMessage()));
                    }
                }
                case Ready -> {
                    if (isTrue) {
                        events.add(new StatusEvent(false, now.getReason(), now.getMessage()));
                    }
                }
                default -> {
                }
            }
        }
        return events;
    }
}
