package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.codec.MessagePropertyCodec;
import dev.drawbridge.broker.engine.session.ClientProtocol;
import dev.drawbridge.broker.engine.session.Session;
import dev.drawbridge.broker.engine.session.SessionRegistry;
import dev.drawbridge.broker.engine.will.Will;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * CONNECT (MQTT 3.1.1 section 3.1, MQTT 5 section 3.1), once admitted: opens or resumes the session, takes it over from a
 * connection that still holds it (telling an MQTT 5 one why it is closed), answers CONNACK (after the store has the
 * session, for a persistent one), arms the keepalive and sends again what was in flight. MQTT 5's session expiry
 * interval decides how long the session outlives the connection; MQTT 3.1.1's clean session 0 means until {@code
 * persistent_client_expiration}.
 */
final class ConnectHandler {

    /** The bit of the protocol level by which an MQTT 3.1.1 or 3.1 client says it is a bridge. */
    static final int BRIDGE_BIT = 0x80;

    private ConnectHandler() {}

    static void handle(Connection connection, MqttConnectMessage connect) {
        if (connection.session != null) {
            connection.protocolError("a second CONNECT");
            return;
        }
        var header = connect.variableHeader();
        var payload = connect.payload();
        connection.clientId = payload.clientIdentifier();
        connection.publisher = connection.context.policy().publisher(connection.clientId);
        // The bridge bit (0x80, Mosquitto's try_private) of an MQTT 3.1.1 or 3.1 level: see SubscriptionOptions.bridge.
        connection.protocolLevel = header.version() & ~BRIDGE_BIT;
        boolean v5 = connection.protocolLevel == 5;
        connection.bridge = !v5 && (header.version() & BRIDGE_BIT) != 0;
        MqttProperties properties = header.properties();
        long expiryInterval;
        if (v5) {
            expiryInterval = MessagePropertyCodec.unsigned(properties, Properties5.SESSION_EXPIRY_INTERVAL, 0);
            connection.protocol = new ClientProtocol(
                    5,
                    (int) MessagePropertyCodec.unsigned(properties, Properties5.RECEIVE_MAXIMUM, 65_535),
                    MessagePropertyCodec.unsigned(properties, Properties5.MAXIMUM_PACKET_SIZE, 0),
                    (int) MessagePropertyCodec.unsigned(properties, Properties5.TOPIC_ALIAS_MAXIMUM, 0));
        } else {
            expiryInterval = header.isCleanSession() ? 0 : Session.NEVER_EXPIRES;
            connection.protocol = ClientProtocol.MQTT_311;
        }
        connection.connectExpiryInterval = expiryInterval;
        if (header.isWillFlag()) {
            byte[] message = payload.willMessageInBytes();
            MqttProperties willProperties = payload.willProperties();
            connection.will = v5
                    ? new Will(
                            payload.willTopic(),
                            header.willQos(),
                            header.isWillRetain(),
                            message == null ? new byte[0] : message,
                            MessagePropertyCodec.forwarded(willProperties),
                            MessagePropertyCodec.expiryInterval(willProperties),
                            MessagePropertyCodec.unsigned(willProperties, Properties5.WILL_DELAY_INTERVAL, 0))
                    : new Will(
                            payload.willTopic(),
                            header.willQos(),
                            header.isWillRetain(),
                            message == null ? new byte[0] : message);
        }
        boolean cleanStart = header.isCleanSession();
        SessionRegistry.Opened opened = connection
                .context
                .sessions()
                .open(connection.clientId, cleanStart, expiryInterval, connection.protocol, connection.link);
        connection.session = opened.session();
        if (opened.previous() != null) {
            Connection.LOG.info("Client {} already connected, closing old connection.", connection.clientId);
            if (opened.previousProtocol().v5()) {
                opened.previous()
                        .write(AckEncoder.disconnect5(opened.previous().alloc(), ReasonCodes.SESSION_TAKEN_OVER));
            }
            opened.previous().close();
        }
        // MQTT 3.1 has no session present flag: its CONNACK byte is reserved.
        boolean present = opened.sessionPresent() && connection.protocolLevel >= 4;
        MqttConnAckMessage connAck = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(present)
                .properties(v5 ? connAckProperties(connection) : MqttProperties.NO_PROPERTIES)
                .build();
        if (!opened.session().persistent()) {
            connection.link.write(connAck);
        } else {
            connection.link.writeWhenSaved(connAck, connection.context.store().saved());
        }
        connection.link.keepAlive(header.keepAliveTimeSeconds());
        opened.session().resendInflight();
    }

    /** What the engine tells an MQTT 5 client in CONNACK; the listener adds what it decides (Mosquitto's set). */
    private static MqttProperties connAckProperties(Connection connection) {
        MqttProperties properties = new MqttProperties();
        int window = connection.context.receiveMaximum();
        if (window < 65_535) {
            properties.add(new MqttProperties.IntegerProperty(Properties5.RECEIVE_MAXIMUM, window));
        }
        return properties;
    }
}
