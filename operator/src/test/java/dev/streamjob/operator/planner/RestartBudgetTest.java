package dev.streamjob.operator.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.operator.api.v1alpha1.RecoverySpec;
import dev.streamjob.operator.api.v1alpha1.RestartHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBudgetTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private static RecoverySpec spec(int maxRestarts) {
        RecoverySpec spec = new RecoverySpec();
        spec.setMaxRestarts(maxRestarts);
        spec.setWindow("1h");
        spec.setInitialBackoff("10s");
        spec.setMaxBackoff("1min");
        return spec;
    }

    /** A history with restarts the given number of seconds before NOW. */
    private static RestartHistory restartsAgo(long... secondsAgo) {
        List<String> times = java.util.Arrays.stream(secondsAgo).mapToObj(s -> NOW.minusSeconds(s).toString()).toList();
        return new RestartHistory(times.size(), times, times.isEmpty() ? null : times.get(0), "JobFailed", "x");
    }

    @Test
    void theFirstRestartIsImmediate() {
        assertThat(RestartBudget.decide(RestartHistory.NONE, spec(5), NOW)).isEqualTo(new RestartBudget.RestartNow(1));
    }

    @Test
    void eachFurtherRestartWaitsTwiceAsLongUpToTheMaximum() {
        // one restart 4 s ago: the next waits 10 s after it
        assertThat(RestartBudget.decide(restartsAgo(4), spec(5), NOW)).isEqualTo(new RestartBudget.Wait(NOW.plusSeconds(6)));
        assertThat(RestartBudget.decide(restartsAgo(10), spec(5), NOW)).isEqualTo(new RestartBudget.RestartNow(2));
        // two restarts: 20 s after the newest; three: 40 s; four: 80 s, capped at 60 s
        assertThat(RestartBudget.decide(restartsAgo(19, 100), spec(9), NOW)).isEqualTo(new RestartBudget.Wait(NOW.plusSeconds(1)));
        assertThat(RestartBudget.decide(restartsAgo(39, 100, 200), spec(9), NOW)).isEqualTo(new RestartBudget.Wait(NOW.plusSeconds(1)));
        assertThat(RestartBudget.decide(restartsAgo(59, 100, 200, 300), spec(9), NOW)).isEqualTo(new RestartBudget.Wait(NOW.plusSeconds(1)));
        assertThat(RestartBudget.decide(restartsAgo(60, 100, 200, 300), spec(9), NOW)).isEqualTo(new RestartBudget.RestartNow(5));
        assertThat(RestartBudget.backoff(1, spec(9))).isEqualTo(Duration.ofSeconds(10));
        assertThat(RestartBudget.backoff(3, spec(9))).isEqualTo(Duration.ofSeconds(40));
        assertThat(RestartBudget.backoff(30, spec(9))).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theBudgetIsUsedUpByMaxRestartsWithinTheWindow() {
        assertThat(RestartBudget.decide(restartsAgo(100, 200, 300), spec(3), NOW))
                .isEqualTo(new RestartBudget.Exhausted(3, Duration.ofHours(1)));
        // the oldest left the window: one restart is free again
        assertThat(RestartBudget.decide(restartsAgo(100, 200, 3601), spec(3), NOW)).isEqualTo(new RestartBudget.RestartNow(3));
        assertThat(RestartBudget.decide(RestartHistory.NONE, spec(0), NOW))
                .isEqualTo(new RestartBudget.Exhausted(0, Duration.ofHours(1)));
    }

    @Test
    void recordingARestartCountsItAndForgetsTheOnesOutsideTheWindow() {
        RestartHistory history = RestartBudget.record(restartsAgo(100, 4000), spec(5), NOW, "JobManagerFailed", "exit 1");

        assertThat(history.count()).isEqualTo(3);
        assertThat(history.recent()).containsExactly(NOW.toString(), NOW.minusSeconds(100).toString());
        assertThat(history.lastTime()).isEqualTo(NOW.toString());
        assertThat(history.lastReason()).isEqualTo("JobManagerFailed");
        assertThat(history.lastMessage()).isEqualTo("exit 1");
    }
}
