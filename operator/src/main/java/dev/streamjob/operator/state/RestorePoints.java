package dev.streamjob.operator.state;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Chooses the snapshot a new run starts from, in one place (DESIGN.md, state safety rule 1): the
 * newest complete snapshot of the run's lineage, checkpoints and savepoints alike, ordered by
 * checkpoint id (which grows along a lineage) and then by time. Pure: the listing was read before.
 */
public final class RestorePoints {

    /** Newest first: by checkpoint id, then by modification time. */
    public static final Comparator<Snapshot> NEWEST_FIRST = Comparator.comparingLong(Snapshot::checkpointId)
            .thenComparing(Snapshot::lastModified)
            .reversed();

    private RestorePoints() {
    }

    /**
     * The newest complete snapshot whose job id belongs to the lineage.
     *
     * @param snapshots the store's listing
     * @param inLineage whether a job id belongs to the lineage
     * @return empty when the lineage has no complete snapshot
     */
    public static Optional<Snapshot> newest(List<Snapshot> snapshots, Predicate<String> inLineage) {
        return snapshots.stream()
                .filter(Snapshot::complete)
                .filter(s -> inLineage.test(s.jobId()))
                .min(NEWEST_FIRST);
    }
}
