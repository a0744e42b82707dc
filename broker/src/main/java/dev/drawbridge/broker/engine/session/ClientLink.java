package dev.drawbridge.broker.engine.session;

import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A client's connection as the engine sees it: the listener layer implements it over a Netty channel, so that no
 * engine package touches channels. Packets leave in the order they are written; an acknowledgement that waits for the
 * store holds back everything written after it.
 */
public interface ClientLink {

    /** The thread that owns this connection; a session's deliveries are written from there. */
    Executor executor();

    boolean inEventLoop();

    ByteBufAllocator alloc();

    /** Writes a packet (an encoded buffer, or a codec message) after everything written before it; no flush. */
    void write(Object packet);

    /**
     * Writes an acknowledgement once {@code saved} has completed, and holds everything written after it until then; a
     * failed save closes the connection without it, so the client sends again rather than believe it delivered.
     */
    void writeWhenSaved(Object packet, CompletableFuture<Void> saved);

    void flush();

    /** Whether the socket takes more now; when it does again, the session is told ({@link Session#scheduleDrain}). */
    boolean isWritable();

    boolean isOpen();

    void close();

    /** Arms the keepalive: the connection closes when nothing comes for 1.5 times this; 0 for never. */
    void keepAlive(int seconds);

    /** The highest QoS the connection's listener delivers at ({@code max_qos}; 2 where none is set). */
    int maxQos();

    /**
     * The connection's listener's {@code mount_point}: only messages on topics below it are sent to this client, which
     * sees them with it taken off. Empty for none.
     */
    String mountPoint();

    /** The peer's address, for log lines. */
    String remote();
}
