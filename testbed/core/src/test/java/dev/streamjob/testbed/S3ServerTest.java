package dev.streamjob.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real S3 server (S3Proxy) driven with minio-java, as the operator's state store will. */
class S3ServerTest {

    private static S3Server s3;

    @BeforeAll
    static void startServer() {
        long begin = System.nanoTime();
        s3 = new S3Server("operator", "operator-secret").start();
        System.out.printf("S3 server ready at %s in %d ms%n", s3.endpoint(), (System.nanoTime() - begin) / 1_000_000);
    }

    @AfterAll
    static void closeServer() {
        Path directory = s3.dataDirectory().getParent();
        s3.close();
        assertFalse(Files.exists(directory), "close() deletes the server's directory");
    }

    @Test
    void aFrozenServerAnswersNothingAndKeepsItsObjectsWhenThawed() throws Exception {
        s3.createBucket("frozen");
        put(s3.client(), "frozen", "chk-1/_metadata", "kept");
        MinioClient impatient = MinioClient.builder().endpoint(s3.endpoint()).credentials("operator", "operator-secret")
                .httpClient(new okhttp3.OkHttpClient.Builder().readTimeout(java.time.Duration.ofSeconds(1)).build())
                .build();

        s3.freeze();
        try {
            assertThrows(java.io.InterruptedIOException.class, () -> impatient.statObject(
                    StatObjectArgs.builder().bucket("frozen").object("chk-1/_metadata").build()));
        } finally {
            s3.thaw();
        }
        try (InputStream in = impatient.getObject(GetObjectArgs.builder().bucket("frozen").object("chk-1/_metadata").build())) {
            assertEquals("kept", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void putsAndListsObjectsWithMinio() throws Exception {
        s3.createBucket("checkpoints");
        MinioClient client = s3.client();
        put(client, "checkpoints", "demo/0123/chk-1/_metadata", "one");
        put(client, "checkpoints", "demo/0123/chk-2/_metadata", "two");
        put(client, "checkpoints", "demo/0123/chk-2/data-file", "state");
        put(client, "checkpoints", "other/chk-9/_metadata", "x");

        assertEquals(List.of("demo/0123/chk-1/_metadata", "demo/0123/chk-2/_metadata", "demo/0123/chk-2/data-file"),
                s3.listObjects("checkpoints", "demo/"));
        assertEquals(4, s3.listObjects("checkpoints", "").size());
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket("checkpoints")
                .object("demo/0123/chk-2/_metadata").build())) {
            assertEquals("two", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDirectoryMarkerIsNotAnObjectOfTheSameNameWithoutSlash() throws Exception {
        // Hadoop's S3A (Flink's s3:// filesystem) creates directories as empty "name/" marker
        // objects and asks HEAD "name" to tell files from directories: S3 answers 404 there.
        s3.createBucket("markers");
        MinioClient client = s3.client();
        put(client, "markers", "job/shared/", "");

        ErrorResponseException head = assertThrows(ErrorResponseException.class, () -> client.statObject(
                StatObjectArgs.builder().bucket("markers").object("job/shared").build()));
        assertEquals("NoSuchKey", head.errorResponse().code());
        assertEquals(List.of("job/shared/"), s3.listObjects("markers", "job/"));
    }

    @Test
    void endpointIsLoopbackAndCredentialsAreEnforced() {
        assertTrue(s3.endpoint().startsWith("http://127.0.0.1:"));
        MinioClient intruder = MinioClient.builder().endpoint(s3.endpoint()).region(S3Server.REGION)
                .credentials("operator", "wrong-secret").build();
        assertThrows(ErrorResponseException.class, intruder::listBuckets);
    }

    @Test
    void bucketErrorsAreReported() {
        s3.createBucket("savepoints");
        assertThrows(IllegalStateException.class, () -> s3.createBucket("savepoints"));
        assertThrows(IllegalStateException.class, () -> s3.listObjects("no-such-bucket", ""));
    }

    private static void put(MinioClient client, String bucket, String key, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
    }
}
