package dev.streamjob.runtime;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginConfig;
import org.apache.flink.core.plugin.PluginManager;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subdirectories of a job's checkpoint directory ({@code <execution.checkpointing.dir>/<job
 * id>}) as the launcher found them at start: each one's name and whether it holds a {@code
 * _metadata} file. {@link RestorePoint#choose} decides from this; {@link #read} is the only I/O.
 *
 * @param directory the listed directory, as given on the command line
 * @param exists whether the directory exists (on S3: whether any object has it as prefix)
 * @param subdirectories its subdirectories ({@code chk-N}, {@code shared}, {@code taskowned} ...),
 *     sorted by name; empty if it does not exist
 */
public record CheckpointListing(String directory, boolean exists, List<Subdirectory> subdirectories) {

    /**
     * S3 retry settings of the listing where the configuration sets none: with Hadoop's defaults
     * (20 SDK attempts, each retried 7 times by S3A) an unreachable S3 fails the listing only after
     * about 12 minutes and a wrong secret after 2; with these, in seconds, with the same message.
     * A failed start is safe: Kubernetes restarts the container with back-off.
     */
    public static final Map<String, String> LISTING_S3_RETRIES = Map.of(
            "s3.attempts.maximum", "2",
            "s3.retry.limit", "2");

    /** The prefixes flink-s3-fs-hadoop reads for {@code fs.s3a.*} options. */
    private static final List<String> S3_PREFIXES = List.of("s3.", "s3a.", "fs.s3a.");

    /**
     * One subdirectory of the checkpoint directory.
     *
     * @param name its name, e.g. {@code chk-12}
     * @param hasMetadata whether it holds {@code _metadata}, which Flink writes last, when the
     *     checkpoint is complete (checked only for {@code chk-N} directories; false for others)
     */
    public record Subdirectory(String name, boolean hasMetadata) {}

    /** Copies the list, sorted by name. */
    public CheckpointListing {
        subdirectories = subdirectories.stream().sorted(Comparator.comparing(Subdirectory::name)).toList();
        if (!exists && !subdirectories.isEmpty()) {
            throw new IllegalArgumentException("a missing directory has no subdirectories");
        }
    }

    /** The listing of a directory that does not exist. */
    public static CheckpointListing missing(String directory) {
        return new CheckpointListing(directory, false, List.of());
    }

    /**
     * Lists a checkpoint directory with Flink's own file systems, set up as the JobManager sets them
     * up (ClusterEntrypoint): {@link FileSystem#initialize} with the configuration and the plugins
     * of {@code pluginsDir}, so {@code s3://} goes through flink-s3-fs-hadoop with the staged
     * {@code s3.*} options and credentials ({@link #listingConfiguration} only lowers S3 retries).
     * A {@code _metadata} is looked for only in {@code chk-N} subdirectories.
     *
     * @param directory the job's checkpoint directory URI ({@code s3://...}, {@code file://...})
     * @param configuration the staged configuration (the one the JobManager will run with)
     * @param pluginsDir Flink's plugins directory ({@code $FLINK_HOME/plugins}); may be missing
     * @return the listing; a directory that does not exist is {@link #missing}
     * @throws IOException if the file system cannot be set up or the directory cannot be listed
     *     (no file system for the scheme, S3 unreachable, access denied ...)
     */
    public static CheckpointListing read(String directory, Configuration configuration, Path pluginsDir)
            throws IOException {
        Configuration listingConfiguration = listingConfiguration(configuration);
        FileSystem.initialize(listingConfiguration, pluginManager(listingConfiguration, pluginsDir));
        org.apache.flink.core.fs.Path dir = new org.apache.flink.core.fs.Path(directory);
        FileSystem fs = dir.getFileSystem();
        Optional<FileStatus[]> listed = list(fs, dir);
        if (listed.isEmpty()) {
            return missing(directory);
        }
        List<Subdirectory> subdirectories = new ArrayList<>();
        for (FileStatus status : listed.get()) {
            if (!status.isDir()) {
                continue;
            }
            String name = status.getPath().getName();
            boolean hasMetadata = RestorePoint.checkpointNumber(name).isPresent()
                    && fs.exists(new org.apache.flink.core.fs.Path(status.getPath(), RestorePoint.METADATA_FILE));
            subdirectories.add(new Subdirectory(name, hasMetadata));
        }
        return new CheckpointListing(directory, true, subdirectories);
    }

    /**
     * A complete savepoint of the run (a {@code savepoint-*} directory with {@code _metadata}).
     *
     * @param path the savepoint directory
     * @param checkpointId Flink's checkpoint id, from the {@code _metadata} header ({@code
     *     Checkpoints.storeCheckpointMetadata}: magic number, format version, checkpoint id)
     */
    public record RunSavepoint(String path, long checkpointId) {}

    /** Flink's {@code Checkpoints.HEADER_MAGIC_NUMBER}, the first 4 bytes of every {@code _metadata}. */
    static final int METADATA_MAGIC = 0x4960672d;

    /**
     * The complete savepoints in a run's savepoint directory ({@code
     * <execution.checkpointing.savepoint-dir>}, which the operator sets per run), with their
     * checkpoint ids; file systems are set up as in {@link #read}, which must have run first.
     * Directories whose {@code _metadata} does not start with Flink's magic number are skipped.
     *
     * @return the savepoints; empty if the directory does not exist
     * @throws IOException if the directory cannot be listed or a {@code _metadata} cannot be read
     */
    public static List<RunSavepoint> readSavepoints(String directory) throws IOException {
        org.apache.flink.core.fs.Path dir = new org.apache.flink.core.fs.Path(directory);
        FileSystem fs = dir.getFileSystem();
        List<RunSavepoint> savepoints = new ArrayList<>();
        for (FileStatus status : list(fs, dir).orElse(new FileStatus[0])) {
            org.apache.flink.core.fs.Path metadata = new org.apache.flink.core.fs.Path(status.getPath(), RestorePoint.METADATA_FILE);
            if (!status.isDir() || !status.getPath().getName().startsWith("savepoint-") || !fs.exists(metadata)) {
                continue;
            }
            try (java.io.DataInputStream in = new java.io.DataInputStream(fs.open(metadata))) {
                if (in.readInt() != METADATA_MAGIC) {
                    continue;
                }
                in.readInt(); // format version
                savepoints.add(new RunSavepoint(status.getPath().toString(), in.readLong()));
            }
        }
        return savepoints;
    }

    /**
     * The entries of a directory; empty if it does not exist. Hadoop file systems (s3://) signal a
     * missing directory with FileNotFoundException, Flink's local file system with null.
     */
    private static Optional<FileStatus[]> list(FileSystem fs, org.apache.flink.core.fs.Path dir) throws IOException {
        try {
            return Optional.ofNullable(fs.listStatus(dir));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The configuration the listing runs with: the staged one plus {@link #LISTING_S3_RETRIES} for
     * each option it sets under none of the prefixes flink-s3-fs-hadoop reads ({@code s3.}, {@code
     * s3a.}, {@code fs.s3a.}).
     */
    static Configuration listingConfiguration(Configuration configuration) {
        Configuration copy = new Configuration(configuration);
        Map<String, String> set = configuration.toMap();
        for (Map.Entry<String, String> retry : new LinkedHashMap<>(LISTING_S3_RETRIES).entrySet()) {
            String option = retry.getKey().substring("s3.".length());
            if (S3_PREFIXES.stream().noneMatch(prefix -> set.containsKey(prefix + option))) {
                copy.setString(retry.getKey(), retry.getValue());
            }
        }
        return copy;
    }

    /**
     * The plugin manager Flink's {@code PluginUtils.createPluginManagerFromRootFolder} would build
     * with {@code FLINK_PLUGINS_DIR=pluginsDir} (the launcher's own environment does not have that
     * variable; the Flink process gets it from the plan).
     */
    private static PluginManager pluginManager(Configuration configuration, Path pluginsDir) throws IOException {
        String[] parentFirst = PluginConfig.fromConfiguration(configuration).getAlwaysParentFirstPatterns();
        if (!Files.isDirectory(pluginsDir)) {
            return new DefaultPluginManager(List.of(), parentFirst);
        }
        return new DefaultPluginManager(new DirectoryBasedPluginFinder(pluginsDir).findPlugins(), parentFirst);
    }
}
