package dev.drawbridge.broker.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose reader went idle: before CONNECT after the connect timeout, after CONNECT at 1.5 times the
 * keepalive (MQTT-3.1.2-24; the engine's link sets it with {@link #limit}). It only notes when bytes last arrived; its
 * I/O thread's {@link IdleSweep} does the closing.
 */
final class IdleCloser extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private final Function<EventExecutor, IdleSweep> sweepOf;
    private @Nullable ChannelHandlerContext context;
    private @Nullable IdleSweep sweep;
    /** Nanoseconds of silence allowed; 0: none is too long. */
    private long limitNanos;

    private long lastReadNanos;
    /** Bytes were read and the read batch is not complete yet: the connection is not idle. */
    private boolean reading;

    // The sweep's list links, touched only by the sweep on this connection's I/O thread.
    boolean listed;

    @Nullable
    IdleCloser previous;

    @Nullable
    IdleCloser next;

    IdleCloser(Function<EventExecutor, IdleSweep> sweepOf, long limit, TimeUnit unit) {
        this.sweepOf = sweepOf;
        this.limitNanos = unit.toNanos(limit);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        IdleSweep own = sweepOf.apply(ctx.executor());
        sweep = own;
        lastReadNanos = own.now();
        if (limitNanos > 0) {
            own.add(this);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        unwatch();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        unwatch();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        IdleSweep own = sweep;
        if (reading && own != null) {
            lastReadNanos = own.now();
            reading = false;
        }
        ctx.fireChannelReadComplete();
    }

    /**
     * Allows {@code limit} of silence from now on (0: any silence); on the connection's I/O thread, as the engine's
     * link calls it while handling the CONNECT.
     */
    void limit(long limit, TimeUnit unit) {
        limitNanos = unit.toNanos(limit);
        IdleSweep own = sweep;
        if (own == null || context == null || !context.channel().isActive()) {
            return;
        }
        lastReadNanos = own.now();
        if (limitNanos > 0) {
            own.add(this);
        } else {
            own.remove(this);
        }
    }

    boolean expired(long now) {
        return !reading && now - lastReadNanos >= limitNanos;
    }

    void closeIdle() {
        ChannelHandlerContext ctx = context;
        if (ctx == null) {
            return;
        }
        LOG.info("Client from {} has exceeded timeout, disconnecting.", FrontHandler.peer(ctx));
        ctx.close();
    }

    private void unwatch() {
        IdleSweep own = sweep;
        if (own != null) {
            own.remove(this);
        }
    }
}
