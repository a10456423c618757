package dev.streamjob.runtime;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.GlobalConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The configuration directory the Flink process reads, staged in a writable directory: in
 * Kubernetes {@code FLINK_CONF_DIR} is a read-only ConfigMap mount, and the launcher must add
 * overrides and credentials to it.
 *
 * <p>The staged {@code config.yaml} layers, later entries winning:
 *
 * <ol>
 *   <li>the launcher's own defaults (paths inside the work directory);
 *   <li>the image defaults, {@code $FLINK_HOME/conf/config.yaml};
 *   <li>{@code $FLINK_CONF_DIR/config.yaml};
 *   <li>the launcher's {@code -D key=value} overrides;
 *   <li>{@code s3.access-key} / {@code s3.secret-key} from {@link S3Credentials}.
 * </ol>
 *
 * The other files of both directories (log4j-console.properties, job.sql ...) are copied too,
 * those of {@code FLINK_CONF_DIR} winning. The file is written with Flink's own YAML writer
 * ({@link ConfigurationUtils#convertConfigToWritableLines}, flat keys), readable only by its owner.
 *
 * @param confDir the staged directory, to pass to Flink as {@code --configDir} and {@code
 *     FLINK_CONF_DIR}
 * @param configuration the merged configuration, exactly as Flink will load it from {@code
 *     confDir}
 */
public record StagedConfiguration(Path confDir, Configuration configuration) {

    private static final String CONFIG_FILE = GlobalConfiguration.FLINK_CONF_FILENAME;

    /**
     * Stages the configuration directory.
     *
     * @param imageConfDir the image's default configuration directory ({@code $FLINK_HOME/conf})
     * @param confDir the configuration directory to run with ({@code FLINK_CONF_DIR}); may be the
     *     same as {@code imageConfDir}
     * @param defaults values used only where no configuration file sets the key
     * @param overrides the {@code -D} overrides, in command-line order
     * @param credentials object store credentials, written only to the file
     * @param targetDir where to stage; created, and emptied if it exists
     * @return the staged directory and the merged configuration
     * @throws IOException if a file cannot be read or written, or {@code targetDir} holds one of
     *     the configuration directories
     * @throws org.apache.flink.configuration.IllegalConfigurationException if a config.yaml is not
     *     valid YAML
     */
    public static StagedConfiguration stage(
            Path imageConfDir,
            Path confDir,
            Map<String, String> defaults,
            Map<String, String> overrides,
            S3Credentials credentials,
            Path targetDir)
            throws IOException {
        List<Path> layers = new ArrayList<>();
        if (!sameDirectory(imageConfDir, confDir)) {
            layers.add(imageConfDir);
        }
        layers.add(confDir);
        for (Path layer : layers) {
            if (layer.toAbsolutePath().normalize().startsWith(targetDir.toAbsolutePath().normalize())) {
                throw new IOException("staging into " + targetDir + " would delete the configuration in " + layer);
            }
        }

        recreateDirectory(targetDir);
        Configuration configuration = new Configuration();
        defaults.forEach(configuration::setString);
        for (Path layer : layers) {
            copyFilesExceptConfig(layer, targetDir);
            configuration.addAll(load(layer));
        }
        overrides.forEach(configuration::setString);
        credentials.asFlinkOptions().forEach(configuration::setString);

        write(configuration, targetDir.resolve(CONFIG_FILE), layers);
        return new StagedConfiguration(targetDir, configuration);
    }

    /** Loads {@code dir/config.yaml} with Flink's parser; an empty configuration if there is none. */
    private static Configuration load(Path dir) {
        if (!Files.isRegularFile(dir.resolve(CONFIG_FILE))) {
            return new Configuration();
        }
        return GlobalConfiguration.loadConfiguration(dir.toString());
    }

    /**
     * Copies the regular files of {@code from} (following symbolic links, as ConfigMap mounts use
     * them) except config.yaml and hidden entries such as the ConfigMap's {@code ..data}.
     */
    private static void copyFilesExceptConfig(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException("configuration directory " + from + " does not exist");
        }
        try (Stream<Path> entries = Files.list(from)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") || name.equals(CONFIG_FILE) || !Files.isRegularFile(entry)) {
                    continue;
                }
                Files.copy(entry, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void write(Configuration configuration, Path file, List<Path> layers)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Written by the StreamJob launcher from launcher defaults, " + layers
                + ", -D overrides and S3 credentials. Do not edit.");
        // One entry per key (multi-line values stay in one entry), sorted for a stable file.
        ConfigurationUtils.convertConfigToWritableLines(configuration, true).stream()
                .sorted()
                .forEach(lines::add);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static void recreateDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> tree = Files.walk(dir)) {
                tree.sorted(Comparator.reverseOrder())
                        .filter(path -> !path.equals(dir))
                        .forEach(StagedConfiguration::delete);
            }
        }
        Files.createDirectories(dir);
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean sameDirectory(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) {
            return Files.isSameFile(a, b);
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
