package dev.streamjob.operator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamjob.testbed.S3Server;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link MinioSnapshotStore} against a real S3 server (S3Proxy on 127.0.0.1). */
class MinioSnapshotStoreIT {

    private static final String RUN1 = "0f8c6a4e1b2d4c3e0000000100000001";
    private static final String RUN2 = "0f8c6a4e1b2d4c3e0000000100000002";
    private static S3Server s3;

    @BeforeAll
    static void start() {
        s3 = new S3Server().start();
        s3.createBucket("snapshots");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private static StoreAccess access(String prefix) {
        return new StoreAccess(s3.endpoint(), S3Server.REGION, "snapshots", prefix, s3.accessKey(), s3.secretKey());
    }

    private static void put(String key, byte[] content) throws Exception {
        s3.client().putObject(PutObjectArgs.builder().bucket("snapshots").object(key)
                .stream(new ByteArrayInputStream(content), content.length, -1).build());
    }

    /** A {@code _metadata} as Flink writes it: magic number, format version, checkpoint id, the rest. */
    private static byte[] metadata(long checkpointId) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MinioSnapshotStore.METADATA_MAGIC);
            out.writeInt(5);
            out.writeLong(checkpointId);
            out.write(new byte[100]);
        }
        return bytes.toByteArray();
    }

    @Test
    void listsCheckpointsAndSavepointsWithIdsSizesAndCompleteness() throws Exception {
        String p = "ns/orders/";
        put(p + "checkpoints/" + RUN1 + "/chk-4/_metadata", metadata(4));
        put(p + "checkpoints/" + RUN1 + "/chk-4/state-1", new byte[1000]);
        put(p + "checkpoints/" + RUN1 + "/chk-5/state-1", new byte[10]); // in progress: no _metadata
        put(p + "checkpoints/" + RUN1 + "/shared/x", new byte[5]);
        put(p + "savepoints/" + RUN1 + "/savepoint-0f8c6a-aaaaaaaaaaaa/_metadata", metadata(6));
        put(p + "savepoints/" + RUN1 + "/savepoint-0f8c6a-aaaaaaaaaaaa/state-1", new byte[2000]);
        put(p + "checkpoints/" + RUN2 + "/chk-7/_metadata", metadata(7));
        put("ns/other/checkpoints/" + RUN1 + "/chk-9/_metadata", metadata(9)); // another StreamJob's prefix

        List<Snapshot> listing = new MinioSnapshotStore().list(access(p)).stream()
                .sorted(Comparator.comparing(Snapshot::path)).toList();

        assertThat(listing).extracting(Snapshot::path, Snapshot::kind, Snapshot::jobId, Snapshot::checkpointId,
                Snapshot::complete, Snapshot::sizeBytes).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("s3://snapshots/ns/orders/checkpoints/" + RUN1 + "/chk-4",
                                Snapshot.Kind.CHECKPOINT, RUN1, 4L, true, 1000L + metadata(4).length),
                        org.assertj.core.groups.Tuple.tuple("s3://snapshots/ns/orders/checkpoints/" + RUN1 + "/chk-5",
                                Snapshot.Kind.CHECKPOINT, RUN1, 5L, false, 10L),
                        org.assertj.core.groups.Tuple.tuple("s3://snapshots/ns/orders/checkpoints/" + RUN2 + "/chk-7",
                                Snapshot.Kind.CHECKPOINT, RUN2, 7L, true, (long) metadata(7).length),
                        org.assertj.core.groups.Tuple.tuple("s3://snapshots/ns/orders/savepoints/" + RUN1
                                + "/savepoint-0f8c6a-aaaaaaaaaaaa", Snapshot.Kind.SAVEPOINT, RUN1, 6L, true,
                                2000L + metadata(6).length));
        assertThat(RestorePoints.newest(listing, id -> true)).hasValueSatisfying(s -> assertThat(s.checkpointId()).isEqualTo(7));
    }

    @Test
    void deletesEveryObjectOfASnapshotAndNothingElse() throws Exception {
        String p = "ns/delete/";
        put(p + "checkpoints/" + RUN1 + "/chk-1/_metadata", metadata(1));
        put(p + "checkpoints/" + RUN1 + "/chk-1/state-1", new byte[10]);
        put(p + "checkpoints/" + RUN1 + "/chk-10/_metadata", metadata(10));
        MinioSnapshotStore store = new MinioSnapshotStore();
        Snapshot chk1 = store.list(access(p)).stream().filter(s -> s.checkpointId() == 1).findFirst().orElseThrow();

        store.delete(access(p), chk1);

        assertThat(s3.listObjects("snapshots", p)).containsExactly(p + "checkpoints/" + RUN1 + "/chk-10/_metadata");
    }

    @Test
    void deletesEveryRunOfOneStreamJobAndNoOtherStreamJobsObjects() throws Exception {
        String p = "ns/purge/";
        String earlier = "99999999999999990000000100000001"; // a StreamJob of the same name, deleted before
        put(p + "checkpoints/" + RUN1 + "/chk-3/_metadata", metadata(3));
        put(p + "checkpoints/" + RUN1 + "/shared/state-x", new byte[10]);
        put(p + "checkpoints/" + RUN1 + "/taskowned/state-y", new byte[10]);
        put(p + "savepoints/" + RUN1 + "/savepoint-0f8c6a-bbbbbbbbbbbb/_metadata", metadata(4));
        put(p + "checkpoints/" + RUN2 + "/chk-5/_metadata", metadata(5));
        put(p + "savepoints/" + earlier + "/savepoint-999999-cccccccccccc/_metadata", metadata(2));
        put(p + "checkpoints/" + earlier + "/chk-2/_metadata", metadata(2));

        int deleted = new MinioSnapshotStore().deleteRuns(access(p), RUN1.substring(0, 16));

        assertThat(deleted).isEqualTo(5);
        assertThat(s3.listObjects("snapshots", p)).containsExactlyInAnyOrder(
                p + "savepoints/" + earlier + "/savepoint-999999-cccccccccccc/_metadata",
                p + "checkpoints/" + earlier + "/chk-2/_metadata");
        assertThatThrownBy(() -> new MinioSnapshotStore().deleteRuns(access(p), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongCredentialsAreAnErrorNotAnEmptyListing() {
        StoreAccess wrong = new StoreAccess(s3.endpoint(), S3Server.REGION, "snapshots", "ns/orders/", s3.accessKey(), "wrong");
        assertThatThrownBy(() -> new MinioSnapshotStore().list(wrong))
                .isInstanceOf(SnapshotStore.SnapshotStoreException.class)
                .hasMessageStartingWith("listing s3://snapshots/ns/orders/ at " + s3.endpoint() + " failed:");
    }
}
