package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.MessagePropertyCodec;
import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.session.Session;
import dev.drawbridge.broker.engine.will.Will;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;

/**
 * The end of a connection: DISCONNECT (MQTT 3.1.1 section 3.14, MQTT 5 section 3.14) discards the will, unless it is
 * MQTT 5's "disconnect with will message" (0x04), and may set a new session expiry interval; any other end (socket
 * lost, keepalive, protocol error) publishes the will, after MQTT 5's will delay if there is one. A connection whose
 * session another connection has resumed publishes no will (Mosquitto clears it at the takeover). Either way a session
 * without expiry ends with its connection and a persistent one waits for its client.
 */
final class DisconnectHandler {

    private DisconnectHandler() {}

    static void disconnect(Connection connection, Session session, MqttMessage disconnect) {
        if (connection.v5() && disconnect.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
            long expiry = MessagePropertyCodec.unsigned(h.properties(), Properties5.SESSION_EXPIRY_INTERVAL, -1);
            if (expiry > 0 && connection.connectExpiryInterval == 0) {
                connection.protocolError(
                        "a DISCONNECT that sets a session expiry interval after CONNECT set 0" + " (MQTT-3.14.2-2)");
                return;
            }
            if (expiry >= 0) {
                connection.context.sessions().expiryChanged(session, expiry);
            }
            if ((h.reasonCode() & 0xFF) == ReasonCodes.DISCONNECT_WITH_WILL) {
                connection.link.close(); // the will stays: published as for a lost connection
                return;
            }
        }
        connection.will = null;
        connection.link.close();
    }

    static void connectionLost(Connection connection) {
        Session session = connection.session;
        if (session == null) {
            return;
        }
        Will will = connection.will;
        connection.will = null;
        if (will != null && !session.resumedElsewhere(connection.link)) {
            PublishedMessage message = will.toMessage(connection.clientId, PublishHandler.publisher(connection));
            if (will.delaySeconds() > 0 && session.persistent()) {
                connection.context.sessions().delayWill(session, message, will.delaySeconds());
            } else {
                try {
                    connection.context.router().publish(message);
                } finally {
                    message.release();
                }
            }
        }
        connection.context.sessions().closed(session, connection.link);
    }
}
