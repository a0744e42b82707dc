package dev.drawbridge.broker.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's input while a check of one of its packets runs off the I/O thread (a plugin's login, PUBLISH or
 * SUBSCRIBE check): the socket is not read, what was already decoded waits here in order, and when the check is done
 * the packet is finished on the I/O thread and the waiting packets are judged after it. So a slow plugin stalls its
 * own client only, and every client's packets are still handled, and answered, in the order they came. Event loop
 * only.
 */
final class PausedInput {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    /** How the front handler passes on a packet once judged, and judges one that waited. */
    interface Front {
        void passOn(ChannelHandlerContext ctx, MqttMessage admitted);

        void judge(ChannelHandlerContext ctx, Object waited);

        /** False once nothing more the client sends is read (a refused CONNECT, a close under way). */
        boolean readsMore();

        /** The end of a read batch: what was written meanwhile goes out. */
        void readComplete(ChannelHandlerContext ctx);
    }

    private final Front front;
    // Every connection has one and most never pause: made when the first packet has to wait.
    private @Nullable ArrayDeque<Object> waiting;
    private boolean paused;

    PausedInput(Front front) {
        this.front = front;
    }

    boolean paused() {
        return paused;
    }

    /** A packet that came while paused: judged once the check is done. */
    void hold(Object msg) {
        ArrayDeque<Object> queue = waiting;
        if (queue == null) {
            queue = new ArrayDeque<>(2);
            waiting = queue;
        }
        queue.add(msg);
    }

    /**
     * Stops reading until {@code check} completes; then, back on the I/O thread, {@code finish} turns its result into
     * the packet to pass on (null: nothing, it has been answered), and what waited is judged. If the connection has
     * closed by then, {@code abandon} frees what the check held instead.
     */
    <T> void until(
            ChannelHandlerContext ctx,
            CompletableFuture<T> check,
            Function<T, @Nullable MqttMessage> finish,
            Runnable abandon) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
        check.whenComplete(
                (result, error) -> ctx.executor().execute(() -> resume(ctx, result, error, finish, abandon)));
    }

    private <T> void resume(
            ChannelHandlerContext ctx,
            @Nullable T result,
            @Nullable Throwable error,
            Function<T, @Nullable MqttMessage> finish,
            Runnable abandon) {
        paused = false;
        if (!ctx.channel().isActive()) {
            abandon.run();
            discard();
            return;
        }
        if (error != null) {
            // The checks complete with a refusal rather than fail; anything else closes the connection (fail closed).
            LOG.warn("A check for the connection from {} failed, disconnecting: {}", FrontHandler.peer(ctx), error);
            abandon.run();
            discard();
            ctx.close();
            return;
        }
        MqttMessage admitted = finish.apply(result);
        if (admitted != null) {
            front.passOn(ctx, admitted);
        }
        ArrayDeque<Object> queue = waiting;
        while (!paused && queue != null && !queue.isEmpty()) {
            front.judge(ctx, queue.poll());
        }
        // The answers written meanwhile go out now: the engine flushes at the end of a read.
        front.readComplete(ctx);
        if (!paused && front.readsMore()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** The connection closed: what waited is dropped. */
    void discard() {
        ArrayDeque<Object> queue = waiting;
        while (queue != null && !queue.isEmpty()) {
            ReferenceCountUtil.release(queue.poll());
        }
    }
}
