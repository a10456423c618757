package dev.streamjob.operator.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.operator.TestStreamJobs;
import dev.streamjob.operator.api.v1alpha1.JobState;
import dev.streamjob.operator.api.v1alpha1.OperationFailure;
import dev.streamjob.operator.api.v1alpha1.OperationType;
import dev.streamjob.operator.api.v1alpha1.SavepointInfo;
import dev.streamjob.operator.api.v1alpha1.SavepointTrigger;
import dev.streamjob.operator.api.v1alpha1.StreamJob;
import dev.streamjob.operator.api.v1alpha1.StreamJobStatus;
import dev.streamjob.operator.api.v1alpha1.UpgradeMode;
import dev.streamjob.operator.flink.JobDetails;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final String IMAGE = "streamjob-runtime:0.1.0";

    /** The job's status, created empty first (a StreamJob has none until the operator writes one). */
    private static StreamJobStatus status(StreamJob job) {
        if (job.getStatus() == null) {
            job.setStatus(new StreamJobStatus());
        }
        return job.getStatus();
    }

    /** A StreamJob whose first run was deployed from its spec, then edited by {@code edit} (generation 2). */
    private static StreamJob deployedThenEdited(Consumer<StreamJob> edit) {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        status(job).setCurrentRun(TestStreamJobs.firstRun(job));
        edit.accept(job);
        job.getMetadata().setGeneration(2L);
        return job;
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("a no-op edit", (Consumer<StreamJob>) j -> { }, Change.IGNORE),
                Arguments.of("upgradeMode", (Consumer<StreamJob>) j -> j.getSpec().getJob().setUpgradeMode(UpgradeMode.LAST_STATE), Change.IGNORE),
                Arguments.of("allowNonRestoredState", (Consumer<StreamJob>) j -> j.getSpec().getJob().setAllowNonRestoredState(true), Change.IGNORE),
                Arguments.of("initialSavepointPath", (Consumer<StreamJob>) j -> j.getSpec().getJob().setInitialSavepointPath("s3://b/x"), Change.IGNORE),
                Arguments.of("savepoint settings", (Consumer<StreamJob>) j -> j.getSpec().getSavepoints().setMaxCount(9), Change.IGNORE),
                Arguments.of("recovery settings", (Consumer<StreamJob>) j -> j.getSpec().getRecovery().setMaxRestarts(9), Change.IGNORE),
                Arguments.of("parallelism", (Consumer<StreamJob>) j -> j.getSpec().getJob().setParallelism(4), Change.SCALE),
                Arguments.of("sql", (Consumer<StreamJob>) j -> j.getSpec().getJob().setSql(TestStreamJobs.SQL + "\n-- v2\n"), Change.UPGRADE),
                Arguments.of("image", (Consumer<StreamJob>) j -> j.getSpec().setImage("streamjob-runtime:0.2.0"), Change.UPGRADE),
                Arguments.of("flink configuration", (Consumer<StreamJob>) j -> j.getSpec().getFlinkConfiguration().put("pipeline.max-parallelism", "64"), Change.UPGRADE),
                Arguments.of("slots", (Consumer<StreamJob>) j -> j.getSpec().getTaskManager().setSlots(2), Change.UPGRADE),
                Arguments.of("checkpoint interval", (Consumer<StreamJob>) j -> j.getSpec().getCheckpointing().setInterval("30s"), Change.UPGRADE),
                Arguments.of("sql and parallelism", (Consumer<StreamJob>) j -> {
                    j.getSpec().getJob().setSql(TestStreamJobs.SQL + "\n-- v2\n");
                    j.getSpec().getJob().setParallelism(4);
                }, Change.UPGRADE),
                Arguments.of("restartNonce", (Consumer<StreamJob>) j -> j.getSpec().getJob().setRestartNonce(7L), Change.RESTART),
                Arguments.of("suspend", (Consumer<StreamJob>) j -> j.getSpec().getJob().setState(JobState.SUSPENDED), Change.SUSPEND),
                Arguments.of("suspend and sql", (Consumer<StreamJob>) j -> {
                    j.getSpec().getJob().setState(JobState.SUSPENDED);
                    j.getSpec().getJob().setSql(TestStreamJobs.SQL + "\n-- v2\n");
                }, Change.SUSPEND),
                Arguments.of("savepointTriggerNonce", (Consumer<StreamJob>) j -> j.getSpec().getJob().setSavepointTriggerNonce(1L), Change.SAVEPOINT));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("changes")
    void classifiesEachKindOfEdit(String edit, Consumer<StreamJob> change, Change expected) {
        assertThat(Planner.plan(deployedThenEdited(change), IMAGE, NOW).change()).isEqualTo(expected);
    }

    @Test
    void theDeployedGenerationNeedsNothing() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        status(job).setCurrentRun(TestStreamJobs.firstRun(job));
        assertThat(Planner.plan(job, IMAGE, NOW).change()).isEqualTo(Change.NONE);
    }

    @Test
    void nothingDeployedMeansTheFirstRun() {
        assertThat(Planner.plan(TestStreamJobs.sqlJob("orders"), IMAGE, NOW).change()).isEqualTo(Change.DEPLOY);
    }

    @Test
    void aSuspendedRunResumesWhenTheStateIsRunningAgain() {
        StreamJob job = TestStreamJobs.sqlJob("orders");
        job.getSpec().getJob().setState(JobState.SUSPENDED);
        status(job).setCurrentRun(TestStreamJobs.firstRun(job));
        job.getSpec().getJob().setSql(TestStreamJobs.SQL + "\n-- v2\n");
        job.getMetadata().setGeneration(2L);
        assertThat(Planner.plan(job, IMAGE, NOW).change()).isEqualTo(Change.IGNORE);

        job.getSpec().getJob().setState(JobState.RUNNING);
        job.getMetadata().setGeneration(3L);
        assertThat(Planner.plan(job, IMAGE, NOW).change()).isEqualTo(Change.RESUME);
    }

    @Test
    void aFailedUpgradeIsHeldUntilTheSpecChangesAgain() {
        StreamJob job = deployedThenEdited(j -> j.getSpec().getJob().setSql(TestStreamJobs.SQL + "\n-- v2\n"));
        status(job).setLastFailure(new OperationFailure(OperationType.Upgrade, 2L, "SavepointFailed", "boom", "2026-11-22T11:00:00Z"));
        assertThat(Planner.plan(job, IMAGE, NOW).change()).isEqualTo(Change.HELD);

        job.getSpec().getJob().setUpgradeMode(UpgradeMode.LAST_STATE);
        job.getMetadata().setGeneration(3L);
        assertThat(Planner.plan(job, IMAGE, NOW).change()).isEqualTo(Change.UPGRADE);
    }

    @Test
    void aFailedManualSavepointDoesNotHoldAnUpgrade() {
        StreamJob job = deployedThenEdited(j -> j.getSpec().getJob().setParallelism(3));
        status(job).setLastFailure(new OperationFailure(OperationType.Savepoint, 2L, "SavepointFailed", "boom", "2026-11-22T11:00:00Z"));
        assertThat(Planner.plan(job, IMAGE, NOW).change()).isEqualTo(Change.SCALE);
    }

    @Test
    void aHandledSavepointNonceIsNotTakenAgain() {
        StreamJob job = deployedThenEdited(j -> j.getSpec().getJob().setSavepointTriggerNonce(5L));
        status(job).setSavepointTriggerNonce(5L);
        assertThat(Planner.plan(job, IMAGE, NOW).change()).isEqualTo(Change.IGNORE);
    }

    @Test
    void periodicSavepointsAreDueAnIntervalAfterTheLastSavepointOrTheRunStart() {
        StreamJob job = deployedThenEdited(j -> j.getSpec().getSavepoints().setInterval("1h"));
        // The run started at 09:00; no savepoint yet.
        Planner.Plan plan = Planner.plan(job, IMAGE, NOW);
        assertThat(plan.change()).isEqualTo(Change.SAVEPOINT);
        assertThat(plan.savepointTrigger()).contains(SavepointTrigger.Periodic);

        status(job).setSavepoints(List.of(new SavepointInfo("s3://b/p/savepoints/x/savepoint-1", SavepointTrigger.Periodic,
                "2026-11-22T11:30:00Z", 10L, "x")));
        assertThat(Planner.plan(job, IMAGE, NOW).change()).isEqualTo(Change.IGNORE);
        assertThat(Planner.plan(job, IMAGE, Instant.parse("2026-11-22T12:30:00Z")).change()).isEqualTo(Change.SAVEPOINT);
    }

    static Stream<Arguments> strategies() {
        return Stream.of(
                // change, mode, healthy, image changed, lineage has snapshot -> strategy
                Arguments.of(Change.UPGRADE, UpgradeMode.SAVEPOINT, true, false, true, Strategy.SAVEPOINT_FIRST),
                Arguments.of(Change.UPGRADE, UpgradeMode.SAVEPOINT, false, false, true, Strategy.STOP_THEN_LATEST),
                Arguments.of(Change.UPGRADE, UpgradeMode.LAST_STATE, true, false, true, Strategy.STOP_THEN_LATEST),
                Arguments.of(Change.UPGRADE, UpgradeMode.LAST_STATE, true, true, true, Strategy.SAVEPOINT_FIRST),
                Arguments.of(Change.UPGRADE, UpgradeMode.LAST_STATE, true, false, false, Strategy.SAVEPOINT_FIRST),
                Arguments.of(Change.UPGRADE, UpgradeMode.LAST_STATE, false, false, false, Strategy.STOP_THEN_LATEST),
                Arguments.of(Change.UPGRADE, UpgradeMode.STATELESS, true, true, true, Strategy.STOP_THEN_EMPTY),
                Arguments.of(Change.SCALE, UpgradeMode.SAVEPOINT, true, false, true, Strategy.SAVEPOINT_FIRST),
                Arguments.of(Change.RESTART, UpgradeMode.LAST_STATE, true, false, true, Strategy.STOP_THEN_LATEST),
                Arguments.of(Change.SUSPEND, UpgradeMode.SAVEPOINT, true, false, true, Strategy.SAVEPOINT_FIRST),
                Arguments.of(Change.SUSPEND, UpgradeMode.SAVEPOINT, false, false, true, Strategy.STOP_THEN_LATEST),
                Arguments.of(Change.SUSPEND, UpgradeMode.LAST_STATE, true, false, true, Strategy.STOP_THEN_LATEST),
                Arguments.of(Change.RESUME, UpgradeMode.SAVEPOINT, false, false, true, Strategy.STOP_THEN_LATEST),
                Arguments.of(Change.RESUME, UpgradeMode.STATELESS, false, false, true, Strategy.STOP_THEN_EMPTY));
    }

    @ParameterizedTest(name = "{0} {1} healthy={2} imageChanged={3} snapshot={4} -> {5}")
    @MethodSource("strategies")
    void picksHowStateIsCarriedOver(Change change, UpgradeMode mode, boolean healthy, boolean imageChanged,
            boolean hasSnapshot, Strategy expected) {
        assertThat(Planner.strategy(change, mode, healthy, imageChanged, hasSnapshot)).isEqualTo(expected);
    }

    private static JobDetails runningJob(int parallelism, int maxParallelism, String taskState) {
        return new JobDetails("j", "insert-into", "RUNNING", List.of(
                new JobDetails.Vertex("v1", "Source: orders", parallelism, maxParallelism, Map.of(taskState, parallelism),
                        Double.NaN),
                new JobDetails.Vertex("v2", "Window", parallelism, maxParallelism, Map.of(taskState, parallelism),
                        Double.NaN)));
    }

    @Test
    void aHealthyJobWithTheAdaptiveSchedulerRescalesInPlace() {
        Planner.RescalePath path = Planner.rescalePath(Map.of("jobmanager.scheduler", "adaptive"),
                Optional.of(runningJob(2, 128, "RUNNING")), 2, 4);

        assertThat(path.inPlace()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inPlaceBlockers")
    void otherwiseARescaleTakesTheSavepointPathAndSaysWhy(String why, Map<String, String> conf, Optional<JobDetails> job,
            String reason) {
        Planner.RescalePath path = Planner.rescalePath(conf, job, 2, 4);

        assertThat(path.inPlace()).isFalse();
        assertThat(path.reason()).isEqualTo(reason);
    }

    static Stream<Arguments> inPlaceBlockers() {
        return Stream.of(
                Arguments.of("another scheduler", Map.of("jobmanager.scheduler", "default"), Optional.of(runningJob(2, 128, "RUNNING")),
                        "spec.flinkConfiguration sets jobmanager.scheduler: default; rescaling in place needs the adaptive scheduler"),
                Arguments.of("reactive mode", Map.of("scheduler-mode", "reactive"), Optional.of(runningJob(2, 128, "RUNNING")),
                        "spec.flinkConfiguration sets scheduler-mode: reactive, which sizes the job by its TaskManagers"),
                Arguments.of("tasks not running", Map.of(), Optional.of(runningJob(2, 128, "DEPLOYING")),
                        "the job is not running with all its tasks, so the adaptive scheduler cannot rescale it"),
                Arguments.of("job unknown", Map.of(), Optional.empty(),
                        "the job is not running with all its tasks, so the adaptive scheduler cannot rescale it"),
                Arguments.of("above max parallelism", Map.of(), Optional.of(runningJob(2, 3, "RUNNING")),
                        "parallelism 4 is above the max parallelism 3 of vertex 'Source: orders' (pipeline.max-parallelism)"));
    }
}
