package dev.streamjob.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The container's termination message: a short text Kubernetes shows in the pod status
 * ({@code state.terminated.message}) after the container exits. Kubernetes reads it from the file
 * {@code terminationMessagePath} (default {@code /dev/termination-log}) and keeps at most 4096
 * bytes of it (see "Determine the Reason for Pod Failure" in the Kubernetes documentation).
 *
 * <p>The file comes from {@code STREAMJOB_TERMINATION_LOG}. When that variable is unset the
 * default path is used only if it exists, as it does in a Kubernetes container, so that local runs
 * do not create {@code /dev/termination-log}.
 */
public final class TerminationMessage {

    /** The most bytes (UTF-8) Kubernetes keeps of a container's termination message. */
    public static final int MAX_BYTES = 4096;

    /** The environment variable naming the termination message file. */
    public static final String PATH_VARIABLE = "STREAMJOB_TERMINATION_LOG";

    /** Kubernetes' default {@code terminationMessagePath}. */
    public static final Path DEFAULT_PATH = Path.of("/dev/termination-log");

    private static final String ELLIPSIS = " ...";

    private final Path path;
    private final boolean createIfMissing;

    private TerminationMessage(Path path, boolean createIfMissing) {
        this.path = path;
        this.createIfMissing = createIfMissing;
    }

    /** The termination message file named by {@code STREAMJOB_TERMINATION_LOG}, or the default. */
    public static TerminationMessage fromEnvironment(Map<String, String> env) {
        String configured = env.get(PATH_VARIABLE);
        if (configured == null || configured.isBlank()) {
            return new TerminationMessage(DEFAULT_PATH, false);
        }
        return new TerminationMessage(Path.of(configured), true);
    }

    /** The file this message is written to. */
    public Path path() {
        return path;
    }

    /**
     * Writes the message as one paragraph (line breaks and runs of blanks become one space),
     * truncated to {@link #MAX_BYTES}. Never throws: a message that cannot be written is reported on
     * standard error, since the process is failing anyway.
     *
     * @return whether the file was written
     */
    public boolean write(String message) {
        if (!createIfMissing && !Files.exists(path)) {
            return false;
        }
        try {
            Files.writeString(path, truncate(oneParagraph(message)), StandardCharsets.UTF_8);
            return true;
        } catch (IOException | RuntimeException e) {
            System.err.println("streamjob: could not write the termination message to " + path + ": " + e);
            return false;
        }
    }

    /** Joins the lines of a message into one paragraph: every run of whitespace becomes one space. */
    public static String oneParagraph(String message) {
        return message.strip().replaceAll("\\s+", " ");
    }

    /**
     * Cuts a message to at most {@link #MAX_BYTES} UTF-8 bytes, ending it with {@code " ..."} when
     * cut, and never splitting a character.
     */
    public static String truncate(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return message;
        }
        int budget = MAX_BYTES - ELLIPSIS.length();
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int offset = 0; offset < message.length(); ) {
            int codePoint = message.codePointAt(offset);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > budget) {
                break;
            }
            kept.appendCodePoint(codePoint);
            used += size;
            offset += Character.charCount(codePoint);
        }
        return kept.append(ELLIPSIS).toString();
    }
}
