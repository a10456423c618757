package dev.streamjob.testbed;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Rewrites container paths to local paths inside strings (a command, an argument such as
 * {@code -Dx=/opt/flink/conf}, an environment value such as {@code a:/opt/flink/lib}).
 *
 * <p>A container path matches only as a whole path prefix: it must not be preceded by a path
 * character (so {@code /x/opt/flink} is left alone) and must be followed by {@code /}, the end,
 * or a character that cannot continue a path name (so {@code /opt/flink-1} is left alone). The
 * longest container path wins, so a mount at {@code /opt/flink/conf} takes precedence over a
 * mapping of {@code /opt/flink}.
 */
final class PathMapping {

    private final Map<String, Path> localByContainerPath;
    private final Pattern pattern;

    /**
     * @param localByContainerPath absolute container path to local path
     * @throws IllegalArgumentException if a container path is not absolute or is {@code /}
     */
    PathMapping(Map<String, Path> localByContainerPath) {
        Map<String, Path> normalized = new LinkedHashMap<>();
        localByContainerPath.forEach((containerPath, local) -> normalized.put(normalize(containerPath), local));
        this.localByContainerPath = Map.copyOf(normalized);
        List<String> longestFirst = normalized.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .collect(Collectors.toList());
        this.pattern = longestFirst.isEmpty() ? null : Pattern.compile("(?<![\\w.\\-/])("
                + longestFirst.stream().map(Pattern::quote).collect(Collectors.joining("|"))
                + ")(?![\\w.\\-])");
    }

    /** {@code value} with every container path replaced by its local path. */
    String apply(String value) {
        if (pattern == null) {
            return value;
        }
        Matcher matcher = pattern.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String local = localByContainerPath.get(matcher.group(1)).toString();
            matcher.appendReplacement(out, Matcher.quoteReplacement(local));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String normalize(String containerPath) {
        String path = containerPath.endsWith("/") ? containerPath.substring(0, containerPath.length() - 1)
                : containerPath;
        if (!path.startsWith("/") || path.isEmpty()) {
            throw new IllegalArgumentException("container path must be absolute and not '/': " + containerPath);
        }
        return path;
    }
}
