package dev.drawbridge.broker.net;

import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.sys.BrokerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection, after the MQTT decoder; it feeds the engine through the connection's
 * {@link EngineLink} and encodes the engine's CONNACK. It lets nothing through before an accepted
 * CONNECT, refuses what the engine must not see (MQTT 5, anonymous clients where they are not allowed, a second
 * CONNECT, malformed packets), writes Mosquitto's connection log lines and counts traffic for {@code $SYS}. It never
 * throws into Netty: every failure closes this one connection. The judging is done by {@link PacketAdmission} and
 * {@link ConnectAdmission}.
 */
final class FrontHandler extends ChannelInboundHandlerAdapter implements PausedInput.Front {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private final ListenerSettings listener;
    private final BrokerStats stats;
    private final ConnectAdmission connect;
    private final PacketAdmission packets;
    private final int topicAliasMaximum;
    private final PausedInput input;

    private boolean connected;
    /** The rules know this client (its CONNECT was accepted): they must be told when it goes. */
    private boolean registered;

    private boolean closing;

    /** How long a stopping broker waits for a client to take its DISCONNECT before it closes anyway. */
    static final Duration SHUTDOWN_WRITE = Duration.ofSeconds(1);

    /** This socket's place among its address's pending sockets (no accepted CONNECT yet), else null. */
    private PendingConnections.@Nullable Ticket pending;

    /** The connection's CONNECT deadline and keepalive watch, told when the CONNECT is accepted. */
    private final IdleCloser idle;

    /** The engine's side of this connection, which this handler feeds: the pipeline's last stop. */
    private final EngineLink link;

    FrontHandler(ListenerSettings listener, BrokerStats stats, IdleCloser idle, Engine engine) {
        this.listener = listener;
        this.idle = idle;
        this.stats = stats;
        this.link = new EngineLink(engine, stats, listener.mountPoint(), listener.maxQos(), idle, this);
        this.input = new PausedInput(this);
        this.connect = new ConnectAdmission(listener, input);
        this.packets = new PacketAdmission(listener, stats, connect, this::close, input, link);
        this.topicAliasMaximum = listener.topicAliasMaximum();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        link.attach(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        link.removed();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (listener.pending().limited()) {
            pending = listener.pending()
                    .open(host(ctx), peer(ctx), () -> ctx.channel().close());
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (input.paused()) {
            input.hold(msg); // behind a packet whose check runs off the I/O thread
            return;
        }
        judge(ctx, msg);
    }

    @Override
    public boolean readsMore() {
        return !closing && !connect.refused();
    }

    @Override
    public void judge(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ReferenceCountUtil.release(msg); // the decoder makes nothing else
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
            close(ctx, ReasonCodes.PROTOCOL_ERROR);
            return;
        }
        passOn(ctx, admitted);
    }

    /** Hands a judged packet to the engine (also one whose check ran off the I/O thread). */
    @Override
    public void passOn(ChannelHandlerContext ctx, MqttMessage admitted) {
        if (closing) {
            ReferenceCountUtil.release(admitted);
            return;
        }
        if (admitted instanceof MqttConnectMessage) {
            if (!leavePending()) {
                // Closed a moment ago as its address's oldest pending socket: the close is on its way, no CONNACK.
                ReferenceCountUtil.release(admitted);
                closing = true;
                return;
            }
            registerAdmission(ctx);
        }
        link.read(admitted);
    }

    /** The answers written while reading go out once per read batch. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readComplete(ctx);
    }

    @Override
    public void readComplete(ChannelHandlerContext ctx) {
        link.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        link.writabilityChanged(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Tells the rules who this client is as soon as its CONNECT is accepted, before the engine handles what follows
     * it: a SUBSCRIBE right behind the CONNECT, and the READ checks of what is delivered to it, must see this client's
     * rights even while its CONNACK waits for the store.
     */
    private void registerAdmission(ChannelHandlerContext ctx) {
        ConnectGate.@Nullable Admission admission = connect.admission();
        String clientId = connect.clientId();
        if (admission != null && clientId != null && !registered) {
            registered = true;
            admission.connected(
                    clientId, connect.cleanSession(), () -> ctx.channel().close());
        }
    }

    /**
     * Closes the connection for something the client sent; what it sent after that is dropped, what the broker wrote
     * before (a CONNACK, say) still goes out first, then, to an accepted MQTT 5 client, a DISCONNECT with the reason
     * code (as Mosquitto sends it; none for {@link ReasonCodes#NO_DISCONNECT}).
     */
    private void close(ChannelHandlerContext ctx, int reasonCode) {
        if (closing) {
            return;
        }
        closing = true;
        Object last = connected && connect.v5() && reasonCode > 0
                ? AckEncoder.disconnect5(ctx.alloc(), reasonCode)
                : Unpooled.EMPTY_BUFFER;
        ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * The broker is stopping. An accepted MQTT 5 client is told so with DISCONNECT 0x8B (server shutting down) before
     * the close, where its maximum packet size allows; Mosquitto 2.0.11 just closes, as it is done here for any other
     * connection. The close is what it is without the DISCONNECT (its will is published), and comes after
     * {@link #SHUTDOWN_WRITE} at the latest. Event loop only.
     */
    void serverShuttingDown(ChannelHandlerContext ctx) {
        if (!closing && connected && connect.v5() && connect.clientTakes(3)) {
            closing = true;
            link.closeWith(AckEncoder.disconnect5(ctx.alloc(), ReasonCodes.SERVER_SHUTTING_DOWN), SHUTDOWN_WRITE);
        } else {
            closing = true;
            ctx.close();
        }
    }

    /**
     * The engine's CONNACK, encoded as it goes out (the only packet the engine leaves to be encoded, so the pipeline
     * needs no MQTT encoder), with what the listener adds for MQTT 5; an accepted one marks the client connected.
     */
    ByteBuf connAck(ChannelHandlerContext ctx, MqttConnAckMessage connAck) {
        boolean accepted = connAck.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED;
        if (accepted && !connect.refused() && !connected) {
            onConnAck(ctx);
        }
        return connect.v5()
                ? connect.connAck5(ctx.alloc(), connAck, topicAliasMaximum)
                : AckEncoder.connAck(
                        ctx.alloc(),
                        connAck.variableHeader().isSessionPresent(),
                        connAck.variableHeader().connectReturnCode().byteValue() & 0xFF);
    }

    private void onConnAck(ChannelHandlerContext ctx) {
        connected = true;
        idle.connected();
        leavePending();
        stats.clientConnected();
        if (listener.connectionMessages()) {
            // Mosquitto's words, "bridge" for a client that connected with the bridge bit.
            LOG.info(
                    "New {} connected from {} as {} ({}).",
                    connect.bridge() ? "bridge" : "client",
                    peer(ctx),
                    name(),
                    connect.connectSummary());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed(ctx);
    }

    /**
     * This socket stops counting as pending for its address (its CONNECT is accepted, or it closed); false when the
     * per-address limit chose it as the oldest first.
     */
    private boolean leavePending() {
        PendingConnections.@Nullable Ticket ticket = pending;
        pending = null;
        return listener.pending().release(ticket);
    }

    private void closed(ChannelHandlerContext ctx) {
        leavePending();
        input.discard();
        ConnectGate.@Nullable Admission admission = connect.admission();
        String clientId = connect.clientId();
        if (clientId != null && admission != null && registered) {
            admission.disconnected(clientId);
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
        link.closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == BridgeConnect.EVENT) {
            connect.fromBridge();
            return;
        }
        if (evt instanceof MalformedPacket malformed) {
            LOG.info(
                    "Client {} from {} sent a malformed packet ({}), disconnecting.",
                    name(),
                    peer(ctx),
                    malformed.reason());
            close(ctx, malformed.kind().reasonCode());
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
        return peer(ctx.channel());
    }

    static String peer(Channel channel) {
        SocketAddress address = channel.remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
