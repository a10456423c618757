package dev.streamjob.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamjob.runtime.CheckpointListing.Subdirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CheckpointListing#read} on the local file system, through Flink's FileSystem API. */
class CheckpointListingTest {

    @TempDir
    Path dir;

    @Test
    void listsSubdirectoriesAndWhichChkDirectoriesHoldMetadata() throws Exception {
        Path job = Files.createDirectories(dir.resolve("checkpoints/5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e"));
        Files.writeString(Files.createDirectories(job.resolve("chk-3")).resolve("_metadata"), "m");
        Files.writeString(Files.createDirectories(job.resolve("chk-12")).resolve("_metadata"), "m");
        Files.writeString(Files.createDirectories(job.resolve("chk-13")).resolve("some-state-file"), "s");
        Files.writeString(Files.createDirectories(job.resolve("shared")).resolve("_metadata"), "not a checkpoint");
        Files.createDirectories(job.resolve("taskowned"));
        Files.writeString(job.resolve("chk-99"), "a file, not a checkpoint directory");

        CheckpointListing listing = CheckpointListing.read(job.toUri().toString(), new Configuration(), dir.resolve("plugins"));

        assertThat(listing.exists()).isTrue();
        assertThat(listing.directory()).isEqualTo(job.toUri().toString());
        assertThat(listing.subdirectories()).containsExactly(
                new Subdirectory("chk-12", true),
                new Subdirectory("chk-13", false),
                new Subdirectory("chk-3", true),
                new Subdirectory("shared", false),
                new Subdirectory("taskowned", false));
    }

    @Test
    void readsTheCheckpointIdOfEachCompleteSavepointOfTheRun() throws Exception {
        Path savepoints = Files.createDirectories(dir.resolve("savepoints/5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e"));
        metadata(Files.createDirectories(savepoints.resolve("savepoint-5ca1ab-aaaaaaaaaaaa")), CheckpointListing.METADATA_MAGIC, 17);
        metadata(Files.createDirectories(savepoints.resolve("savepoint-5ca1ab-bbbbbbbbbbbb")), 0x12345678, 18);
        Files.createDirectories(savepoints.resolve("savepoint-5ca1ab-cccccccccccc")); // in progress: no _metadata
        CheckpointListing.read(dir.toUri().toString(), new Configuration(), dir.resolve("plugins"));

        assertThat(CheckpointListing.readSavepoints(savepoints.toUri().toString()))
                .extracting(CheckpointListing.RunSavepoint::checkpointId).containsExactly(17L);
        assertThat(CheckpointListing.readSavepoints(dir.resolve("savepoints/none").toUri().toString())).isEmpty();
    }

    private static void metadata(Path savepoint, int magic, long checkpointId) throws Exception {
        try (var out = new java.io.DataOutputStream(Files.newOutputStream(savepoint.resolve("_metadata")))) {
            out.writeInt(magic);
            out.writeInt(5);
            out.writeLong(checkpointId);
            out.writeUTF("the rest of the metadata");
        }
    }

    @Test
    void missingDirectoryIsMissingNotAnError() throws Exception {
        String missing = dir.resolve("checkpoints/5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e").toUri().toString();

        assertThat(CheckpointListing.read(missing, new Configuration(), dir.resolve("plugins")))
                .isEqualTo(CheckpointListing.missing(missing));
    }

    @Test
    void emptyDirectoryExistsWithNoSubdirectories() throws Exception {
        Path job = Files.createDirectories(dir.resolve("job"));

        CheckpointListing listing = CheckpointListing.read("file://" + job, new Configuration(), dir.resolve("plugins"));

        assertThat(listing.exists()).isTrue();
        assertThat(listing.subdirectories()).isEmpty();
    }

    @Test
    void listingLowersS3RetriesTheConfigurationLeavesUnset() {
        Configuration staged = new Configuration();
        staged.setString("s3.endpoint", "http://127.0.0.1:9000");
        staged.setString("fs.s3a.retry.limit", "5");

        Configuration listing = CheckpointListing.listingConfiguration(staged);

        assertThat(listing.toMap())
                .containsEntry("s3.endpoint", "http://127.0.0.1:9000")
                .containsEntry("fs.s3a.retry.limit", "5")
                .containsEntry("s3.attempts.maximum", "2")
                .doesNotContainKey("s3.retry.limit");
        assertThat(staged.toMap()).doesNotContainKey("s3.attempts.maximum");
    }

    @Test
    void aSchemeWithoutFileSystemIsAnError() {
        assertThatThrownBy(() -> CheckpointListing.read("nosuchfs://bucket/checkpoints/job", new Configuration(),
                dir.resolve("plugins")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nosuchfs");
    }
}
