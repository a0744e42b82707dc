package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.session.Session;
import dev.drawbridge.broker.engine.will.Will;

/**
 * The end of a connection: DISCONNECT (MQTT 3.1.1 section 3.14) discards the will and closes; any other end (socket
 * lost, keepalive, protocol error, takeover) publishes the will. Either way a clean session ends with its connection
 * and a persistent one waits for its client.
 */
final class DisconnectHandler {

    private DisconnectHandler() {}

    static void disconnect(Connection connection) {
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
        if (will != null) {
            PublishedMessage message = will.toMessage(connection.clientId);
            try {
                connection.context.router().publish(message);
            } finally {
                message.release();
            }
        }
        connection.context.sessions().closed(session, connection.link);
    }
}
