package dev.streamjob.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResolvedStorageTest {

    private static ResolvedStorage endpoint(String url) {
        return new ResolvedStorage(Optional.ofNullable(url), Optional.of("flink"), "ns/job", "us-east-1", true,
                Optional.empty());
    }

    /** The operator runs in its own namespace: a bare Service name is the StreamJob's namespace's. */
    @ParameterizedTest
    @CsvSource({
        "http://minio:9000, http://minio.team-a.svc:9000",
        "https://minio, https://minio.team-a.svc",
        "http://minio:9000/base, http://minio.team-a.svc:9000/base",
        "http://minio.minio.svc:9000, http://minio.minio.svc:9000",
        "http://10.88.0.1:9000, http://10.88.0.1:9000",
        "http://127.0.0.1:39001, http://127.0.0.1:39001",
        "http://localhost:9000, http://localhost:9000",
        "http://[::1]:9000, http://[::1]:9000",
        "https://s3.eu-west-1.amazonaws.com, https://s3.eu-west-1.amazonaws.com"
    })
    void bareServiceNamesAreQualifiedWithTheStreamJobsNamespace(String url, String fromOperator) {
        assertThat(endpoint(url).endpointForOperator("team-a")).contains(fromOperator);
    }

    @Test
    void noEndpointStaysEmpty() {
        assertThat(endpoint(null).endpointForOperator("team-a")).isEmpty();
    }
}
