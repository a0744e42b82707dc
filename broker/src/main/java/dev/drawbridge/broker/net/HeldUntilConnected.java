package dev.drawbridge.broker.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packets of one connection that came after its CONNECT, held (unjudged, with reading paused) from the moment the
 * CONNECT goes on to the MQTT core until the core has accepted it, then handed back to the front handler in order; and
 * a close asked for meanwhile, done once the core is ready (moquette#821).
 */
final class HeldUntilConnected {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private final Predicate<Channel> coreConnected;
    /** How the front handler judges and passes on one packet. */
    private final BiConsumer<ChannelHandlerContext, MqttMessage> handle;
    /** How the front handler closes the connection for something the client sent. */
    private final Consumer<ChannelHandlerContext> close;
    /** The client's name for log lines. */
    private final Supplier<String> client;

    /** Packets that came after the CONNECT, held until the core has finished accepting it. */
    private final ArrayDeque<MqttMessage> held = new ArrayDeque<>();

    private boolean awaitingCore;
    /** A malformed packet came while the core was accepting the CONNECT: close once it has. */
    private boolean closeWhenCoreIsReady;

    HeldUntilConnected(
            Predicate<Channel> coreConnected,
            BiConsumer<ChannelHandlerContext, MqttMessage> handle,
            Consumer<ChannelHandlerContext> close,
            Supplier<String> client) {
        this.coreConnected = coreConnected;
        this.handle = handle;
        this.close = close;
        this.client = client;
    }

    /** The CONNECT has gone on to the core: hold what follows until the core has accepted it. */
    void awaitCore() {
        awaitingCore = true;
    }

    /** Whether the core is still accepting the CONNECT, so packets must be held. */
    boolean awaitingCore() {
        return awaitingCore;
    }

    void hold(ChannelHandlerContext ctx, MqttMessage message) {
        held.add(message);
        ctx.channel().config().setAutoRead(false);
    }

    void closeWhenCoreIsReady(ChannelHandlerContext ctx) {
        closeWhenCoreIsReady = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** The core has written its CONNACK: once it has finished the CONNECT, what is held goes on and reading resumes. */
    void releaseWhenCoreIsReady(ChannelHandlerContext ctx) {
        releaseWhenCoreIsReady(ctx, 0);
    }

    private void releaseWhenCoreIsReady(ChannelHandlerContext ctx, int attempt) {
        if (!ctx.channel().isActive()) {
            // channelInactive hands what is held to the core, then reports the close.
            return;
        }
        if (!coreConnected.test(ctx.channel())) {
            if (attempt >= 5_000) {
                LOG.warn("Client {}: the MQTT core did not finish the CONNECT, disconnecting.", client.get());
                ctx.close();
                return;
            }
            ctx.executor().schedule(() -> releaseWhenCoreIsReady(ctx, attempt + 1), 1, TimeUnit.MILLISECONDS);
            return;
        }
        passHeldOn(ctx);
        ctx.channel().config().setAutoRead(true);
    }

    /** The core has accepted the CONNECT: what came after it goes on, in order. */
    private void passHeldOn(ChannelHandlerContext ctx) {
        awaitingCore = false;
        if (held.isEmpty()) {
            if (closeWhenCoreIsReady) {
                close.accept(ctx);
            }
            return;
        }
        while (!held.isEmpty()) {
            handle.accept(ctx, held.poll());
        }
        ctx.fireChannelReadComplete();
        if (closeWhenCoreIsReady) {
            close.accept(ctx);
        }
    }

    /** Whether packets are held. */
    boolean holdsPackets() {
        return !held.isEmpty();
    }

    /**
     * The socket has closed while packets are held: they go on once the core has finished the CONNECT (unless it gives
     * up), then {@code closed} reports the close.
     */
    void finishHeldThenClose(ChannelHandlerContext ctx, Runnable closed) {
        finishHeldThenClose(ctx, closed, 0);
    }

    private void finishHeldThenClose(ChannelHandlerContext ctx, Runnable closed, int attempt) {
        if (!coreConnected.test(ctx.channel()) && attempt < 1_000) {
            ctx.executor().schedule(() -> finishHeldThenClose(ctx, closed, attempt + 1), 1, TimeUnit.MILLISECONDS);
            return;
        }
        if (coreConnected.test(ctx.channel())) {
            passHeldOn(ctx);
        }
        closed.run();
    }

    /** Frees what is still held, once the connection is gone. */
    void releaseHeld() {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
    }
}
