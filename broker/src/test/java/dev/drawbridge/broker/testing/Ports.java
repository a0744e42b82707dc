package dev.drawbridge.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for brokers that run as processes, where port 0 cannot be asked for. */
public final class Ports {

    private Ports() {}

    /** A port that was free on 127.0.0.1 a moment ago: the OS picks it, the socket is closed again. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }
}
