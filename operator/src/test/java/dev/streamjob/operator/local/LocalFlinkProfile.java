package dev.streamjob.operator.local;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The operator with its REST client pointed at a JobManager running as a local process on
 * 127.0.0.1 (see {@link LocalFlinkCluster}) instead of the in-cluster Service name.
 */
public class LocalFlinkProfile implements QuarkusTestProfile {

    /** The REST port of the local JobManager, fixed before the operator starts. */
    public static final int REST_PORT = LocalFlinkCluster.freePort();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("streamjob.flink.rest-url-template", "http://127.0.0.1:" + REST_PORT);
    }
}
