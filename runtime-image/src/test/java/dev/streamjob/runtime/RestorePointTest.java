package dev.streamjob.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.runtime.CheckpointListing.Subdirectory;
import dev.streamjob.runtime.RestorePoint.Source;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class RestorePointTest {

    private static final String DIR = "s3://bucket/ns/name/checkpoints/0f8c6a4e1b2d4c3e9f10a1b2c3d4e5f6";
    private static final Optional<String> SAVEPOINT = Optional.of("s3://bucket/ns/name/savepoints/savepoint-1a2b3c-0123");

    @Test
    void withoutTheOptionTheSavepointOrEmptyState() {
        RestorePoint savepoint = RestorePoint.choose(Optional.empty(), SAVEPOINT);
        assertThat(savepoint.source()).isEqualTo(Source.SAVEPOINT);
        assertThat(savepoint.path()).isEqualTo(SAVEPOINT);

        RestorePoint empty = RestorePoint.choose(Optional.empty(), Optional.empty());
        assertThat(empty.source()).isEqualTo(Source.EMPTY_STATE);
        assertThat(empty.path()).isEmpty();
        assertThat(empty.decision()).startsWith("starting from empty state");
    }

    @Test
    void missingDirectoryStartsFromTheSavepointOrEmptyState() {
        RestorePoint savepoint = RestorePoint.choose(Optional.of(CheckpointListing.missing(DIR)), SAVEPOINT);
        assertThat(savepoint.source()).isEqualTo(Source.SAVEPOINT);
        assertThat(savepoint.path()).isEqualTo(SAVEPOINT);
        assertThat(savepoint.decision()).isEqualTo("no complete checkpoint under " + DIR + "; starting from "
                + SAVEPOINT.get() + " (the directory does not exist)");

        RestorePoint empty = RestorePoint.choose(Optional.of(CheckpointListing.missing(DIR)), Optional.empty());
        assertThat(empty.source()).isEqualTo(Source.EMPTY_STATE);
        assertThat(empty.path()).isEmpty();
        assertThat(empty.decision()).isEqualTo(
                "no complete checkpoint under " + DIR + "; starting from empty state (the directory does not exist)");
    }

    @Test
    void emptyDirectoryStartsFromTheSavepointOrEmptyState() {
        CheckpointListing empty = listing();

        assertThat(RestorePoint.choose(Optional.of(empty), SAVEPOINT).path()).isEqualTo(SAVEPOINT);
        RestorePoint none = RestorePoint.choose(Optional.of(empty), Optional.empty());
        assertThat(none.source()).isEqualTo(Source.EMPTY_STATE);
        assertThat(none.decision()).isEqualTo("no complete checkpoint under " + DIR + "; starting from empty state");
    }

    @Test
    void newestCompleteCheckpointByNumberSkippingIncompleteOnes() {
        CheckpointListing listing = listing(
                new Subdirectory("chk-3", true),
                new Subdirectory("chk-12", true),
                new Subdirectory("chk-13", false));

        RestorePoint chosen = RestorePoint.choose(Optional.of(listing), Optional.empty());

        assertThat(chosen.source()).isEqualTo(Source.LATEST_CHECKPOINT);
        assertThat(chosen.path()).contains(DIR + "/chk-12");
        assertThat(chosen.decision()).isEqualTo("restoring from checkpoint " + DIR + "/chk-12, the newest complete one under "
                + DIR + " (skipped incomplete chk-13)");
    }

    @Test
    void onlyChkDirectoriesCount() {
        CheckpointListing listing = listing(
                new Subdirectory("shared", false),
                new Subdirectory("taskowned", false),
                new Subdirectory("chk-7", true),
                new Subdirectory("chk-x", true),
                new Subdirectory("chk-", true),
                new Subdirectory("savepoint-1a2b3c-99", true),
                new Subdirectory("chk-8", false));

        assertThat(RestorePoint.choose(Optional.of(listing), Optional.empty()).path()).contains(DIR + "/chk-7");
        assertThat(RestorePoint.choose(Optional.of(listing(new Subdirectory("shared", false),
                new Subdirectory("taskowned", false))), Optional.empty()).source()).isEqualTo(Source.EMPTY_STATE);
    }

    @Test
    void aCompleteCheckpointTakesPrecedenceOverTheSavepoint() {
        CheckpointListing listing = listing(new Subdirectory("chk-1", true), new Subdirectory("shared", false));

        RestorePoint chosen = RestorePoint.choose(Optional.of(listing), SAVEPOINT);

        assertThat(chosen.source()).isEqualTo(Source.LATEST_CHECKPOINT);
        assertThat(chosen.path()).contains(DIR + "/chk-1");
        assertThat(chosen.decision()).endsWith("; --from-savepoint " + SAVEPOINT.get() + " is older and not used");
    }

    @Test
    void onlyIncompleteCheckpointsFallBackToTheSavepoint() {
        CheckpointListing listing = listing(new Subdirectory("chk-1", false), new Subdirectory("chk-2", false));

        RestorePoint chosen = RestorePoint.choose(Optional.of(listing), SAVEPOINT);

        assertThat(chosen.source()).isEqualTo(Source.SAVEPOINT);
        assertThat(chosen.path()).isEqualTo(SAVEPOINT);
        assertThat(chosen.decision()).isEqualTo("no complete checkpoint under " + DIR + "; starting from "
                + SAVEPOINT.get() + " (skipped incomplete chk-1, chk-2)");
    }

    @Test
    void trailingSlashOfTheDirectoryIsNotDoubled() {
        CheckpointListing listing = new CheckpointListing("file:///tmp/x/checkpoints/abc/", true,
                List.of(new Subdirectory("chk-2", true)));

        assertThat(RestorePoint.choose(Optional.of(listing), Optional.empty()).path())
                .contains("file:///tmp/x/checkpoints/abc/chk-2");
    }

    @Test
    void checkpointNumbers() {
        assertThat(RestorePoint.checkpointNumber("chk-0")).isEqualTo(OptionalLong.of(0));
        assertThat(RestorePoint.checkpointNumber("chk-123456789012")).isEqualTo(OptionalLong.of(123456789012L));
        assertThat(RestorePoint.checkpointNumber("chk--1")).isEmpty();
        assertThat(RestorePoint.checkpointNumber("chk-1a")).isEmpty();
        assertThat(RestorePoint.checkpointNumber("shared")).isEmpty();
        assertThat(RestorePoint.checkpointNumber("chk-1234567890123456789")).isEmpty();
    }

    @Test
    void directoryMustBeTheConfiguredCheckpointDirectoryOfTheJob() {
        String jobId = "0f8c6a4e1b2d4c3e9f10a1b2c3d4e5f6";
        assertThat(RestorePoint.directoryMismatch(DIR, jobId, "s3://bucket/ns/name/checkpoints")).isEmpty();
        assertThat(RestorePoint.directoryMismatch(DIR + "/", jobId, "s3://bucket/ns/name/checkpoints/")).isEmpty();
        assertThat(RestorePoint.directoryMismatch("file:///tmp/x/checkpoints/" + jobId, jobId, "file:/tmp/x/checkpoints"))
                .isEmpty();
        assertThat(RestorePoint.directoryMismatch("file:///tmp/x/checkpoints/" + jobId, jobId, "/tmp/x/checkpoints/"))
                .isEmpty();

        assertThat(RestorePoint.directoryMismatch(DIR, jobId, "s3://other-bucket/ns/name/checkpoints"))
                .hasValueSatisfying(message -> assertThat(message).contains(
                        "is not where the job writes its checkpoints, s3://other-bucket/ns/name/checkpoints/" + jobId));
        assertThat(RestorePoint.directoryMismatch(DIR, jobId, "s3://bucket/ns/other/checkpoints")).isPresent();
    }

    private static CheckpointListing listing(Subdirectory... subdirectories) {
        return new CheckpointListing(DIR, true, List.of(subdirectories));
    }

    @Test
    void aSavepointTheRunTookAfterItsNewestCheckpointWins() {
        CheckpointListing listing = new CheckpointListing(DIR, true, List.of(new Subdirectory("chk-12", true)));
        String stop = "s3://bucket/ns/name/savepoints/0f8c6a4e1b2d4c3e9f10a1b2c3d4e5f6/savepoint-0f8c6a-1";

        RestorePoint chosen = RestorePoint.choose(Optional.of(listing),
                List.of(new CheckpointListing.RunSavepoint(stop, 13)), SAVEPOINT);

        assertThat(chosen.source()).isEqualTo(Source.RUN_SAVEPOINT);
        assertThat(chosen.path()).contains(stop);
        assertThat(chosen.decision()).isEqualTo("restoring from savepoint " + stop
                + " (checkpoint 13), taken by this run after its newest complete checkpoint (12)");
    }

    @Test
    void aSavepointOlderThanTheNewestCheckpointIsNotUsed() {
        CheckpointListing listing = new CheckpointListing(DIR, true, List.of(new Subdirectory("chk-12", true)));
        RestorePoint chosen = RestorePoint.choose(Optional.of(listing),
                List.of(new CheckpointListing.RunSavepoint("s3://bucket/sp/savepoint-0f8c6a-0", 9)), SAVEPOINT);
        assertThat(chosen.source()).isEqualTo(Source.LATEST_CHECKPOINT);
        assertThat(chosen.path()).contains(DIR + "/chk-12");
    }

    @Test
    void aStoppedRunWhoseCheckpointsFlinkDeletedContinuesFromItsSavepoint() {
        // Stop-with-savepoint ends the job FINISHED and Flink deletes the run's checkpoints: a
        // JobManager restarted now must not go back to the run's --from-savepoint.
        String stop = "s3://bucket/ns/name/savepoints/0f8c6a4e1b2d4c3e9f10a1b2c3d4e5f6/savepoint-0f8c6a-1";
        RestorePoint chosen = RestorePoint.choose(Optional.of(new CheckpointListing(DIR, true, List.of())),
                List.of(new CheckpointListing.RunSavepoint(stop, 20)), SAVEPOINT);
        assertThat(chosen.source()).isEqualTo(Source.RUN_SAVEPOINT);
        assertThat(chosen.path()).contains(stop);
    }
}
