package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.session.Session;
import io.netty.handler.codec.mqtt.MqttMessageType;

/**
 * PUBACK, PUBREC and PUBCOMP from a client, for messages the broker sent it (MQTT 3.1.1 sections 3.4, 3.5, 3.7). One
 * that does not fit the delivery's QoS breaks the protocol and closes the connection, as Mosquitto does; one for an
 * unknown packet id is ignored.
 */
final class DeliveryAckHandler {

    private DeliveryAckHandler() {}

    static void handle(Connection connection, Session session, MqttMessageType type, int packetId) {
        Session.Ack result = switch (type) {
            case PUBACK -> session.pubAck(packetId);
            case PUBREC -> session.pubRec(packetId);
            default -> session.pubComp(packetId);
        };
        if (result == Session.Ack.WRONG_KIND) {
            connection.protocolError(type + " for packet id " + packetId + ", which does not fit that delivery's QoS");
            return;
        }
        if (result == Session.Ack.UNKNOWN) {
            Connection.LOG.debug("Client {} sent {} for unknown packet id {}.", connection.clientId, type, packetId);
        }
        if (type == MqttMessageType.PUBREC) {
            connection.link.write(AckEncoder.pubRel(connection.link.alloc(), packetId));
        }
    }
}
