package dev.drawbridge.broker.it.hostile;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One TCP connection to a broker, spoken to in raw bytes: whatever the test writes goes out unchanged, and what comes
 * back is cut into whole MQTT packets. A closed connection (FIN or RST) is an answer like any packet.
 */
final class RawSocket implements AutoCloseable {

    /** What a read found. */
    sealed interface Read permits Packet, Closed, Silent {}

    record Packet(byte[] bytes) implements Read {}

    /** The broker closed the connection (EOF or reset). */
    record Closed(String how) implements Read {}

    /** Nothing arrived within the timeout; the connection is still open. */
    record Silent() implements Read {}

    private static final Duration REST_OF_PACKET = Duration.ofSeconds(2);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String peer;
    private boolean closed;
    private String closedHow = "";

    private RawSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.peer = socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
        this.in = new BufferedInputStream(socket.getInputStream(), 65536);
        this.out = socket.getOutputStream();
    }

    static RawSocket open(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            return new RawSocket(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /**
     * A connection from another loopback address ({@code 127.0.0.2} and so on: Linux answers the whole of 127/8), so
     * that the broker sees another source address.
     */
    static RawSocket openFrom(String localAddress, int port) {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setTcpNoDelay(true);
            return new RawSocket(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect from " + localAddress + " to 127.0.0.1:" + port, e);
        }
    }

    /** The address the broker sees for this connection, as its log prints it. */
    String peer() {
        return peer;
    }

    /**
     * Writes the bytes. A broker that closes the connection while they are still arriving makes the write fail: that is
     * not an error here, the next read reports the close.
     */
    void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (SocketException e) {
            // Reset by the broker while writing: read() says so.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one byte at a time; false once the broker has closed the connection. */
    boolean trySendByte(int b) {
        try {
            out.write(b);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The next whole packet, the close, or silence for {@code timeout}. */
    Read read(Duration timeout) {
        if (closed) {
            return new Closed(closedHow);
        }
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            int first = in.read();
            if (first < 0) {
                return closed("EOF");
            }
            // A packet that has begun to arrive is read whole, however short the wait for its first byte was.
            socket.setSoTimeout((int) Math.max(REST_OF_PACKET.toMillis(), timeout.toMillis()));
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(first);
            int length = 0;
            int shift = 0;
            int digit;
            do {
                digit = in.read();
                if (digit < 0) {
                    return closed("EOF inside a fixed header");
                }
                packet.write(digit);
                length |= (digit & 0x7f) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0 && shift < 28);
            byte[] body = in.readNBytes(length);
            packet.writeBytes(body);
            if (body.length < length) {
                return closed("EOF inside a packet");
            }
            return new Packet(packet.toByteArray());
        } catch (SocketTimeoutException e) {
            return new Silent();
        } catch (SocketException e) {
            return closed("reset (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Closed closed(String how) {
        closed = true;
        closedHow = how;
        return new Closed(how);
    }

    /** The next packet, which must be there within the timeout. */
    byte[] expectPacket(Duration timeout) {
        Read read = read(timeout);
        if (read instanceof Packet p) {
            return p.bytes();
        }
        throw new AssertionError("expected a packet from the broker, found " + read);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
