package dev.streamjob.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** A FLINK_HOME for unit tests: the image's real conf/ (src/main/flink/conf) and placeholder jars. */
final class FlinkHomeFixture {

    private FlinkHomeFixture() {}

    /** Creates {@code dir/flink} with conf/, lib/ (two empty jars) and plugins/. */
    static Path create(Path dir) throws IOException {
        Path home = dir.resolve("flink");
        Path conf = Files.createDirectories(home.resolve("conf"));
        try (var files = Files.list(Path.of("src/main/flink/conf"))) {
            for (Path file : files.toList()) {
                Files.copy(file, conf.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path lib = Files.createDirectories(home.resolve("lib"));
        Files.createFile(lib.resolve("flink-runtime-2.3.0.jar"));
        Files.createFile(lib.resolve("streamjob-launcher.jar"));
        Files.createDirectories(home.resolve("plugins"));
        return home;
    }

    /** Writes {@code entries} as a flat config.yaml into {@code dir}, creating it. */
    static Path writeConfig(Path dir, Map<String, String> entries) throws IOException {
        Files.createDirectories(dir);
        StringBuilder yaml = new StringBuilder();
        entries.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        Files.writeString(dir.resolve("config.yaml"), yaml);
        return dir;
    }
}
