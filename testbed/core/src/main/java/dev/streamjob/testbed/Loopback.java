package dev.streamjob.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The loopback address every testbed server listens on, and free ports on it. */
final class Loopback {

    /** Every server of the testbed binds this address and no other. */
    static final String HOST = "127.0.0.1";

    private Loopback() {
    }

    /**
     * Returns a TCP port that was free on 127.0.0.1 a moment ago (the OS picks it; another
     * process may still take it before the caller binds it).
     *
     * @throws UncheckedIOException if no socket can be opened
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }
}
