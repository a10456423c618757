package dev.streamjob.operator.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamjob.operator.state.Snapshot.Kind;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RestorePointsTest {

    static final String RUN1 = "0f8c6a4e1b2d4c3e0000000100000001";
    static final String RUN2 = "0f8c6a4e1b2d4c3e0000000100000002";
    static final String LINEAGE2 = "0f8c6a4e1b2d4c3e0000000200000003";
    static final Predicate<String> LINEAGE_1 = id -> id.substring(16, 24).equals("00000001");
    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    static Snapshot checkpoint(String jobId, long id, boolean complete, int minute) {
        return new Snapshot("s3://b/p/checkpoints/" + jobId + "/chk-" + id, Kind.CHECKPOINT, jobId, id, complete,
                T.plusSeconds(60L * minute), 100);
    }

    static Snapshot savepoint(String jobId, String name, long id, int minute) {
        return new Snapshot("s3://b/p/savepoints/" + jobId + "/" + name, Kind.SAVEPOINT, jobId, id, true,
                T.plusSeconds(60L * minute), 200);
    }

    @Test
    void noSnapshotYetMeansNoRestorePoint() {
        assertThat(RestorePoints.newest(List.of(), LINEAGE_1)).isEmpty();
    }

    @Test
    void aCheckpointWithoutMetadataIsNeverChosen() {
        List<Snapshot> listing = List.of(checkpoint(RUN1, 4, true, 1), checkpoint(RUN1, 5, false, 2));
        assertThat(RestorePoints.newest(listing, LINEAGE_1)).contains(listing.get(0));
        assertThat(RestorePoints.newest(List.of(checkpoint(RUN1, 5, false, 2)), LINEAGE_1)).isEmpty();
    }

    @Test
    void aSavepointNewerThanTheLastCheckpointWins() {
        Snapshot sp = savepoint(RUN1, "savepoint-aaaaaa-1", 8, 3);
        List<Snapshot> listing = List.of(checkpoint(RUN1, 7, true, 2), sp);
        assertThat(RestorePoints.newest(listing, LINEAGE_1)).contains(sp);
    }

    @Test
    void aLaterRunsCheckpointWinsOverTheSavepointItStartedFrom() {
        Snapshot sp = savepoint(RUN1, "savepoint-aaaaaa-1", 8, 3);
        Snapshot chk = checkpoint(RUN2, 9, true, 4);
        assertThat(RestorePoints.newest(List.of(checkpoint(RUN1, 7, true, 2), sp, chk), LINEAGE_1)).contains(chk);
    }

    @Test
    void anotherLineagesSnapshotsAreIgnored() {
        Snapshot ours = checkpoint(RUN2, 3, true, 1);
        // A stateless upgrade started lineage 2; its ids restart at 1 and its checkpoints are newer.
        List<Snapshot> listing = List.of(ours, checkpoint(LINEAGE2, 40, true, 9));
        assertThat(RestorePoints.newest(listing, LINEAGE_1)).contains(ours);
        assertThat(RestorePoints.newest(listing, id -> id.equals(LINEAGE2))).contains(listing.get(1));
    }

    @Test
    void equalIdsAreOrderedByTime() {
        Snapshot older = savepoint(RUN1, "savepoint-aaaaaa-1", 8, 3);
        Snapshot newer = savepoint(RUN1, "savepoint-bbbbbb-2", 8, 5);
        assertThat(RestorePoints.newest(List.of(older, newer), LINEAGE_1)).contains(newer);
    }
}
