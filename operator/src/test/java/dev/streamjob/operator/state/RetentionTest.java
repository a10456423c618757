package dev.streamjob.operator.state;

import static dev.streamjob.operator.state.RestorePointsTest.LINEAGE_1;
import static dev.streamjob.operator.state.RestorePointsTest.RUN1;
import static dev.streamjob.operator.state.RestorePointsTest.RUN2;
import static dev.streamjob.operator.state.RestorePointsTest.T;
import static dev.streamjob.operator.state.RestorePointsTest.checkpoint;
import static dev.streamjob.operator.state.RestorePointsTest.savepoint;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionTest {

    @Test
    void keepsTheNewestSavepointsUpToTheCount() {
        List<Snapshot> savepoints = List.of(savepoint(RUN1, "savepoint-1", 3, 1), savepoint(RUN1, "savepoint-2", 6, 2),
                savepoint(RUN1, "savepoint-3", 9, 3));
        List<Snapshot> delete = Retention.toDelete(savepoints, RUN1, LINEAGE_1, Set.of(), 2, Optional.empty(), T.plusSeconds(3600));
        assertThat(delete).containsExactly(savepoints.get(0));
    }

    @Test
    void deletesSavepointsOlderThanMaxAgeButAlwaysKeepsTheNewest() {
        List<Snapshot> savepoints = List.of(savepoint(RUN1, "savepoint-1", 3, 1), savepoint(RUN1, "savepoint-2", 6, 2));
        List<Snapshot> delete = Retention.toDelete(savepoints, RUN1, LINEAGE_1, Set.of(), 10,
                Optional.of(Duration.ofMinutes(30)), T.plus(Duration.ofDays(1)));
        assertThat(delete).containsExactly(savepoints.get(0));
    }

    @Test
    void earlierRunsCheckpointsGoOnceTheCurrentRunHasItsOwn() {
        Snapshot old = checkpoint(RUN1, 7, true, 1);
        Snapshot oldIncomplete = checkpoint(RUN1, 8, false, 2);
        Snapshot sp = savepoint(RUN1, "savepoint-1", 9, 3);
        assertThat(Retention.toDelete(List.of(old, oldIncomplete, sp), RUN2, LINEAGE_1, Set.of(sp.path()), 5,
                Optional.empty(), T)).as("the new run has no checkpoint yet").isEmpty();

        Snapshot current = checkpoint(RUN2, 10, true, 4);
        assertThat(Retention.toDelete(List.of(old, oldIncomplete, sp, current), RUN2, LINEAGE_1, Set.of(sp.path()), 5,
                Optional.empty(), T)).containsExactlyInAnyOrder(old, oldIncomplete);
    }

    @Test
    void neverDeletesTheNewestSnapshotOrAProtectedOne() {
        Snapshot restoredFrom = savepoint(RUN1, "savepoint-1", 3, 1);
        Snapshot newest = savepoint(RUN1, "savepoint-2", 6, 2);
        assertThat(Retention.toDelete(List.of(restoredFrom, newest), RUN2, LINEAGE_1, Set.of(restoredFrom.path()), 1,
                Optional.empty(), T)).isEmpty();
    }
}
