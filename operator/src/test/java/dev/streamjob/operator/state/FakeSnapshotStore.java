package dev.streamjob.operator.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for the object store in operator tests: the snapshots a test put there. */
public class FakeSnapshotStore implements SnapshotStore {

    private final List<Snapshot> snapshots = new CopyOnWriteArrayList<>();
    private final List<String> deleted = new CopyOnWriteArrayList<>();
    private volatile boolean unreachable;

    /** Adds a complete checkpoint {@code <prefix>checkpoints/<jobId>/chk-<id>}. */
    public void checkpoint(StoreAccess access, String jobId, long id, Instant time) {
        snapshots.add(new Snapshot("s3://" + access.bucket() + "/" + access.keyPrefix() + "checkpoints/" + jobId + "/chk-" + id,
                Snapshot.Kind.CHECKPOINT, jobId, id, true, time, 1000));
    }

    /** Adds a complete savepoint at {@code path}. */
    public void savepoint(String path, String jobId, long id, Instant time) {
        snapshots.add(new Snapshot(path, Snapshot.Kind.SAVEPOINT, jobId, id, true, time, 2000));
    }

    /** Makes every call fail, as an unreachable store would. */
    public void unreachable(boolean value) {
        unreachable = value;
    }

    /** Paths deleted so far. */
    public List<String> deleted() {
        return List.copyOf(deleted);
    }

    @Override
    public List<Snapshot> list(StoreAccess access) throws SnapshotStoreException {
        check();
        return new ArrayList<>(snapshots);
    }

    @Override
    public void delete(StoreAccess access, Snapshot snapshot) throws SnapshotStoreException {
        check();
        snapshots.removeIf(s -> s.path().equals(snapshot.path()));
        deleted.add(snapshot.path());
    }

    @Override
    public int deleteRuns(StoreAccess access, String jobIdPrefix) throws SnapshotStoreException {
        check();
        List<Snapshot> runs = snapshots.stream().filter(s -> s.jobId().startsWith(jobIdPrefix)).toList();
        snapshots.removeAll(runs);
        runs.forEach(s -> deleted.add(s.path()));  // a fake snapshot counts as one object
        return runs.size();
    }

    private void check() throws SnapshotStoreException {
        if (unreachable) {
            throw new SnapshotStoreException("connection refused", null);
        }
    }
}
