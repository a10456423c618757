package dev.streamjob.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathMappingTest {

    private final PathMapping mapping;

    PathMappingTest() {
        Map<String, Path> paths = new LinkedHashMap<>();
        paths.put("/opt/flink", Path.of("/work/runtime"));
        paths.put("/opt/flink/conf/", Path.of("/tmp/pod/volumes/config"));
        mapping = new PathMapping(paths);
    }

    @Test
    void mapsWholePathPrefixesAnywhereInAString() {
        assertEquals("/work/runtime/bin/launcher", mapping.apply("/opt/flink/bin/launcher"));
        assertEquals("-Dlog.file=/work/runtime/log/jm.log", mapping.apply("-Dlog.file=/opt/flink/log/jm.log"));
        assertEquals("/work/runtime/lib/a.jar:/work/runtime/lib/b.jar",
                mapping.apply("/opt/flink/lib/a.jar:/opt/flink/lib/b.jar"));
        assertEquals("/work/runtime", mapping.apply("/opt/flink"));
        assertEquals("exec /work/runtime/bin/x \"$@\"", mapping.apply("exec /opt/flink/bin/x \"$@\""));
    }

    @Test
    void longestContainerPathWins() {
        assertEquals("/tmp/pod/volumes/config/flink-conf.yaml", mapping.apply("/opt/flink/conf/flink-conf.yaml"));
        assertEquals("/tmp/pod/volumes/config", mapping.apply("/opt/flink/conf"));
    }

    @Test
    void leavesLookalikesAlone() {
        assertEquals("/opt/flink-1.18/lib", mapping.apply("/opt/flink-1.18/lib"));
        assertEquals("/x/opt/flink/lib", mapping.apply("/x/opt/flink/lib"));
        assertEquals("/opt/flinkx", mapping.apply("/opt/flinkx"));
        assertEquals("s3://bucket/opt/flink", mapping.apply("s3://bucket/opt/flink"));
    }

    @Test
    void rejectsRelativeAndRootPaths() {
        assertThrows(IllegalArgumentException.class, () -> new PathMapping(Map.of("opt/flink", Path.of("/x"))));
        assertThrows(IllegalArgumentException.class, () -> new PathMapping(Map.of("/", Path.of("/x"))));
    }
}
