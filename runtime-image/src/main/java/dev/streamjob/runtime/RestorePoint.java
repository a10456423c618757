package dev.streamjob.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snapshot a JobManager's job resumes from, decided by the launcher at every start. Kubernetes
 * restarts a crashed JobManager container with the same arguments, so the arguments cannot name
 * the newest checkpoint; with {@code --restore-from-latest-checkpoint <dir>} the launcher looks in
 * the job's checkpoint directory instead (DESIGN, state safety rule 2):
 *
 * <ol>
 *   <li>the {@code chk-N} subdirectory with the largest N that holds {@code _metadata} (a
 *       checkpoint without it is incomplete and skipped), even if {@code --from-savepoint} is
 *       given: that savepoint started the run, and every checkpoint of the run is newer; unless a
 *       savepoint the run took itself (in its own savepoint directory) has a larger checkpoint id:
 *       a run stopped with a savepoint ends FINISHED, Flink deletes its checkpoints, and a
 *       JobManager restarted after that must continue from the savepoint;
 *   <li>otherwise the {@code --from-savepoint} savepoint, if given;
 *   <li>otherwise empty state.
 * </ol>
 *
 * {@link #choose} is that decision, without I/O; {@link CheckpointListing#read} does the listing.
 *
 * @param source where the job resumes from
 * @param path the snapshot to pass to Flink as {@code --fromSavepoint}; empty for {@link
 *     Source#EMPTY_STATE}
 * @param decision one line for the log that says what was chosen and why
 */
public record RestorePoint(Source source, Optional<String> path, String decision) {

    /** The file Flink writes last into a checkpoint directory; without it the checkpoint is incomplete. */
    public static final String METADATA_FILE = "_metadata";

    private static final Pattern CHECKPOINT_NAME = Pattern.compile("chk-([0-9]{1,18})");

    /** Where a job resumes from. */
    public enum Source {
        /** The newest complete checkpoint in the job's checkpoint directory. */
        LATEST_CHECKPOINT,
        /** A savepoint the run took itself, newer than its newest checkpoint. */
        RUN_SAVEPOINT,
        /** The savepoint (or retained checkpoint) of {@code --from-savepoint}. */
        SAVEPOINT,
        /** No snapshot: the job starts from empty state. */
        EMPTY_STATE
    }

    /** Checks that a snapshot comes with its path, and empty state without one. */
    public RestorePoint {
        if (path.isPresent() == (source == Source.EMPTY_STATE)) {
            throw new IllegalArgumentException(source + " with path " + path);
        }
    }

    /**
     * Chooses the restore point (see the class description). Pure: the listing was read before.
     *
     * @param checkpoints the listing of the {@code --restore-from-latest-checkpoint} directory, or
     *     empty if that option was not given
     * @param fromSavepoint the {@code --from-savepoint} path, if given
     * @return the restore point and the line to log
     */
    public static RestorePoint choose(Optional<CheckpointListing> checkpoints, Optional<String> fromSavepoint) {
        return choose(checkpoints, List.of(), fromSavepoint);
    }

    /**
     * Chooses the restore point (see the class description), the run's own savepoints included.
     *
     * @param runSavepoints complete savepoints in the run's savepoint directory, with their ids
     */
    public static RestorePoint choose(Optional<CheckpointListing> checkpoints,
            List<CheckpointListing.RunSavepoint> runSavepoints, Optional<String> fromSavepoint) {
        RestorePoint fromCheckpoints = chooseFromCheckpoints(checkpoints, fromSavepoint);
        long newestCheckpoint = fromCheckpoints.source() == Source.LATEST_CHECKPOINT
                ? checkpointNumber(lastSegment(fromCheckpoints.path().orElseThrow())).getAsLong()
                : -1;
        return runSavepoints.stream()
                .filter(s -> s.checkpointId() > newestCheckpoint)
                .max(java.util.Comparator.comparingLong(CheckpointListing.RunSavepoint::checkpointId))
                .map(s -> new RestorePoint(Source.RUN_SAVEPOINT, Optional.of(s.path()),
                        "restoring from savepoint " + s.path() + " (checkpoint " + s.checkpointId()
                                + "), taken by this run after its newest complete checkpoint"
                                + (newestCheckpoint < 0 ? "" : " (" + newestCheckpoint + ")")))
                .orElse(fromCheckpoints);
    }

    private static RestorePoint chooseFromCheckpoints(Optional<CheckpointListing> checkpoints,
            Optional<String> fromSavepoint) {
        if (checkpoints.isEmpty()) {
            return fromSavepoint
                    .map(savepoint -> new RestorePoint(Source.SAVEPOINT, Optional.of(savepoint),
                            "starting from savepoint " + savepoint + " (--from-savepoint)"))
                    .orElseGet(() -> new RestorePoint(Source.EMPTY_STATE, Optional.empty(),
                            "starting from empty state (neither --from-savepoint nor --restore-from-latest-checkpoint given)"));
        }
        CheckpointListing listing = checkpoints.get();
        String newest = null;
        long newestNumber = -1;
        List<String> incomplete = new ArrayList<>();
        for (CheckpointListing.Subdirectory subdirectory : listing.subdirectories()) {
            OptionalLong number = checkpointNumber(subdirectory.name());
            if (number.isEmpty()) {
                continue; // shared/, taskowned/, anything else
            }
            if (!subdirectory.hasMetadata()) {
                incomplete.add(subdirectory.name());
            } else if (number.getAsLong() > newestNumber) {
                newestNumber = number.getAsLong();
                newest = subdirectory.name();
            }
        }
        long chosen = newestNumber;
        List<String> skipped = incomplete.stream()
                .filter(name -> checkpointNumber(name).getAsLong() > chosen)
                .sorted((a, b) -> Long.compare(checkpointNumber(a).getAsLong(), checkpointNumber(b).getAsLong()))
                .toList();
        String skippedNote = skipped.isEmpty() ? "" : " (skipped incomplete " + String.join(", ", skipped) + ")";

        if (newest != null) {
            String path = child(listing.directory(), newest);
            return new RestorePoint(Source.LATEST_CHECKPOINT, Optional.of(path),
                    "restoring from checkpoint " + path + ", the newest complete one under " + listing.directory()
                            + skippedNote
                            + fromSavepoint.map(savepoint -> "; --from-savepoint " + savepoint + " is older and not used")
                                    .orElse(""));
        }
        String none = "no complete checkpoint under " + listing.directory() + "; starting from ";
        String detail = listing.exists() ? skippedNote : " (the directory does not exist)";
        return fromSavepoint
                .map(savepoint -> new RestorePoint(Source.SAVEPOINT, Optional.of(savepoint), none + savepoint + detail))
                .orElseGet(() -> new RestorePoint(Source.EMPTY_STATE, Optional.empty(), none + "empty state" + detail));
    }

    /** N of a checkpoint directory's name {@code chk-N}; empty for any other name. */
    public static OptionalLong checkpointNumber(String name) {
        Matcher matcher = CHECKPOINT_NAME.matcher(name);
        return matcher.matches() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /**
     * Checks that the {@code --restore-from-latest-checkpoint} directory is where the JobManager
     * will write its checkpoints, {@code <execution.checkpointing.dir>/<job id>}: otherwise the
     * next restart would resume from older state than the job has. URIs are compared after the
     * normalization Flink's {@code Path} applies ({@code file:///x/} and {@code file:/x} are equal).
     *
     * @param directory the {@code --restore-from-latest-checkpoint} value
     * @param jobId the {@code --job-id} value
     * @param checkpointsDirectory {@code execution.checkpointing.dir} of the staged configuration
     * @return why they do not match, or empty if they do
     */
    public static Optional<String> directoryMismatch(String directory, String jobId, String checkpointsDirectory) {
        String expected = child(checkpointsDirectory, jobId);
        if (normalize(directory).equals(normalize(expected))) {
            return Optional.empty();
        }
        return Optional.of("--restore-from-latest-checkpoint " + directory
                + " is not where the job writes its checkpoints, " + expected
                + " (execution.checkpointing.dir + '/' + job id)");
    }

    /** {@code directory/name}, with one slash between them. */
    static String child(String directory, String name) {
        return stripTrailingSlashes(directory) + "/" + name;
    }

    /** The last {@code /}-separated part of a URI or path, ignoring trailing slashes. */
    static String lastSegment(String directory) {
        String stripped = stripTrailingSlashes(directory);
        return stripped.substring(stripped.lastIndexOf('/') + 1);
    }

    private static String stripTrailingSlashes(String directory) {
        String stripped = directory;
        while (stripped.endsWith("/") && !stripped.endsWith(":/") && !stripped.endsWith("://")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }

    private static String normalize(String uri) {
        java.net.URI normalized = new org.apache.flink.core.fs.Path(uri).toUri();
        // Flink resolves a path without a scheme with the default file system, the local one.
        String scheme = normalized.getScheme() == null ? "file" : normalized.getScheme().toLowerCase(Locale.ROOT);
        String authority = normalized.getAuthority() == null ? "" : normalized.getAuthority();
        return scheme + "://" + authority + stripTrailingSlashes(normalized.getPath());
    }
}
