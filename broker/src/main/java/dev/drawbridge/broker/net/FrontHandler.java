package dev.drawbridge.broker.net;

import dev.drawbridge.broker.sys.BrokerStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the MQTT decoder and the MQTT core on every connection. It lets nothing through before an accepted
 * CONNECT, refuses what the core must not see (MQTT 5, anonymous clients where they are not allowed, a second
 * CONNECT, malformed packets), writes Mosquitto's connection log lines and counts traffic for {@code $SYS}. It never
 * throws into Netty: every failure closes this one connection. The judging is done by {@link PacketAdmission} and
 * {@link ConnectAdmission}; {@link HeldUntilConnected} keeps what comes while the core accepts the CONNECT.
 */
final class FrontHandler extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private final ListenerSettings listener;
    private final BrokerStats stats;
    private final RetainedDeliveries retained;
    private final ConnectAdmission connect;
    private final PacketAdmission packets;
    private final HeldUntilConnected held;

    private boolean connected;
    private boolean closing;

    /** This socket's place among its address's pending sockets (no accepted CONNECT yet), else null. */
    private PendingConnections.@Nullable Ticket pending;

    FrontHandler(
            ListenerSettings listener,
            BrokerStats stats,
            RetainedDeliveries retained,
            Predicate<Channel> coreConnected) {
        this.listener = listener;
        this.stats = stats;
        this.retained = retained;
        this.connect = new ConnectAdmission(listener);
        this.packets = new PacketAdmission(listener, stats, connect, this::close);
        this.held = new HeldUntilConnected(coreConnected, this::handle, this::close, connect::name);
    }

    /** A connection that has not completed an accepted CONNECT by then is closed, however slowly it trickles. */
    static final long CONNECT_DEADLINE_SECONDS = 10;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        pending = listener.pending()
                .open(host(ctx), peer(ctx), () -> ctx.channel().close());
        ctx.executor()
                .schedule(
                        () -> {
                            if (!connected && ctx.channel().isActive()) {
                                LOG.info(
                                        "Connection from {} closed: no accepted CONNECT within {} s.",
                                        peer(ctx),
                                        CONNECT_DEADLINE_SECONDS);
                                ctx.close();
                            }
                        },
                        CONNECT_DEADLINE_SECONDS,
                        TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (held.awaitingCore()) {
            // Moquette 0.17 refuses packets that arrive before its CONNACK has been written, and a close while it is
            // still accepting the CONNECT makes it log an ERROR (moquette#821): keep them, unjudged, till then.
            held.hold(ctx, message);
            return;
        }
        handle(ctx, message);
    }

    /** Judges one packet and passes it on, in the order the client sent them. */
    private void handle(ChannelHandlerContext ctx, MqttMessage message) {
        if (closing) {
            // MQTT-4.8.0-1: once a packet has closed the connection, nothing sent after it is processed.
            ReferenceCountUtil.release(message);
            return;
        }
        MqttMessage admitted;
        try {
            admitted = packets.admit(ctx, message);
            if (admitted == null) {
                ReferenceCountUtil.release(message);
                return;
            }
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(message);
            LOG.warn(
                    "Client {} from {}: error handling a packet ({}), disconnecting.", name(), peer(ctx), e.toString());
            LOG.debug("Packet handling failure", e);
            close(ctx);
            return;
        }
        if (admitted instanceof MqttConnectMessage) {
            held.awaitCore();
        }
        ctx.fireChannelRead(admitted);
    }

    /** Closes the connection for something the client sent; what it sent after that is dropped. */
    private void close(ChannelHandlerContext ctx) {
        closing = true;
        ctx.close();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        Object out = msg;
        if (msg instanceof MqttMessage message && message.fixedHeader() != null) {
            MqttMessageType type = message.fixedHeader().messageType();
            stats.messageSent(type == MqttMessageType.PUBLISH);
            if (type == MqttMessageType.CONNACK && !connect.refused() && !connected) {
                onConnAck(ctx, (MqttConnAckMessage) message);
                if (connected) {
                    Runnable release = () -> ctx.executor().execute(() -> held.releaseWhenCoreIsReady(ctx));
                    if (promise.isVoid()) {
                        release.run();
                    } else {
                        promise.addListener(f -> release.run());
                    }
                }
            } else if (type == MqttMessageType.PUBLISH) {
                out = flagRetained((MqttPublishMessage) message);
            }
        }
        ctx.write(out, promise);
    }

    private MqttPublishMessage flagRetained(MqttPublishMessage publish) {
        MqttFixedHeader h = publish.fixedHeader();
        String clientId = connect.clientId();
        if (h.isRetain()) {
            if (clientId != null) {
                retained.consume(clientId, publish.variableHeader().topicName(), publish.payload());
            }
            return publish;
        }
        if (clientId == null
                || !retained.consume(clientId, publish.variableHeader().topicName(), publish.payload())) {
            return publish;
        }
        return new MqttPublishMessage(
                new MqttFixedHeader(h.messageType(), h.isDup(), h.qosLevel(), true, h.remainingLength()),
                publish.variableHeader(),
                publish.payload());
    }

    private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage connAck) {
        if (connAck.variableHeader().connectReturnCode() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            return;
        }
        connected = true;
        releasePending();
        stats.clientConnected();
        ConnectGate.@Nullable Admission admission = connect.admission();
        String clientId = connect.clientId();
        if (admission != null && clientId != null) {
            admission.connected(
                    clientId, connect.cleanSession(), () -> ctx.channel().close());
        }
        if (listener.connectionMessages()) {
            LOG.info("New client connected from {} as {} ({}).", peer(ctx), name(), connect.connectSummary());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePending(); // a closed socket stops counting at once, whatever is still to be handed on
        if (held.awaitingCore() && held.holdsPackets()) {
            // A client may send PUBLISH and DISCONNECT and close before the core has finished its CONNECT: what it
            // sent was received, so it is handed on before the close is (Mosquitto processes it too).
            held.finishHeldThenClose(ctx, () -> closed(ctx));
            return;
        }
        closed(ctx);
    }

    private void releasePending() {
        if (pending != null) {
            listener.pending().release(pending);
            pending = null;
        }
    }

    private void closed(ChannelHandlerContext ctx) {
        releasePending();
        held.releaseHeld();
        ConnectGate.@Nullable Admission admission = connect.admission();
        String clientId = connect.clientId();
        if (clientId != null) {
            retained.forget(clientId);
            if (admission != null && connected) {
                admission.disconnected(clientId);
            }
        }
        if (connected) {
            stats.clientDisconnected();
            if (listener.connectionMessages()) {
                if (packets.disconnectSeen()) {
                    LOG.info("Client {} disconnected.", name());
                } else {
                    LOG.info("Client {} closed its connection.", name());
                }
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof MalformedPacket malformed) {
            LOG.info(
                    "Client {} from {} sent a malformed packet ({}), disconnecting.",
                    name(),
                    peer(ctx),
                    malformed.reason());
            if (held.awaitingCore()) {
                // Closed once the core has finished the CONNECT (moquette#821), after the packets before this one.
                held.closeWhenCoreIsReady(ctx);
            } else {
                close(ctx);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("Socket error on client {} from {} ({}), disconnecting.", name(), peer(ctx), cause.toString());
        LOG.debug("Socket error", cause);
        ctx.close();
    }

    private String name() {
        return connect.name();
    }

    static String host(ChannelHandlerContext ctx) {
        SocketAddress address = ctx.channel().remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    static String peer(ChannelHandlerContext ctx) {
        SocketAddress address = ctx.channel().remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
