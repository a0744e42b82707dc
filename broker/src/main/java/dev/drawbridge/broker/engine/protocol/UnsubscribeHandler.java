package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.session.Session;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * UNSUBSCRIBE (MQTT 3.1.1 section 3.10, MQTT 5 section 3.10): removes each filter, known or not, then UNSUBACK; an MQTT
 * 5 one says per filter whether a subscription existed (0x00) or not (0x11).
 */
final class UnsubscribeHandler {

    private UnsubscribeHandler() {}

    static void handle(Connection connection, Session session, MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        List<Integer> codes = new ArrayList<>(filters.size());
        for (String filter : filters) {
            boolean removed = connection.context.sessions().unsubscribe(session, filter);
            codes.add(removed ? 0 : ReasonCodes.NO_SUBSCRIPTION_EXISTED);
        }
        var alloc = connection.link.alloc();
        int packetId = unsubscribe.variableHeader().messageId();
        connection.link.writeWhenSaved(
                connection.v5() ? AckEncoder.unsubAck5(alloc, packetId, codes) : AckEncoder.unsubAck(alloc, packetId),
                connection.context.store().saved());
    }
}
