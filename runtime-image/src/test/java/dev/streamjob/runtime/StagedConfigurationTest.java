package dev.streamjob.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedConfigurationTest {

    private static final S3Credentials CREDENTIALS =
            new S3Credentials(Optional.of("AKIA-ACCESS"), Optional.of("s3cr3t-value"));

    @TempDir
    Path dir;

    @Test
    void layersImageDefaultsConfDirOverridesAndCredentials() throws Exception {
        Path home = FlinkHomeFixture.create(dir);
        Path confDir = FlinkHomeFixture.writeConfig(dir.resolve("configmap"), Map.of(
                "rest.port", "9091",
                "taskmanager.numberOfTaskSlots", "4",
                "s3.secret-key", "from-configmap"));

        StagedConfiguration staged = StagedConfiguration.stage(
                home.resolve("conf"), confDir, Map.of("user.artifacts.base-dir", "/work/artifacts", "rest.port", "1"),
                Map.of("taskmanager.numberOfTaskSlots", "2", "taskmanager.host", "10.1.2.3"),
                CREDENTIALS, dir.resolve("work/conf"));

        Map<String, String> config = staged.configuration().toMap();
        assertThat(config)
                .containsEntry("user.artifacts.base-dir", "/work/artifacts") // launcher default
                .containsEntry("blob.server.port", "6124") // image default
                .containsEntry("rest.port", "9091") // FLINK_CONF_DIR over launcher and image defaults
                .containsEntry("taskmanager.numberOfTaskSlots", "2") // -D over FLINK_CONF_DIR
                .containsEntry("taskmanager.host", "10.1.2.3")
                .containsEntry("s3.access-key", "AKIA-ACCESS") // credentials last
                .containsEntry("s3.secret-key", "s3cr3t-value");
        assertThat(config.get("env.java.default-opts.all")).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
    }

    @Test
    void flinkReadsBackExactlyTheMergedConfiguration() throws Exception {
        Path home = FlinkHomeFixture.create(dir);
        Path confDir = FlinkHomeFixture.writeConfig(dir.resolve("configmap"), Map.of(
                "pipeline.jars", "[a.jar, b.jar]",
                "env.java.opts.all", "'-Dtricky=\"a: b # not a comment\"'",
                "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"));

        StagedConfiguration staged = StagedConfiguration.stage(
                home.resolve("conf"), confDir, Map.of(), Map.of("kafka.note", "x: 'y' # z\nnext line"),
                CREDENTIALS, dir.resolve("work/conf"));

        Configuration reloaded = GlobalConfiguration.loadConfiguration(staged.confDir().toString());
        assertThat(reloaded.toMap()).isEqualTo(staged.configuration().toMap());
        assertThat(reloaded.toMap()).containsEntry("kafka.note", "x: 'y' # z\nnext line");
    }

    @Test
    void writesCredentialsOnlyToAnOwnerReadableFile() throws Exception {
        Path home = FlinkHomeFixture.create(dir);

        StagedConfiguration staged = StagedConfiguration.stage(
                home.resolve("conf"), home.resolve("conf"), Map.of(), Map.of(), CREDENTIALS, dir.resolve("work/conf"));

        Path file = staged.confDir().resolve("config.yaml");
        assertThat(Files.readString(file)).contains("s3.access-key: AKIA-ACCESS", "s3.secret-key: s3cr3t-value");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(CREDENTIALS.toString()).doesNotContain("AKIA-ACCESS", "s3cr3t-value");
    }

    @Test
    void copiesConfigMapFilesThroughSymlinksAndSkipsItsHiddenEntries() throws Exception {
        Path home = FlinkHomeFixture.create(dir);
        // The layout of a Kubernetes ConfigMap volume: files are links into a hidden ..data directory.
        Path configMap = Files.createDirectories(dir.resolve("configmap"));
        Path data = Files.createDirectories(configMap.resolve("..2026_01_01_00_00_00.000000001"));
        Files.writeString(data.resolve("config.yaml"), "parallelism.default: 3\n");
        Files.writeString(data.resolve("job.sql"), "INSERT INTO a SELECT 1;\n");
        Files.writeString(data.resolve("log4j-console.properties"), "rootLogger.level = WARN\n");
        Files.createSymbolicLink(configMap.resolve("..data"), data.getFileName());
        for (String name : new String[] {"config.yaml", "job.sql", "log4j-console.properties"}) {
            Files.createSymbolicLink(configMap.resolve(name), Path.of("..data", name));
        }
        Path target = dir.resolve("work/conf");
        Files.createDirectories(target);
        Files.writeString(target.resolve("stale.txt"), "from a previous start");

        StagedConfiguration staged = StagedConfiguration.stage(
                home.resolve("conf"), configMap, Map.of(), Map.of(), S3Credentials.NONE, target);

        try (var files = Files.list(staged.confDir())) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("config.yaml", "job.sql", "log4j-console.properties");
        }
        assertThat(Files.isSymbolicLink(target.resolve("job.sql"))).isFalse();
        assertThat(target.resolve("log4j-console.properties")).hasContent("rootLogger.level = WARN");
        assertThat(staged.configuration().toMap())
                .containsEntry("parallelism.default", "3")
                .doesNotContainKeys("s3.access-key", "s3.secret-key");
    }
}
