package dev.drawbridge.broker.moquette.store;

import io.moquette.broker.DrawbridgeAssembly;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's view of the store, between the codec and the front handler.
 *
 * <p>Outgoing acknowledgements (CONNACK, PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK) leave only when every change to
 * the store made before them is durable; what is written after a held acknowledgement waits behind it, so the client sees packets in the order they were written (a retained message sent on SUBSCRIBE never overtakes its SUBACK). If the store cannot be saved the
 * connection is closed without them, so the client sends again rather than believe a lost message delivered.
 *
 * <p>Outgoing QoS 1/2 PUBLISHes and incoming PUBACK/PUBREC tell the store which owed message was delivered; incoming
 * PUBREL frees a QoS 2 packet id.
 */
final class StoreChannelHandler extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StoreChannelHandler.class);
    private static final Set<MqttMessageType> ACKNOWLEDGEMENTS = EnumSet.of(
            MqttMessageType.CONNACK,
            MqttMessageType.PUBACK,
            MqttMessageType.PUBREC,
            MqttMessageType.PUBCOMP,
            MqttMessageType.SUBACK,
            MqttMessageType.UNSUBACK);

    private record Held(Object message, ChannelPromise promise, CompletableFuture<Void> saved) {}

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final MessageStore store;
    /** Acknowledgements waiting for the store and what was written after them, oldest first; event loop only. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    StoreChannelHandler(MessageStore store) {
        this.store = store;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttMessage m && m.variableHeader() instanceof MqttMessageIdVariableHeader id) {
            String clientId = DrawbridgeAssembly.clientIdOf(ctx.channel());
            if (clientId != null) {
                MqttMessageType type = m.fixedHeader().messageType();
                if (type == MqttMessageType.PUBACK || type == MqttMessageType.PUBREC) {
                    store.acknowledged(clientId, id.messageId());
                } else if (type == MqttMessageType.PUBREL) {
                    store.qos2Released(clientId, id.messageId());
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof MqttPublishMessage publish) {
            noteSent(ctx, publish);
        }
        boolean acknowledgement = msg instanceof MqttMessage m
                && ACKNOWLEDGEMENTS.contains(m.fixedHeader().messageType());
        if (!acknowledgement) {
            if (held.isEmpty()) {
                ctx.write(msg, promise);
            } else {
                // Behind a held acknowledgement: a retained message sent on SUBSCRIBE must not overtake its SUBACK.
                held.add(new Held(msg, promise, DONE));
            }
            return;
        }
        CompletableFuture<Void> saved = store.saved();
        if (held.isEmpty() && saved.isDone() && !saved.isCompletedExceptionally()) {
            ctx.write(msg, promise);
            return;
        }
        held.add(new Held(msg, promise, saved));
        saved.whenComplete((ok, error) -> ctx.executor().execute(() -> release(ctx)));
    }

    private void noteSent(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        var header = publish.fixedHeader();
        if (header.qosLevel() == MqttQoS.AT_MOST_ONCE || header.isRetain()) {
            return;
        }
        String clientId = DrawbridgeAssembly.clientIdOf(ctx.channel());
        if (clientId != null) {
            store.sent(
                    clientId,
                    publish.variableHeader().topicName(),
                    publish.payload(),
                    publish.variableHeader().packetId(),
                    header.isDup());
        }
    }

    /** Writes the held acknowledgements whose save has completed, in order; closes on a failed save. */
    private void release(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!held.isEmpty() && held.peek().saved().isDone()) {
            Held next = held.poll();
            if (next.saved().isCompletedExceptionally()) {
                ReferenceCountUtil.release(next.message());
                next.promise().tryFailure(new IllegalStateException("the message store could not be saved"));
                LOG.warn(
                        "Closing the connection of {}: the message store could not be saved, so its "
                                + "acknowledgement is not sent.",
                        ctx.channel().remoteAddress());
                failHeld();
                ctx.close();
                return;
            }
            ctx.write(next.message(), next.promise());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private void failHeld() {
        while (!held.isEmpty()) {
            Held h = held.poll();
            ReferenceCountUtil.release(h.message());
            h.promise().tryFailure(new IllegalStateException("connection closed before the store was saved"));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String clientId = DrawbridgeAssembly.clientIdOf(ctx.channel());
        if (clientId != null) {
            store.connectionEnded(clientId);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        failHeld();
    }
}
