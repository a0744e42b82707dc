package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.session.Session;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;

/**
 * PUBACK, PUBREC and PUBCOMP from a client, for messages the broker sent it (MQTT 3.1.1 sections 3.4, 3.5, 3.7; MQTT 5
 * sections 3.4-3.7). One that does not fit the delivery's QoS breaks the protocol and closes the connection, as
 * Mosquitto does; one for an unknown packet id is ignored. A PUBREC is answered with PUBREL, which a persistent session
 * keeps owing, also across a restart, until its PUBCOMP. An MQTT 5 PUBREC with a failure reason code (0x80 or above)
 * ends that delivery: no PUBREL follows (MQTT 5 section 4.3.3).
 */
final class DeliveryAckHandler {

    private DeliveryAckHandler() {}

    static void handle(Connection connection, Session session, MqttMessageType type, MqttMessage message) {
        int packetId = Connection.packetId(message);
        boolean refused = type == MqttMessageType.PUBREC
                && message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
                && (reply.reasonCode() & 0xFF) >= 0x80;
        Session.Ack result = switch (type) {
            case PUBACK -> session.pubAck(packetId);
            case PUBREC -> refused ? session.pubRecRefused(packetId) : session.pubRec(packetId);
            default -> session.pubComp(packetId);
        };
        if (result == Session.Ack.WRONG_KIND) {
            connection.protocolError(type + " for packet id " + packetId + ", which does not fit that delivery's QoS");
            return;
        }
        if (result == Session.Ack.UNKNOWN) {
            Connection.LOG.debug("Client {} sent {} for unknown packet id {}.", connection.clientId, type, packetId);
        }
        if (type == MqttMessageType.PUBREC && !refused) {
            var pubRel = AckEncoder.pubRel(connection.link.alloc(), packetId);
            if (session.persistent()) {
                // Once the PUBREL is owed in the store: a restart then sends it again, never the PUBLISH.
                connection.link.writeWhenSaved(
                        pubRel, connection.context.store().saved());
            } else {
                connection.link.write(pubRel);
            }
        }
    }
}
