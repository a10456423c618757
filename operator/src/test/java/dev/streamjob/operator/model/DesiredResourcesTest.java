package dev.streamjob.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.operator.TestStreamJobs;
import dev.streamjob.operator.api.v1alpha1.JobState;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredResourcesTest {

    private static Container flink(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("flink")).findFirst().orElseThrow();
    }

    @Test
    void namesLabelsAndReplicasFollowTheSpec() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getJob().setParallelism(5);
        job.getSpec().getTaskManager().setSlots(2);

        DesiredResources r = DesiredResources.of(job, TestStreamJobs.config(), TestStreamJobs.firstRun(job));

        assertThat(r.configMap().getMetadata().getName()).isEqualTo("orders-config");
        assertThat(r.jobManager().getMetadata().getName()).isEqualTo("orders-jobmanager");
        assertThat(r.jobManagerService().getMetadata().getName()).isEqualTo("orders-jobmanager");
        assertThat(r.taskManager().getMetadata().getName()).isEqualTo("orders-taskmanager");
        assertThat(r.jobManager().getSpec().getReplicas()).isEqualTo(1);
        assertThat(r.taskManager().getSpec().getReplicas()).isEqualTo(3); // ceil(5 / 2)
        assertThat(r.jobManager().getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(r.taskManager().getSpec().getSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("streamjob.dev/name", "orders",
                        "app.kubernetes.io/component", "taskmanager"));
        assertThat(r.taskManager().getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(r.taskManager().getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/managed-by", "streamjob-operator");
        assertThat(r.jobManagerService().getSpec().getSelector())
                .isEqualTo(r.jobManager().getSpec().getSelector().getMatchLabels());
        assertThat(r.jobManagerService().getSpec().getPorts()).extracting(p -> p.getPort())
                .containsExactly(6123, 6124, 8081);
        assertThat(StreamJobResources.taskManagerSelector(job))
                .isEqualTo("streamjob.dev/name=orders,app.kubernetes.io/component=taskmanager");
    }

    @Test
    void anInPlaceRescaleResizesTheTaskManagersWithoutRollingThePods() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getJob().setParallelism(2);
        var run = TestStreamJobs.firstRun(job);

        DesiredResources before = DesiredResources.of(job, TestStreamJobs.config(), run);
        DesiredResources after = DesiredResources.of(job, TestStreamJobs.config(), run.withParallelism(5));

        assertThat(after.taskManager().getSpec().getReplicas()).isEqualTo(5);
        assertThat(after.configMap().getData().get("config.yaml")).contains("parallelism.default: \"5\"")
                .contains("jobmanager.scheduler: \"adaptive\"");
        assertThat(after.taskManager().getSpec().getTemplate()).isEqualTo(before.taskManager().getSpec().getTemplate());
        assertThat(after.jobManager().getSpec().getTemplate()).isEqualTo(before.jobManager().getSpec().getTemplate());
    }

    @Test
    void configMapHoldsFlinkConfigurationAndTheScript() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getFlinkConfiguration().put("pipeline.max-parallelism", "64");

        Map<String, String> data = DesiredResources.of(job, TestStreamJobs.config(), TestStreamJobs.firstRun(job)).configMap().getData();

        assertThat(data).containsOnlyKeys("config.yaml", "log4j-console.properties", "job.sql");
        assertThat(data.get("job.sql")).isEqualTo(TestStreamJobs.SQL);
        assertThat(data.get("config.yaml")).contains(
                "execution.checkpointing.dir: \"s3://snapshots/ns/orders/checkpoints\"\n",
                "execution.checkpointing.savepoint-dir: \"s3://snapshots/ns/orders/savepoints/0f8c6a4e1b2d4c3e0000000100000001\"\n",
                "execution.checkpointing.interval: \"10s\"\n",
                "execution.checkpointing.externalized-checkpoint-retention: \"RETAIN_ON_CANCELLATION\"\n",
                "s3.endpoint: \"http://minio.minio.svc:9000\"\n",
                "s3.path.style.access: \"true\"\n",
                "s3.endpoint.region: \"us-east-1\"\n",
                "jobmanager.rpc.address: \"orders-jobmanager\"\n",
                "jobmanager.memory.process.size: \"1024m\"\n",
                "taskmanager.numberOfTaskSlots: \"1\"\n",
                "parallelism.default: \"2\"\n",
                "pipeline.max-parallelism: \"64\"\n");
        assertThat(data.get("config.yaml")).doesNotContain("minio-secret", "access-key");
    }

    @Test
    void yamlValuesAreQuoted() {
        assertThat(FlinkConfig.toYaml(Map.of("k", "a \"b\" \\ c")))
                .endsWith("k: \"a \\\"b\\\" \\\\ c\"\n");
    }

    @Test
    void memoryQuantitiesBecomeFlinkSizes() {
        assertThat(FlinkConfig.flinkMemory(new Quantity("1536Mi"))).isEqualTo("1536m");
        assertThat(FlinkConfig.flinkMemory(new Quantity("2Gi"))).isEqualTo("2048m");
        assertThat(FlinkConfig.flinkMemory(new Quantity("1G"))).isEqualTo("1000000000b");
    }

    @Test
    void jobManagerRunsTheLauncherWithJobIdAndScript() {
        StreamJob job = TestStreamJobs.sqlJob("orders");

        Container jm = flink(DesiredResources.of(job, TestStreamJobs.config(), TestStreamJobs.firstRun(job)).jobManager());

        assertThat(jm.getCommand()).containsExactly("/opt/flink/bin/launcher");
        assertThat(jm.getArgs()).containsExactly("jobmanager", "--job-id", "0f8c6a4e1b2d4c3e0000000100000001",
                "--restore-from-latest-checkpoint", "s3://snapshots/ns/orders/checkpoints/0f8c6a4e1b2d4c3e0000000100000001",
                "--sql-file", "/opt/flink/streamjob-conf/job.sql");
        assertThat(jm.getImage()).isEqualTo("streamjob-runtime:0.1.0");
        assertThat(jm.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        assertThat(jm.getVolumeMounts()).singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/opt/flink/streamjob-conf"));
        // The image's own conf/ (Flink's JVM options for Java 17) must stay visible to the launcher.
        assertThat(jm.getVolumeMounts()).noneMatch(m -> m.getMountPath().equals(StreamJobResources.FLINK_HOME + "/conf"));
        assertThat(jm.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
        EnvVar secretKey = jm.getEnv().stream().filter(e -> e.getName().equals("S3_SECRET_KEY")).findFirst().orElseThrow();
        assertThat(secretKey.getValue()).isNull();
        assertThat(secretKey.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-credentials");
        assertThat(secretKey.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("secret-key");
    }

    @Test
    void jarJobRunWithRestorePointAndArguments() {
        StreamJob job = TestStreamJobs.sqlJob("wordcount");
        job.getSpec().getJob().setSql(null);
        job.getSpec().getJob().setJarURI("local:///opt/flink/usrlib/wc.jar");
        job.getSpec().getJob().setEntryClass("org.example.WordCount");
        job.getSpec().getJob().setArgs(List.of("--input", "x"));
        job.getSpec().getJob().setAllowNonRestoredState(true);

        // Run 3 of lineage 2, started from a savepoint the operator chose.
        DesiredResources r = DesiredResources.of(job, TestStreamJobs.config(),
                TestStreamJobs.run(job, 2, 3, "s3://snapshots/ns/wordcount/savepoints/0f8c6a4e1b2d4c3e0000000200000002/savepoint-1"));

        assertThat(flink(r.jobManager()).getArgs()).containsExactly("jobmanager", "--job-id",
                "0f8c6a4e1b2d4c3e0000000200000003",
                "--restore-from-latest-checkpoint", "s3://snapshots/ns/wordcount/checkpoints/0f8c6a4e1b2d4c3e0000000200000003",
                "--from-savepoint", "s3://snapshots/ns/wordcount/savepoints/0f8c6a4e1b2d4c3e0000000200000002/savepoint-1",
                "--allow-non-restored-state", "--jar-uri", "local:///opt/flink/usrlib/wc.jar",
                "--entry-class", "org.example.WordCount", "--", "--input", "x");
        assertThat(r.configMap().getData()).doesNotContainKey("job.sql");
        assertThat(flink(r.taskManager()).getArgs()).containsExactly("taskmanager", "-Dtaskmanager.host=$(POD_IP)",
                "-Dtaskmanager.resource-id=$(POD_NAME)");
    }

    @Test
    void suspendedJobHasNoPods() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getJob().setState(JobState.SUSPENDED);

        DesiredResources r = DesiredResources.of(job, TestStreamJobs.config(), TestStreamJobs.firstRun(job));

        assertThat(r.jobManager().getSpec().getReplicas()).isZero();
        assertThat(r.taskManager().getSpec().getReplicas()).isZero();
    }

    @Test
    void aConfigurationChangeChangesThePodTemplateHash() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        String before = DesiredResources.of(job, TestStreamJobs.config(), TestStreamJobs.firstRun(job)).jobManager().getSpec().getTemplate()
                .getMetadata().getAnnotations().get(StreamJobResources.CONFIG_HASH_ANNOTATION);
        String same = DesiredResources.of(job, TestStreamJobs.config(), TestStreamJobs.firstRun(job)).jobManager().getSpec().getTemplate()
                .getMetadata().getAnnotations().get(StreamJobResources.CONFIG_HASH_ANNOTATION);
        job.getSpec().getJob().setSql(TestStreamJobs.SQL + "-- changed\n");
        String after = DesiredResources.of(job, TestStreamJobs.config(), TestStreamJobs.firstRun(job)).jobManager().getSpec().getTemplate()
                .getMetadata().getAnnotations().get(StreamJobResources.CONFIG_HASH_ANNOTATION);

        assertThat(before).hasSize(16).isEqualTo(same).isNotEqualTo(after);
    }

    @Test
    void podTemplateIsMergedWithTheOperatorWinningOnItsOwnFields() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().setPodTemplate(new PodTemplateSpecBuilder()
                .withNewMetadata().addToLabels("team", "payments")
                .addToLabels("app.kubernetes.io/managed-by", "someone-else").endMetadata()
                .withNewSpec()
                .withServiceAccountName("flink")
                .addToNodeSelector("disk", "ssd")
                .withContainers(new ContainerBuilder().withName("flink")
                                .addNewEnv().withName("TZ").withValue("UTC").endEnv()
                                .addNewEnv().withName("FLINK_CONF_DIR").withValue("/elsewhere").endEnv()
                                .addNewVolumeMount().withName("jars").withMountPath("/opt/flink/usrlib").endVolumeMount()
                                .build(),
                        new ContainerBuilder().withName("log-shipper").withImage("shipper:1").build())
                .addNewVolume().withName("jars").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .build());

        Deployment tm = DesiredResources.of(job, TestStreamJobs.config(), TestStreamJobs.firstRun(job)).taskManager();

        var pod = tm.getSpec().getTemplate();
        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "payments")
                .containsEntry("app.kubernetes.io/managed-by", "streamjob-operator");
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("flink");
        assertThat(pod.getSpec().getNodeSelector()).containsEntry("disk", "ssd");
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("flink", "log-shipper");
        Container flink = flink(tm);
        assertThat(flink.getImage()).isEqualTo("streamjob-runtime:0.1.0");
        assertThat(flink.getEnv()).filteredOn(e -> e.getName().equals("FLINK_CONF_DIR"))
                .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("/opt/flink/streamjob-conf"));
        assertThat(flink.getEnv()).extracting(EnvVar::getName).contains("TZ");
        assertThat(flink.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/opt/flink/streamjob-conf", "/opt/flink/usrlib");
        assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("flink-config", "jars");
    }

    @Test
    void storagePrefixAndOperatorDefaults() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getStorage().setEndpoint(null);
        job.getSpec().getStorage().setBucket(null);
        job.getSpec().getStorage().setCredentialsSecret(null);
        job.getSpec().getStorage().setPrefix("/team-a/orders/");

        ResolvedStorage storage = ResolvedStorage.of(job, TestStreamJobs.config(Map.of(
                "streamjob.storage.endpoint", "http://s3.local:9000",
                "streamjob.storage.bucket", "flink",
                "streamjob.storage.credentials-secret", "default-s3")));

        assertThat(storage.endpoint()).contains("http://s3.local:9000");
        assertThat(storage.checkpointDirectory()).isEqualTo("s3://flink/team-a/orders/checkpoints");
        assertThat(storage.credentials()).hasValueSatisfying(s -> assertThat(s.getName()).isEqualTo("default-s3"));
    }
}
