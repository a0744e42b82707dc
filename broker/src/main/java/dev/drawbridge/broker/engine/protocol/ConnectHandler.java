package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.session.SessionRegistry;
import dev.drawbridge.broker.engine.will.Will;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;

/**
 * CONNECT (MQTT 3.1.1 section 3.1), once admitted: opens or resumes the session, takes it over from a connection that
 * still holds it, answers CONNACK (after the store has the session, for a persistent one), arms the keepalive and
 * sends again what was in flight.
 */
final class ConnectHandler {

    private ConnectHandler() {}

    static void handle(Connection connection, MqttConnectMessage connect) {
        if (connection.session != null) {
            connection.protocolError("a second CONNECT");
            return;
        }
        var header = connect.variableHeader();
        var payload = connect.payload();
        connection.clientId = payload.clientIdentifier();
        connection.protocolLevel = header.version();
        if (header.isWillFlag()) {
            byte[] message = payload.willMessageInBytes();
            connection.will = new Will(
                    payload.willTopic(),
                    header.willQos(),
                    header.isWillRetain(),
                    message == null ? new byte[0] : message);
        }
        boolean clean = header.isCleanSession();
        SessionRegistry.Opened opened = connection.context.sessions().open(connection.clientId, clean, connection.link);
        connection.session = opened.session();
        if (opened.previous() != null) {
            Connection.LOG.info("Client {} already connected, closing old connection.", connection.clientId);
            opened.previous().close();
        }
        // MQTT 3.1 has no session present flag: its CONNACK byte is reserved.
        boolean present = opened.sessionPresent() && connection.protocolLevel >= 4;
        MqttConnAckMessage connAck = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(present)
                .build();
        if (clean) {
            connection.link.write(connAck);
        } else {
            connection.link.writeWhenSaved(connAck, connection.context.store().saved());
        }
        connection.link.keepAlive(header.keepAliveTimeSeconds());
        opened.session().resendInflight();
    }
}
