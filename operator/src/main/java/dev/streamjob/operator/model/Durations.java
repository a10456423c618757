package dev.streamjob.operator.model;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations of StreamJob fields: digits, an optional space and a unit of ms, s, min,
 * m (minutes), h or d, the syntax the CRD's patterns accept (a subset of Flink's duration syntax).
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("^([0-9]+) ?(ms|s|min|m|h|d)$");

    private Durations() {
    }

    /**
     * The duration of a field value.
     *
     * @throws IllegalArgumentException if the value does not have the syntax above
     */
    public static Duration parse(String value) {
        Matcher m = DURATION.matcher(value == null ? "" : value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a duration like 30s, 10min, 6h or 7d");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "min", "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
