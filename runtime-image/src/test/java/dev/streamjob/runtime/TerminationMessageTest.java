package dev.streamjob.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessageTest {

    @TempDir
    Path dir;

    @Test
    void writesOneParagraph() throws Exception {
        Path file = dir.resolve("termination-log");
        TerminationMessage message = TerminationMessage.fromEnvironment(
                Map.of(TerminationMessage.PATH_VARIABLE, file.toString()));

        assertThat(message.write("statement 2 (line 3): Could not find any factory.\n\nAvailable:\n\nblackhole\ndatagen\n"))
                .isTrue();

        assertThat(Files.readString(file))
                .isEqualTo("statement 2 (line 3): Could not find any factory. Available: blackhole datagen");
    }

    @Test
    void truncatesToKubernetesLimitWithoutSplittingCharacters() {
        String message = "é".repeat(3000); // 2 bytes each in UTF-8

        String truncated = TerminationMessage.truncate(message);

        assertThat(truncated.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
        assertThat(truncated).endsWith(" ...").startsWith("éé");
        assertThat(truncated.replace(" ...", "")).matches("é+");
        assertThat(TerminationMessage.truncate("short")).isEqualTo("short");
    }

    @Test
    void defaultPathIsUsedOnlyWhenKubernetesProvidesIt() {
        TerminationMessage message = TerminationMessage.fromEnvironment(Map.of());

        assertThat(message.path()).isEqualTo(TerminationMessage.DEFAULT_PATH);
        if (!Files.exists(TerminationMessage.DEFAULT_PATH)) {
            assertThat(message.write("boom")).isFalse();
            assertThat(TerminationMessage.DEFAULT_PATH).doesNotExist();
        }
    }
}
