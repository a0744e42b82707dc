package dev.drawbridge.broker.net;

import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.engine.protocol.Connection;
import dev.drawbridge.broker.engine.session.ClientLink;
import dev.drawbridge.broker.sys.BrokerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's link to Drawbridge's own engine, driven by its {@link FrontHandler} (no handler of its own in the
 * pipeline: one context and one hop fewer per event): hands the admitted packets to the engine's {@link Connection}
 * and is that connection's {@link ClientLink}. Writes keep their order; an acknowledgement that waits for the store
 * holds back what is written after it (a retained message never overtakes its SUBACK); flushes come once per read
 * batch or per delivery batch. The engine's CONNACK, its one packet that is not encoded yet, is encoded by the front
 * handler as it goes out.
 */
final class EngineLink implements ClientLink {

    private static final Logger LOG = LoggerFactory.getLogger(EngineLink.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private record Held(Object packet, CompletableFuture<Void> saved) {}

    private final Engine engine;
    private final BrokerStats stats;
    private final MountPoint mountPoint;
    private final int maxQos;
    private final IdleCloser idle;
    private final FrontHandler front;
    /** Packets waiting behind an acknowledgement that waits for the store, oldest first; event loop only. */
    private @Nullable ArrayDeque<Held> held;

    private @Nullable ChannelHandlerContext context;
    private @Nullable Connection connection;
    private boolean unflushed;
    /** A close was asked for while acknowledgements waited for the store: it follows them. */
    private boolean closeWhenReleased;
    /** The last packet has been written (a server DISCONNECT): nothing the engine writes after it goes out. */
    private boolean sealed;

    EngineLink(Engine engine, BrokerStats stats, String mountPoint, int maxQos, IdleCloser idle, FrontHandler front) {
        this.idle = idle;
        this.front = front;
        this.engine = engine;
        this.stats = stats;
        this.mountPoint = MountPoint.of(mountPoint);
        this.maxQos = maxQos;
    }

    @Override
    public int maxQos() {
        return maxQos;
    }

    @Override
    public String mountPoint() {
        return mountPoint.prefix();
    }

    /** The front handler is in the pipeline: the engine's connection starts. */
    void attach(ChannelHandlerContext ctx) {
        context = ctx;
        connection = engine.newConnection(this);
    }

    /** A PUBLISH refused before the engine (no right to write, too large), acknowledged in order all the same. */
    void acknowledgeDropped(DroppedPublish dropped) {
        Connection current = connection;
        if (current != null) {
            current.acknowledgeDropped(dropped.qos(), dropped.packetId(), dropped.reasonCode());
        }
    }

    /** Hands an admitted packet to the engine, then releases it. */
    void read(MqttMessage message) {
        Connection current = connection;
        if (current == null) {
            ReferenceCountUtil.release(message);
            return;
        }
        try {
            current.onPacket(message);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Error handling a {} packet, disconnecting: {}",
                    message.fixedHeader().messageType(),
                    e.toString());
            LOG.debug("Packet handling failure", e);
            ctx().close();
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    void writabilityChanged(ChannelHandlerContext ctx) {
        Connection current = connection;
        if (ctx.channel().isWritable() && current != null) {
            current.onWritable();
        }
    }

    /** The connection closed: the engine ends it (its will, its session), what was held is freed. */
    void closed() {
        Connection current = connection;
        if (current != null) {
            try {
                current.onClosed();
            } catch (RuntimeException e) {
                LOG.warn("Error ending a connection: {}", e.toString());
                LOG.debug("Connection end failure", e);
            }
        }
        releaseHeld();
    }

    /** The front handler left the pipeline. */
    void removed() {
        releaseHeld();
    }

    // ---- ClientLink ----

    private ChannelHandlerContext ctx() {
        ChannelHandlerContext ctx = context;
        if (ctx == null) {
            throw new IllegalStateException("not in a pipeline");
        }
        return ctx;
    }

    @Override
    public Executor executor() {
        return ctx().executor();
    }

    @Override
    public boolean inEventLoop() {
        return ctx().executor().inEventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx().alloc();
    }

    @Override
    public void write(Object packet) {
        ChannelHandlerContext ctx = ctx();
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> write(packet));
            return;
        }
        if (nothingHeld()) {
            send(ctx, packet);
        } else {
            held().add(new Held(packet, DONE));
        }
    }

    @Override
    public void writeWhenSaved(Object packet, CompletableFuture<Void> saved) {
        ChannelHandlerContext ctx = ctx();
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> writeWhenSaved(packet, saved));
            return;
        }
        if (nothingHeld() && saved.isDone() && !saved.isCompletedExceptionally()) {
            send(ctx, packet);
            return;
        }
        held().add(new Held(packet, saved));
        saved.whenComplete((ok, error) -> ctx.executor().execute(() -> releaseSaved(ctx)));
    }

    private void send(ChannelHandlerContext ctx, Object encoded) {
        if (sealed) {
            ReferenceCountUtil.release(encoded); // nothing may follow a DISCONNECT (MQTT-3.14.4-1)
            return;
        }
        Object packet = encoded instanceof MqttConnAckMessage connAck
                ? front.connAck(ctx, connAck)
                : mountPoint.unmount(encoded, ctx.alloc());
        if (packet == null) {
            return; // a topic outside the listener's mount point
        }
        if (packet instanceof ByteBuf buffer && buffer.isReadable()) {
            stats.messageSent((buffer.getByte(buffer.readerIndex()) & 0xF0) == MqttMessageType.PUBLISH.value() << 4);
        }
        ctx.write(packet, ctx.voidPromise());
        unflushed = true;
    }

    /** Writes what waited, in order, up to the next acknowledgement whose save has not completed. */
    private void releaseSaved(ChannelHandlerContext ctx) {
        boolean wrote = false;
        ArrayDeque<Held> queue = held();
        while (!queue.isEmpty() && queue.peek().saved().isDone()) {
            Held next = queue.poll();
            if (next.saved().isCompletedExceptionally()) {
                ReferenceCountUtil.release(next.packet());
                LOG.warn(
                        "Closing the connection of {}: the store could not be saved, so its acknowledgement is not sent.",
                        remote());
                releaseHeld();
                ctx.close();
                return;
            }
            send(ctx, next.packet());
            wrote = true;
        }
        if (wrote) {
            flush();
        }
        if (queue.isEmpty() && closeWhenReleased) {
            flushThenClose(ctx);
        }
    }

    private void releaseHeld() {
        ArrayDeque<Held> queue = held;
        while (queue != null && !queue.isEmpty()) {
            ReferenceCountUtil.release(queue.poll().packet());
        }
    }

    private boolean nothingHeld() {
        return held == null || held.isEmpty();
    }

    /** Made when the first packet has to wait behind a save: a clean session never needs it. */
    private ArrayDeque<Held> held() {
        ArrayDeque<Held> queue = held;
        if (queue == null) {
            queue = new ArrayDeque<>(2);
            held = queue;
        }
        return queue;
    }

    @Override
    public void flush() {
        ChannelHandlerContext ctx = ctx();
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::flush);
            return;
        }
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    @Override
    public boolean isWritable() {
        return ctx().channel().isWritable();
    }

    @Override
    public boolean isOpen() {
        return ctx().channel().isActive();
    }

    /**
     * Closes after what was written before has gone out (a CONNACK before the close a DISCONNECT asks for), held
     * acknowledgements included once their save completes. Any thread.
     */
    @Override
    public void close() {
        ChannelHandlerContext ctx = ctx();
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::close);
            return;
        }
        if (nothingHeld()) {
            flushThenClose(ctx);
        } else {
            closeWhenReleased = true;
        }
    }

    /**
     * Writes {@code last} behind what was written before, then closes once it has gone out, or after {@code bound} if
     * the client does not read it. Acknowledgements still waiting for the store are not sent; neither is anything
     * the engine writes meanwhile. Event loop only.
     */
    void closeWith(ByteBuf last, Duration bound) {
        ChannelHandlerContext ctx = ctx();
        releaseHeld();
        sealed = true;
        ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        ScheduledFuture<?> forced = ctx.executor().schedule(() -> ctx.close(), bound.toMillis(), TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> forced.cancel(false));
    }

    private static void flushThenClose(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void keepAlive(int seconds) {
        // MQTT-3.1.2-24: one and a half times the keepalive without a packet closes the connection; 0: never.
        idle.limit(Math.max(0, seconds) * 1500L, TimeUnit.MILLISECONDS);
    }

    @Override
    public String remote() {
        return String.valueOf(ctx().channel().remoteAddress());
    }
}
