package dev.streamjob.testbed;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodProcessTest {

    @TempDir
    Path files;

    @TempDir
    Path runtime;

    private static final Secret CREDENTIALS = new SecretBuilder()
            .withNewMetadata().withName("s3-credentials").endMetadata()
            .withData(Map.of("secret-key", base64("s3cr3t"), "access-key", base64("minio")))
            .build();

    private static final ConfigMap FLINK_CONFIG = new ConfigMapBuilder()
            .withNewMetadata().withName("demo-config").endMetadata()
            .withData(Map.of(
                    "config.yaml", "jobmanager.rpc.port: 6123\n",
                    "log4j-console.properties", "rootLogger.level = INFO\n",
                    "launch.sh", "#!/bin/sh\necho launched\n",
                    "unused", "not listed in items"))
            .build();

    /** A JobManager-like pod exercising every translated feature. */
    private static Pod jobManagerPod() {
        return new PodBuilder()
                .withNewMetadata()
                    .withName("demo-jobmanager-7c9f")
                    .withNamespace("flink-jobs")
                    .withLabels(Map.of("app", "demo"))
                .endMetadata()
                .withNewSpec()
                    .withTerminationGracePeriodSeconds(5L)
                    .addNewVolume().withName("flink-config")
                        .withNewConfigMap().withName("demo-config")
                            .addNewItem().withKey("config.yaml").withPath("config.yaml").endItem()
                            .addNewItem().withKey("launch.sh").withPath("bin/launch.sh").withMode(0755).endItem()
                            .addNewItem().withKey("log4j-console.properties").withPath("log4j-console.properties")
                            .endItem()
                        .endConfigMap()
                    .endVolume()
                    .addNewVolume().withName("credentials")
                        .withNewSecret().withSecretName("s3-credentials").endSecret()
                    .endVolume()
                    .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                    .addNewContainer()
                        .withName("jobmanager")
                        .withCommand("/opt/flink/bin/launcher")
                        .withArgs("jobmanager", "--conf-dir", "$(FLINK_CONF_DIR)", "--rest-address", "$(POD_IP)",
                                "--literal", "$$(POD_IP)", "--unknown", "$(NOT_DEFINED)")
                        .addNewEnv().withName("FLINK_CONF_DIR").withValue("/opt/flink/conf").endEnv()
                        .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                            .withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                        .addNewEnv().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
                            .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
                        .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef()
                            .withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
                        .addNewEnv().withName("APP_LABEL").withNewValueFrom().withNewFieldRef()
                            .withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().endEnv()
                        .addNewEnv().withName("REST_URL").withValue("http://$(POD_IP):8081").endEnv()
                        .addNewEnv().withName("S3_SECRET_KEY").withNewValueFrom().withNewSecretKeyRef()
                            .withName("s3-credentials").withKey("secret-key").endSecretKeyRef().endValueFrom().endEnv()
                        .addNewEnv().withName("JAVA_OPTS").withValue("-Dlog.file=/opt/flink/log/jm.log").endEnv()
                        .addNewEnv().withName("MEMORY_MIB").withNewValueFrom().withNewResourceFieldRef()
                            .withResource("limits.memory").withDivisor(new Quantity("1Mi"))
                            .endResourceFieldRef().endValueFrom().endEnv()
                        .withNewResources().withLimits(Map.of("memory", new Quantity("1536Mi"))).endResources()
                        .addNewVolumeMount().withName("flink-config").withMountPath("/opt/flink/conf").endVolumeMount()
                        .addNewVolumeMount().withName("flink-config").withMountPath("/opt/flink/launch.sh")
                            .withSubPath("bin/launch.sh").endVolumeMount()
                        .addNewVolumeMount().withName("credentials").withMountPath("/etc/s3").endVolumeMount()
                        .addNewVolumeMount().withName("scratch").withMountPath("/tmp/flink").endVolumeMount()
                        .withTerminationMessagePath("/dev/termination-log")
                    .endContainer()
                .endSpec()
                .build();
    }

    private PodProcess.Builder jobManager() {
        return PodProcess.builder(jobManagerPod(), "jobmanager")
                .secrets(List.of(CREDENTIALS))
                .configMaps(List.of(FLINK_CONFIG))
                .mapPath("/opt/flink", runtime)
                .filesDirectory(files);
    }

    @Test
    void translatesCommandArgsAndEnvironment() {
        PodProcess.Launch launch = jobManager()
                .extraArgs("--rest-port", "18081")
                .extraEnv("REST_PORT", "18081")
                .prepare();
        Path config = launch.mounts().get("/opt/flink/conf");

        assertEquals(List.of(runtime.resolve("bin/launcher").toString(), "jobmanager", "--conf-dir", config.toString(),
                "--rest-address", "127.0.0.1", "--literal", "$(POD_IP)", "--unknown", "$(NOT_DEFINED)",
                "--rest-port", "18081"), launch.command());

        Map<String, String> env = launch.environment();
        assertEquals(config.toString(), env.get("FLINK_CONF_DIR"));
        assertEquals("demo-jobmanager-7c9f", env.get("POD_NAME"));
        assertEquals("demo-jobmanager-7c9f", env.get("HOSTNAME"));
        assertEquals("flink-jobs", env.get("POD_NAMESPACE"));
        assertEquals("127.0.0.1", env.get("POD_IP"));
        assertEquals("demo", env.get("APP_LABEL"));
        assertEquals("http://127.0.0.1:8081", env.get("REST_URL"));
        assertEquals("s3cr3t", env.get("S3_SECRET_KEY"));
        assertEquals("-Dlog.file=" + runtime.resolve("log/jm.log"), env.get("JAVA_OPTS"));
        assertEquals("1536", env.get("MEMORY_MIB"));
        assertEquals("18081", env.get("REST_PORT"));
        assertEquals(System.getProperty("java.home"), env.get("JAVA_HOME"));
        assertFalse(env.containsKey("MAVEN_HOME"), "the environment is not inherited from the test JVM");
    }

    @Test
    void materializesConfigMapItemsSecretsAndSubPaths() throws Exception {
        PodProcess.Launch launch = jobManager().prepare();
        Path config = launch.mounts().get("/opt/flink/conf");

        assertEquals("jobmanager.rpc.port: 6123\n", Files.readString(config.resolve("config.yaml")));
        assertEquals("rootLogger.level = INFO\n", Files.readString(config.resolve("log4j-console.properties")));
        assertFalse(Files.exists(config.resolve("unused")), "only the listed items are projected");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(config.resolve("bin/launch.sh"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(config.resolve("config.yaml"))));

        assertEquals(config.resolve("bin/launch.sh"), launch.mounts().get("/opt/flink/launch.sh"));
        assertEquals("s3cr3t", Files.readString(launch.mounts().get("/etc/s3").resolve("secret-key")));
        assertEquals("minio", Files.readString(launch.mounts().get("/etc/s3").resolve("access-key")));
        assertTrue(Files.isDirectory(launch.mounts().get("/tmp/flink")));
        assertTrue(Files.exists(launch.terminationMessageFile()));
    }

    @Test
    void missingSecretFailsUnlessOptional() {
        PodProcess.Builder withoutSecret = PodProcess.builder(jobManagerPod(), "jobmanager")
                .configMaps(List.of(FLINK_CONFIG))
                .filesDirectory(files);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, withoutSecret::prepare);
        assertTrue(error.getMessage().contains("s3-credentials"), error.getMessage());

        Pod optional = shell("echo hi");
        optional.getSpec().getContainers().get(0).getEnv().add(new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                .withName("TOKEN").withNewValueFrom().withNewSecretKeyRef().withName("absent").withKey("token")
                .withOptional(true).endSecretKeyRef().endValueFrom().build());
        PodProcess.Launch launch = PodProcess.builder(optional, "main").filesDirectory(files).prepare();
        assertFalse(launch.environment().containsKey("TOKEN"));
    }

    @Test
    void usesTheImageEntrypointWhenTheContainerHasNoCommand() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewContainer().withName("main").withArgs("--port", "$(PORT)")
                    .addNewEnv().withName("PORT").withValue("9000").endEnv()
                .endContainer().endSpec().build();

        assertThrows(IllegalArgumentException.class,
                () -> PodProcess.builder(pod, "main").filesDirectory(files).prepare());
        PodProcess.Launch launch = PodProcess.builder(pod, "main").filesDirectory(files)
                .imageEntrypoint("/opt/flink/bin/launcher").mapPath("/opt/flink", runtime).prepare();
        assertEquals(List.of(runtime.resolve("bin/launcher").toString(), "--port", "9000"), launch.command());
    }

    @Test
    void runsTheContainerWithMountsAndTerminationMessage() {
        Pod pod = shell("echo \"$GREETING from $(POD_NAME) in $POD_NAMESPACE\"; cat /etc/app/message;"
                + " echo 'config is invalid: line 2' > /dev/termination-log; exit 3");
        pod.getSpec().getContainers().get(0).getEnv().add(new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                .withName("GREETING").withValue("hello").build());
        try (PodProcess process = PodProcess.builder(pod, "main")
                .configMaps(List.of(new ConfigMapBuilder().withNewMetadata().withName("app").endMetadata()
                        .withData(Map.of("message", "from a config map\n")).build()))
                .filesDirectory(files)
                .start()) {
            assertTrue(process.pid() > 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());

            assertEquals(OptionalInt.of(3), process.exitCode());
            assertEquals("hello from shell-pod in default\nfrom a config map\n", process.log());
            assertEquals("config is invalid: line 2\n", process.terminationMessage());
        }
    }

    @Test
    void fallsBackToTheLogTailOnErrorWhenPolicyAsksForIt() {
        Pod pod = shell("i=0; while [ $i -lt 100 ]; do echo line $i; i=$((i+1)); done; exit 1");
        pod.getSpec().getContainers().get(0).setTerminationMessagePolicy("FallbackToLogsOnError");
        try (PodProcess process = PodProcess.builder(pod, "main").filesDirectory(files).start()) {
            assertEquals(OptionalInt.of(1), process.waitFor(Duration.ofSeconds(10)));

            String message = process.terminationMessage();
            assertTrue(message.startsWith("line 20\n"), message);
            assertTrue(message.endsWith("line 99"), message);
            assertEquals(80, message.split("\n").length);
        }
    }

    @Test
    void closeEscalatesToSigkillAndEndsDescendants() {
        Pod pod = shell("trap '' TERM; sleep 300 & echo started; wait");
        PodProcess process = PodProcess.builder(pod, "main").filesDirectory(files)
                .gracePeriod(Duration.ofMillis(500)).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> process.log().contains("started"));
        List<ProcessHandle> descendants = ProcessHandle.of(process.pid()).orElseThrow().descendants().toList();
        assertFalse(descendants.isEmpty());

        process.close();

        assertEquals(OptionalInt.of(137), process.exitCode(), "SIGTERM was ignored, so SIGKILL ended it");
        await().atMost(Duration.ofSeconds(5)).until(() -> descendants.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void killEndsTheProcessLikeACrash() {
        try (PodProcess process = PodProcess.builder(shell("sleep 300"), "main").filesDirectory(files).start()) {
            assertTrue(process.isAlive());
            process.kill();
            assertEquals(OptionalInt.of(137), process.exitCode());
        }
    }

    /** A pod whose container {@code main} runs {@code script} with /bin/sh and mounts ConfigMap "app" optionally. */
    private static Pod shell(String script) {
        return new PodBuilder()
                .withNewMetadata().withName("shell-pod").endMetadata()
                .withNewSpec()
                    .addNewVolume().withName("app")
                        .withNewConfigMap().withName("app").withOptional(true).endConfigMap()
                    .endVolume()
                    .withContainers(new ContainerBuilder()
                        .withName("main")
                        .withCommand("/bin/sh", "-c", script)
                        .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                            .withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                        .addNewEnv().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
                            .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
                        .addNewVolumeMount().withName("app").withMountPath("/etc/app").endVolumeMount()
                        .build())
                .endSpec()
                .build();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
