package dev.streamjob.operator.state;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Provides the operator's {@link SnapshotStore}: S3/MinIO through minio-java. */
@ApplicationScoped
public class SnapshotStoreProducer {

    /** The one store client the operator uses for every StreamJob (credentials come per call). */
    @Produces
    @ApplicationScoped
    public SnapshotStore snapshotStore() {
        return new MinioSnapshotStore();
    }
}
