package dev.streamjob.operator.state;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import java.io.DataInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.jboss.logging.Logger;

/**
 * {@link SnapshotStore} on S3/MinIO with minio-java. It lists {@code <prefix>checkpoints/} and
 * {@code <prefix>savepoints/} and groups the objects by snapshot directory; a savepoint's
 * checkpoint id comes from the first 16 bytes of its {@code _metadata} (Flink's
 * {@code Checkpoints.storeCheckpointMetadata}: magic number, version, then the checkpoint id).
 */
public class MinioSnapshotStore implements SnapshotStore {

    private static final Logger LOG = Logger.getLogger(MinioSnapshotStore.class);
    /** Flink's {@code Checkpoints.HEADER_MAGIC_NUMBER}. */
    static final int METADATA_MAGIC = 0x4960672d;
    private static final Pattern CHECKPOINT = Pattern.compile("checkpoints/([0-9a-f]{32})/chk-([0-9]+)/(.+)");
    private static final Pattern SAVEPOINT = Pattern.compile("savepoints/([0-9a-f]{32})/(savepoint-[^/]+)/(.+)");

    // One HTTP client for every store: minio-java builds a new one per MinioClient otherwise.
    private final OkHttpClient http = new OkHttpClient.Builder()
            .connectTimeout(5, TimeUnit.SECONDS)
            .readTimeout(30, TimeUnit.SECONDS)
            .writeTimeout(30, TimeUnit.SECONDS)
            .build();

    @Override
    public List<Snapshot> list(StoreAccess access) throws SnapshotStoreException {
        MinioClient client = client(access);
        Map<String, Building> snapshots = new LinkedHashMap<>();
        try {
            for (String area : List.of("checkpoints/", "savepoints/")) {
                for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(access.bucket())
                        .prefix(access.keyPrefix() + area).recursive(true).build())) {
                    Item item = result.get();
                    if (item.isDir()) {
                        continue;
                    }
                    String relative = item.objectName().substring(access.keyPrefix().length());
                    Matcher chk = CHECKPOINT.matcher(relative);
                    Matcher sp = SAVEPOINT.matcher(relative);
                    Building b;
                    if (chk.matches()) {
                        String dir = "checkpoints/" + chk.group(1) + "/chk-" + chk.group(2);
                        b = snapshots.computeIfAbsent(dir, d -> new Building(Snapshot.Kind.CHECKPOINT, chk.group(1),
                                Long.parseLong(chk.group(2))));
                        b.metadata |= chk.group(3).equals("_metadata");
                    } else if (sp.matches()) {
                        String dir = "savepoints/" + sp.group(1) + "/" + sp.group(2);
                        b = snapshots.computeIfAbsent(dir, d -> new Building(Snapshot.Kind.SAVEPOINT, sp.group(1), -1));
                        b.metadata |= sp.group(3).equals("_metadata");
                    } else {
                        continue; // shared/, taskowned/, anything else
                    }
                    b.size += item.size();
                    Instant modified = item.lastModified().toInstant();
                    b.lastModified = b.lastModified == null || modified.isAfter(b.lastModified) ? modified : b.lastModified;
                }
            }
            List<Snapshot> out = new ArrayList<>();
            for (Map.Entry<String, Building> e : snapshots.entrySet()) {
                Building b = e.getValue();
                String key = access.keyPrefix() + e.getKey();
                long id = b.id;
                if (b.kind == Snapshot.Kind.SAVEPOINT && b.metadata) {
                    id = savepointCheckpointId(client, access.bucket(), key + "/_metadata");
                }
                out.add(new Snapshot("s3://" + access.bucket() + "/" + key, b.kind, b.jobId, id, b.metadata,
                        b.lastModified, b.size));
            }
            return out;
        } catch (Exception e) {
            throw new SnapshotStoreException("listing s3://" + access.bucket() + "/" + access.keyPrefix() + " at "
                    + access.endpoint() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(StoreAccess access, Snapshot snapshot) throws SnapshotStoreException {
        String prefix = "s3://" + access.bucket() + "/";
        if (!snapshot.path().startsWith(prefix + access.keyPrefix())) {
            throw new IllegalArgumentException(snapshot.path() + " is not under " + prefix + access.keyPrefix());
        }
        removeAll(access, snapshot.path().substring(prefix.length()) + "/");
    }

    @Override
    public int deleteRuns(StoreAccess access, String jobIdPrefix) throws SnapshotStoreException {
        if (!jobIdPrefix.matches("[0-9a-f]{16,32}")) {
            throw new IllegalArgumentException("not a job id prefix of at least 16 hex characters: " + jobIdPrefix);
        }
        return removeAll(access, access.keyPrefix() + "checkpoints/" + jobIdPrefix)
                + removeAll(access, access.keyPrefix() + "savepoints/" + jobIdPrefix);
    }

    private int removeAll(StoreAccess access, String keyPrefix) throws SnapshotStoreException {
        MinioClient client = client(access);
        try {
            List<DeleteObject> objects = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(access.bucket())
                    .prefix(keyPrefix).recursive(true).build())) {
                objects.add(new DeleteObject(result.get().objectName()));
            }
            for (Result<DeleteError> error : client.removeObjects(RemoveObjectsArgs.builder()
                    .bucket(access.bucket()).objects(objects).build())) {
                DeleteError e = error.get();
                throw new SnapshotStoreException("deleting " + e.objectName() + " failed: " + e.message(), null);
            }
            LOG.debugf("deleted %d objects under s3://%s/%s", objects.size(), access.bucket(), keyPrefix);
            return objects.size();
        } catch (SnapshotStoreException e) {
            throw e;
        } catch (Exception e) {
            throw new SnapshotStoreException("deleting s3://" + access.bucket() + "/" + keyPrefix + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** The checkpoint id in a {@code _metadata} header; -1 if the header is not Flink's. */
    private static long savepointCheckpointId(MinioClient client, String bucket, String key) throws Exception {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                .offset(0L).length(16L).build()); DataInputStream data = new DataInputStream(in)) {
            if (data.readInt() != METADATA_MAGIC) {
                LOG.warnf("s3://%s/%s does not start with Flink's metadata magic number", bucket, key);
                return -1;
            }
            data.readInt(); // format version
            return data.readLong();
        }
    }

    private MinioClient client(StoreAccess access) {
        MinioClient.Builder builder = MinioClient.builder().endpoint(access.endpoint()).region(access.region())
                .httpClient(http);
        if (access.accessKey() != null) {
            builder.credentials(access.accessKey(), access.secretKey());
        }
        return builder.build();
    }

    /** A snapshot while its objects are being listed. */
    private static final class Building {
        final Snapshot.Kind kind;
        final String jobId;
        final long id;
        boolean metadata;
        long size;
        Instant lastModified;

        Building(Snapshot.Kind kind, String jobId, long id) {
            this.kind = kind;
            this.jobId = jobId;
            this.id = id;
        }
    }
}
