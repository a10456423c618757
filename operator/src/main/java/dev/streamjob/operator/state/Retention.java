package dev.streamjob.operator.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which snapshots the operator deletes (DESIGN.md, state safety rule 4). Pure; the reconciler
 * deletes what it returns.
 *
 * <ul>
 *   <li>Savepoints (by time, across lineages): beyond the newest {@code maxCount}, and older than
 *       {@code maxAge}; the newest savepoint is always kept.
 *   <li>Checkpoints of earlier runs of the current lineage, once the current run has a complete
 *       checkpoint of its own (Flink keeps the checkpoints of crashed and replaced runs forever).
 * </ul>
 *
 * Never deleted: the newest complete snapshot of the current lineage, the snapshot the current
 * run started from, incomplete snapshots of the current run (Flink may be writing them), and
 * anything of other lineages except their savepoints beyond the limits.
 */
public final class Retention {

    private Retention() {
    }

    /**
     * The snapshots to delete.
     *
     * @param snapshots the store's listing
     * @param currentJobId job id of the current run
     * @param currentLineage job ids of the current lineage
     * @param protectedPaths paths never to delete (the current run's restore point ...)
     * @param maxCount savepoints to keep
     * @param maxAge savepoints older than this are deleted; empty: no age limit
     */
    public static List<Snapshot> toDelete(List<Snapshot> snapshots, String currentJobId,
            java.util.function.Predicate<String> currentLineage, Set<String> protectedPaths, int maxCount,
            Optional<Duration> maxAge, Instant now) {
        Optional<Snapshot> newest = RestorePoints.newest(snapshots, currentLineage);
        List<Snapshot> delete = new ArrayList<>();
        List<Snapshot> savepoints = snapshots.stream()
                .filter(s -> s.kind() == Snapshot.Kind.SAVEPOINT && s.complete())
                .sorted(java.util.Comparator.comparing(Snapshot::lastModified).reversed())
                .toList();
        for (int i = 1; i < savepoints.size(); i++) {
            Snapshot s = savepoints.get(i);
            boolean tooMany = i >= maxCount;
            boolean tooOld = maxAge.map(age -> s.lastModified().plus(age).isBefore(now)).orElse(false);
            if (tooMany || tooOld) {
                delete.add(s);
            }
        }
        boolean currentRunHasCheckpoint = snapshots.stream().anyMatch(s -> s.kind() == Snapshot.Kind.CHECKPOINT
                && s.complete() && s.jobId().equals(currentJobId));
        if (currentRunHasCheckpoint) {
            snapshots.stream()
                    .filter(s -> s.kind() == Snapshot.Kind.CHECKPOINT)
                    .filter(s -> !s.jobId().equals(currentJobId) && currentLineage.test(s.jobId()))
                    .forEach(delete::add);
        }
        delete.removeIf(s -> protectedPaths.contains(s.path()) || newest.map(n -> n.path().equals(s.path())).orElse(false));
        return delete;
    }
}
