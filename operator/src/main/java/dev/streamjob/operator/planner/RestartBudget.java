package dev.streamjob.operator.planner;

import dev.streamjob.operator.api.v1alpha1.RecoverySpec;
import dev.streamjob.operator.api.v1alpha1.RestartHistory;
import dev.streamjob.operator.model.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a failed job may be restarted now ({@code spec.recovery}), without I/O: at most
 * {@code maxRestarts} restarts within the sliding {@code window}; the first at once, each further
 * one {@code initialBackoff × 2^(n-1)} (at most {@code maxBackoff}) after the previous one, where
 * n is the number of restarts already in the window. The same scheme as Kubernetes' crash-loop
 * backoff, with a budget on top.
 */
public final class RestartBudget {

    private RestartBudget() {
    }

    /** The answer for a failed job. */
    public sealed interface Decision {
    }

    /**
     * Restart now.
     *
     * @param attempt the number this restart has within the window, from 1
     */
    public record RestartNow(int attempt) implements Decision {
    }

    /**
     * Not before {@code at}: the backoff after the previous restart runs until then.
     *
     * @param at the earliest time of the next restart
     */
    public record Wait(Instant at) implements Decision {
    }

    /**
     * No more restarts: {@code restarts} within {@code window} used the budget up.
     *
     * @param restarts restarts in the window
     * @param window the window
     */
    public record Exhausted(int restarts, Duration window) implements Decision {
    }

    /**
     * Decides for a job observed failed at {@code now}.
     *
     * @throws IllegalArgumentException if a duration of {@code spec} is malformed (the validator
     *     rejects such a spec before this is asked)
     */
    public static Decision decide(RestartHistory history, RecoverySpec spec, Instant now) {
        List<Instant> recent = recent(history, Durations.parse(spec.getWindow()), now);
        int max = spec.getMaxRestarts() == null ? 0 : spec.getMaxRestarts();
        if (recent.size() >= max) {
            return new Exhausted(recent.size(), Durations.parse(spec.getWindow()));
        }
        if (recent.isEmpty()) {
            return new RestartNow(1);
        }
        Instant at = recent.get(0).plus(backoff(recent.size(), spec));
        return now.isBefore(at) ? new Wait(at) : new RestartNow(recent.size() + 1);
    }

    /**
     * The wait after the n-th restart of the window before the next one:
     * {@code initialBackoff × 2^(n-1)}, at most {@code maxBackoff}.
     */
    static Duration backoff(int restartsInWindow, RecoverySpec spec) {
        Duration initial = Durations.parse(spec.getInitialBackoff());
        Duration max = Durations.parse(spec.getMaxBackoff());
        Duration wait = initial;
        for (int i = 1; i < restartsInWindow && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    /**
     * The history with a restart at {@code now} added; restarts that left the window are dropped.
     *
     * @param reason CamelCase reason of the restart
     * @param message what was observed
     */
    public static RestartHistory record(RestartHistory history, RecoverySpec spec, Instant now, String reason,
            String message) {
        List<String> recent = new ArrayList<>();
        recent.add(now.truncatedTo(ChronoUnit.SECONDS).toString());
        recent(history, Durations.parse(spec.getWindow()), now).stream().map(Instant::toString).forEach(recent::add);
        int count = (history.count() == null ? 0 : history.count()) + 1;
        return new RestartHistory(count, List.copyOf(recent), recent.get(0), reason, message);
    }

    /** The restarts within the window before {@code now}, newest first. */
    private static List<Instant> recent(RestartHistory history, Duration window, Instant now) {
        Instant since = now.minus(window);
        return (history.recent() == null ? List.<String>of() : history.recent()).stream()
                .map(Instant::parse)
                .filter(t -> t.isAfter(since))
                .sorted(Comparator.reverseOrder())
                .toList();
    }
}
