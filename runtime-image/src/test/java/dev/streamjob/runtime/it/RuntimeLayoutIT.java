package dev.streamjob.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/** The assembled FLINK_HOME (target/flink): layout, entry points, and each library once. */
class RuntimeLayoutIT {

    /** {@code <artifact>-<version>.jar}, the version being the first dash-separated part starting with a digit. */
    private static final Pattern VERSIONED_JAR = Pattern.compile("(?<artifact>.+?)-(?<version>\\d.*)\\.jar");

    private final Path home = ItEnvironment.flinkHome();

    @Test
    void hasTheImageLayout() throws IOException {
        assertThat(home.resolve("bin/launcher")).isRegularFile().isExecutable();
        assertThat(home.resolve("conf/config.yaml")).isRegularFile();
        assertThat(home.resolve("conf/log4j-console.properties")).isRegularFile();
        assertThat(home.resolve("lib/streamjob-launcher.jar")).isRegularFile();
        assertThat(home.resolve("plugins/s3-fs-hadoop/flink-s3-fs-hadoop-2.3.0.jar")).isRegularFile();
        try (Stream<Path> plugin = Files.list(home.resolve("plugins/s3-fs-hadoop"))) {
            assertThat(plugin).hasSize(1);
        }
        assertThat(home.resolve("usrlib")).isEmptyDirectory();
    }

    @Test
    void libHasTheEntryPointsAndConnectors() throws IOException {
        Map<String, String> classes = classesInLib();

        assertThat(classes).containsKeys(
                "org/apache/flink/container/entrypoint/StandaloneApplicationClusterEntryPoint.class",
                "org/apache/flink/runtime/taskexecutor/TaskManagerRunner.class",
                "dev/streamjob/runtime/Launcher.class",
                "dev/streamjob/runtime/sql/SqlJob.class",
                "org/apache/flink/table/planner/loader/PlannerModule.class",
                "org/apache/flink/streaming/connectors/kafka/table/KafkaDynamicTableFactory.class",
                "org/apache/flink/formats/json/JsonFormatFactory.class",
                "org/apache/kafka/clients/producer/KafkaProducer.class",
                "org/apache/logging/slf4j/Log4jLoggerFactory.class");
    }

    @Test
    void libHoldsEachLibraryOnce() throws IOException {
        Map<String, List<String>> jarsByArtifact = new TreeMap<>();
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            for (Path jar : jars.toList()) {
                String name = jar.getFileName().toString();
                Matcher versioned = VERSIONED_JAR.matcher(name);
                String artifact = versioned.matches() ? versioned.group("artifact") : name;
                jarsByArtifact.computeIfAbsent(artifact, key -> new ArrayList<>()).add(name);
            }
        }
        assertThat(jarsByArtifact).allSatisfy((artifact, jars) ->
                assertThat(jars).as("versions of %s in lib/", artifact).hasSize(1));

        // Also no class in two jars (a library relocated to new coordinates would pass the name check).
        Map<String, List<String>> duplicates = new TreeMap<>();
        Map<String, String> seen = new HashMap<>();
        forEachClassInLib((clazz, jar) -> {
            String other = seen.putIfAbsent(clazz, jar);
            if (other != null) {
                duplicates.computeIfAbsent(clazz, key -> new ArrayList<>(List.of(other))).add(jar);
            }
        });
        assertThat(duplicates).as("classes found in more than one jar of lib/").isEmpty();
    }

    private Map<String, String> classesInLib() throws IOException {
        Map<String, String> classes = new HashMap<>();
        forEachClassInLib(classes::put);
        return classes;
    }

    private void forEachClassInLib(java.util.function.BiConsumer<String, String> action) throws IOException {
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            for (Path jar : jars.sorted().toList()) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    zip.stream()
                            .map(ZipEntry::getName)
                            .filter(name -> name.endsWith(".class"))
                            .filter(name -> !name.startsWith("META-INF/") && !name.endsWith("module-info.class"))
                            .forEach(name -> action.accept(name, jar.getFileName().toString()));
                }
            }
        }
    }
}
