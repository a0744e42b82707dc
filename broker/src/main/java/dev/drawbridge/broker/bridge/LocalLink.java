package dev.drawbridge.broker.bridge;

import dev.drawbridge.broker.engine.session.ClientLink;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The engine's side of a bridge's in-process client, as Mosquitto's bridge context is a client of its own broker:
 * what the engine writes to it (encoded packets, or codec messages) is decoded with Netty's MQTT 5 decoder, in order,
 * and handed to the bridge. Acknowledgements that wait for the store hold back what follows, as on a socket. Runs on
 * the bridge's event loop, which is also its remote connection's: the two sides never need a lock.
 */
final class LocalLink implements ClientLink {

    /** Netty's codec keeps the protocol version of a channel under this name (its {@code MqttCodecUtil}). */
    private static final AttributeKey<MqttVersion> MQTT_VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private static final int MAX_PACKET = 268_435_455;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** What the link tells its bridge, on the bridge's event loop. */
    interface Events {
        /** A packet from the engine, decoded; the bridge releases it. */
        void localPacket(MqttMessage message);

        /** The engine closed the link (a takeover, a protocol error, a failed save). */
        void localClosed();

        /** Whether the remote connection takes more now. */
        boolean remoteTakesMore();

        /** Sends what was written to the remote broker. */
        void flushRemote();
    }

    private record Held(Object packet, CompletableFuture<Void> saved) {}

    private final EventLoop loop;
    private final String name;
    private final Events events;
    private final EmbeddedChannel decoder;
    private final ArrayDeque<Held> held = new ArrayDeque<>(1);
    private final ArrayDeque<Object> toDecode = new ArrayDeque<>();
    private boolean decoding;
    private boolean closed;

    LocalLink(EventLoop loop, String name, Events events) {
        this.loop = loop;
        this.name = name;
        this.events = events;
        this.decoder = new EmbeddedChannel(new MqttDecoder(MAX_PACKET));
        decoder.attr(MQTT_VERSION).set(MqttVersion.MQTT_5);
    }

    @Override
    public Executor executor() {
        return loop;
    }

    @Override
    public boolean inEventLoop() {
        return loop.inEventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    @Override
    public void write(Object packet) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> write(packet));
            return;
        }
        if (held.isEmpty()) {
            decode(packet);
        } else {
            held.add(new Held(packet, DONE));
        }
    }

    @Override
    public void writeWhenSaved(Object packet, CompletableFuture<Void> saved) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> writeWhenSaved(packet, saved));
            return;
        }
        if (held.isEmpty() && saved.isDone() && !saved.isCompletedExceptionally()) {
            decode(packet);
            return;
        }
        held.add(new Held(packet, saved));
        saved.whenComplete((ok, error) -> loop.execute(this::releaseSaved));
    }

    private void releaseSaved() {
        while (!held.isEmpty() && held.peek().saved().isDone()) {
            Held next = held.poll();
            if (next.saved().isCompletedExceptionally()) {
                // The store could not keep what this acknowledges: end the link rather than tell the remote it is safe.
                ReferenceCountUtil.release(next.packet());
                close();
                return;
            }
            decode(next.packet());
        }
        events.flushRemote();
    }

    /** Decodes in order; a packet the bridge's handling makes the engine write waits for the one being handled. */
    private void decode(Object packet) {
        if (closed) {
            ReferenceCountUtil.release(packet);
            return;
        }
        toDecode.add(packet);
        if (decoding) {
            return;
        }
        decoding = true;
        try {
            while (!toDecode.isEmpty() && !closed) {
                decoder.writeInbound(toDecode.poll());
                for (Object out = decoder.readInbound(); out != null; out = decoder.readInbound()) {
                    if (out instanceof MqttMessage message && !closed) {
                        events.localPacket(message);
                    } else {
                        ReferenceCountUtil.release(out);
                    }
                }
            }
        } finally {
            decoding = false;
        }
        events.flushRemote();
    }

    @Override
    public void flush() {
        if (!loop.inEventLoop()) {
            loop.execute(this::flush);
            return;
        }
        events.flushRemote();
    }

    @Override
    public boolean isWritable() {
        return events.remoteTakesMore();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** The engine closes the link: the bridge drops its remote connection too and connects again later. */
    @Override
    public void close() {
        if (!loop.inEventLoop()) {
            loop.execute(this::close);
            return;
        }
        if (closed) {
            return;
        }
        release();
        events.localClosed();
    }

    /** Frees what waits; nothing reaches the bridge afterwards. */
    void release() {
        closed = true;
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll().packet());
        }
        while (!toDecode.isEmpty()) {
            ReferenceCountUtil.release(toDecode.poll());
        }
        decoder.finishAndReleaseAll();
    }

    @Override
    public void keepAlive(int seconds) {
        // In-process: no socket to watch. The remote connection has its own keepalive.
    }

    @Override
    public int maxQos() {
        return 2;
    }

    @Override
    public String mountPoint() {
        return "";
    }

    @Override
    public String remote() {
        return "bridge " + name;
    }
}
