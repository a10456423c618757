package dev.streamjob.runtime.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where the integration tests find the assembled runtime and keep their files; free ports. */
final class ItEnvironment {

    private ItEnvironment() {}

    /** The assembled FLINK_HOME, {@code target/flink} (system property {@code streamjob.flink-home}). */
    static Path flinkHome() {
        return Path.of(System.getProperty("streamjob.flink-home", "target/flink")).toAbsolutePath();
    }

    /** A new, empty directory {@code target/it/<name>} for one test class. */
    static Path freshWorkDir(String name) throws IOException {
        Path dir = Path.of(System.getProperty("streamjob.it-work-dir", "target/it")).toAbsolutePath().resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> tree = Files.walk(dir)) {
                tree.sorted(Comparator.reverseOrder()).forEach(ItEnvironment::delete);
            }
        }
        return Files.createDirectories(dir);
    }

    /** A TCP port that is free on 127.0.0.1 right now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
