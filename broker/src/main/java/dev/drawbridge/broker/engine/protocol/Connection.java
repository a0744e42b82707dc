package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.message.Publisher;
import dev.drawbridge.broker.engine.session.ClientLink;
import dev.drawbridge.broker.engine.session.ClientProtocol;
import dev.drawbridge.broker.engine.session.Session;
import dev.drawbridge.broker.engine.will.Will;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's protocol state, fed the packets the listener layer has decoded and admitted (the CONNECT
 * authenticated, topics validated, PUBLISH rights checked), in the order they came, on the connection's event loop.
 * Each packet kind has its own handler class, in protocol order.
 */
public final class Connection {

    static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    final ProtocolContext context;
    final ClientLink link;

    @Nullable
    Session session;

    @Nullable
    Will will;

    String clientId = "<unknown>";
    /** Who this client is to the rules, kept with its retained messages for {@code check_retain_source}. */
    @Nullable
    Publisher publisher;

    int protocolLevel;
    /** The client connected as a bridge: its subscriptions are {@code SubscriptionOptions.bridge}'s. */
    boolean bridge;
    /** What the CONNECT said about the packets the client takes. */
    ClientProtocol protocol = ClientProtocol.MQTT_311;
    /** The session expiry interval the CONNECT asked for (a DISCONNECT may not raise it from 0). */
    long connectExpiryInterval;

    private boolean closed;

    public Connection(ProtocolContext context, ClientLink link) {
        this.context = context;
        this.link = link;
    }

    /** Handles one packet; the caller releases it afterwards. */
    public void onPacket(MqttMessage message) {
        if (closed) {
            return;
        }
        if (LOG.isDebugEnabled()) {
            PacketLog.received(this, message);
        }
        MqttMessageType type = message.fixedHeader().messageType();
        if (type == MqttMessageType.CONNECT) {
            ConnectHandler.handle(this, (MqttConnectMessage) message);
            return;
        }
        Session current = session;
        if (current == null) {
            return; // the front handler lets nothing but a CONNECT come first
        }
        current.drainPending();
        switch (type) {
            case PUBLISH -> PublishHandler.handle(this, current, (MqttPublishMessage) message);
            case PUBACK, PUBREC, PUBCOMP -> DeliveryAckHandler.handle(this, current, type, message);
            case PUBREL -> PubRelHandler.handle(this, current, packetId(message));
            case SUBSCRIBE -> SubscribeHandler.handle(this, current, (MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> UnsubscribeHandler.handle(this, current, (MqttUnsubscribeMessage) message);
            case PINGREQ -> PingHandler.handle(this);
            case DISCONNECT -> DisconnectHandler.disconnect(this, current, message);
            default -> protocolError("a " + type + " packet, which only a server sends");
        }
    }

    static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    /**
     * A PUBLISH that was refused before it reached the engine (no right to write, too large) is acknowledged all the
     * same, in order with this connection's other answers, and not delivered; an MQTT 5 client is told why.
     *
     * @param reasonCode the MQTT 5 reason code of its PUBACK or PUBREC (0x87 not authorized, 0x95 packet too large)
     */
    public void acknowledgeDropped(int qos, int packetId, int reasonCode) {
        if (!closed && session != null) {
            PublishHandler.acknowledge(this, qos, packetId, reasonCode);
        }
    }

    /** Whether the client speaks MQTT 5. */
    boolean v5() {
        return protocol.v5();
    }

    /** Whether the CONNECT has been accepted. */
    public boolean accepted() {
        return session != null;
    }

    /** The socket is writable again: send what waited. */
    public void onWritable() {
        Session current = session;
        if (current != null) {
            current.scheduleDrain();
        }
    }

    /** The connection has closed, for whatever reason. */
    public void onClosed() {
        if (closed) {
            return;
        }
        closed = true;
        DisconnectHandler.connectionLost(this);
    }

    /** Closes the connection for something the client sent; its will is published. */
    void protocolError(String what) {
        protocolError(what, ReasonCodes.PROTOCOL_ERROR);
    }

    /** Closes the connection for something the client sent, telling an MQTT 5 client why; its will is published. */
    void protocolError(String what, int reasonCode) {
        LOG.info("Client {} from {} sent {}, disconnecting.", clientId, link.remote(), what);
        if (v5()) {
            link.write(AckEncoder.disconnect5(link.alloc(), reasonCode));
        }
        link.close();
    }
}
