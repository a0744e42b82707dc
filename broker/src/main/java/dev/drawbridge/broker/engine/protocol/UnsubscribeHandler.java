package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.session.Session;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;

/** UNSUBSCRIBE (MQTT 3.1.1 section 3.10): removes each filter, known or not, then UNSUBACK. */
final class UnsubscribeHandler {

    private UnsubscribeHandler() {}

    static void handle(Connection connection, Session session, MqttUnsubscribeMessage unsubscribe) {
        for (String filter : unsubscribe.payload().topics()) {
            connection.context.sessions().unsubscribe(session, filter);
        }
        connection.link.writeWhenSaved(
                AckEncoder.unsubAck(
                        connection.link.alloc(), unsubscribe.variableHeader().messageId()),
                connection.context.store().saved());
    }
}
