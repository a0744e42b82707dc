package dev.drawbridge.broker.it.differential;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A TCP connection to a broker that a test drives byte by byte, with a reader thread that turns what comes back into
 * {@link Event}s in arrival order: every packet, whatever its type, then the close. Nothing is acknowledged for the
 * test, so it sees exactly what a client that does nothing would see.
 */
public final class RawConnection implements AutoCloseable {

    /** What the broker did on this connection. */
    public sealed interface Event permits Received, Closed {}

    /** A whole packet arrived. */
    public record Received(Frame frame) implements Event {
        @Override
        public String toString() {
            return frame.describe();
        }
    }

    /** The broker closed the connection (end of stream or reset). */
    public record Closed() implements Event {
        @Override
        public String toString() {
            return "closed by broker";
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile boolean closedByBroker;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
        Thread reader = new Thread(() -> readLoop(in), "raw-connection-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to 127.0.0.1. */
    public static RawConnection open(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /** Writes the bytes; a write after the broker closed is no error here (the events say so). */
    public void send(byte[] bytes) {
        try {
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            // the broker has closed or reset the connection: its Closed event tells the test
        }
    }

    /** The next event, or null when none came within the timeout. */
    public @Nullable Event next(Duration timeout) {
        try {
            return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the broker", e);
        }
    }

    /** The next packet within the timeout; a close or silence fails the test. */
    public Frame expectFrame(Duration timeout) {
        Event event = next(timeout);
        if (event instanceof Received r) {
            return r.frame();
        }
        throw new AssertionError("expected a packet within " + timeout + ", found "
                + (event == null ? "nothing (connection still open)" : event));
    }

    /** The next packet, which must be of this type. */
    public Frame expect(int type, Duration timeout) {
        Frame frame = expectFrame(timeout);
        if (frame.type() != type) {
            throw new AssertionError("expected packet type " + type + ", found " + frame.describe());
        }
        return frame;
    }

    /**
     * Waits until the broker closes the connection and returns the packets that came before the close; fails when the
     * connection is still open after the timeout.
     */
    public List<Frame> expectClosed(Duration timeout) {
        List<Frame> before = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (event == null) {
                throw new AssertionError(
                        "the broker did not close the connection within " + timeout + "; it sent " + before);
            }
            if (event instanceof Received r) {
                before.add(r.frame());
            } else {
                return before;
            }
        }
    }

    public boolean closedByBroker() {
        return closedByBroker;
    }

    private void readLoop(InputStream in) {
        try {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                int length = 0;
                int shift = 0;
                int digit;
                do {
                    digit = in.read();
                    if (digit < 0) {
                        return;
                    }
                    length |= (digit & 0x7f) << shift;
                    shift += 7;
                } while ((digit & 0x80) != 0 && shift < 28);
                byte[] body = in.readNBytes(length);
                if (body.length < length) {
                    return;
                }
                events.add(new Received(new Frame(first, body)));
            }
        } catch (IOException e) {
            // reset by the broker, or closed by the test
        } finally {
            closedByBroker = true;
            events.add(new Closed());
        }
    }

    /** Drops the socket without DISCONNECT. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
