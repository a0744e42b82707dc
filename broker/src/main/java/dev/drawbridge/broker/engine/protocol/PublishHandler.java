package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/**
 * PUBLISH from a client (MQTT 3.1.1 section 3.3; the right to write the topic was checked before it came here):
 * routed at once, then acknowledged (PUBACK for QoS 1, PUBREC for QoS 2) when the store has what it must keep. A
 * repeated QoS 2 packet id that has not been released is answered again and not delivered twice.
 */
final class PublishHandler {

    private PublishHandler() {}

    static void handle(Connection connection, Session session, MqttPublishMessage publish) {
        var header = publish.fixedHeader();
        int qos = header.qosLevel().value();
        if (qos == 0 && header.isDup()) {
            connection.protocolError("a QoS 0 PUBLISH with DUP=1 (MQTT-3.3.1-2)");
            return;
        }
        int packetId = publish.variableHeader().packetId();
        boolean deliver = qos < 2 || session.qos2Received(packetId);
        if (deliver) {
            ByteBuf in = publish.payload();
            // A copy of exactly the payload: a slice would keep the whole read buffer alive while the message waits.
            ByteBuf payload = connection
                    .link
                    .alloc()
                    .buffer(in.readableBytes())
                    .writeBytes(in, in.readerIndex(), in.readableBytes());
            PublishedMessage message = PublishedMessage.of(
                    publish.variableHeader().topicName(), qos, header.isRetain(), payload, connection.clientId);
            try {
                connection.context.router().publish(message);
            } finally {
                message.release();
            }
        }
        acknowledge(connection, qos, packetId);
    }

    /** PUBACK for QoS 1, PUBREC for QoS 2, once the store has what it must keep; nothing for QoS 0. */
    static void acknowledge(Connection connection, int qos, int packetId) {
        if (qos == 1) {
            connection.link.writeWhenSaved(
                    AckEncoder.pubAck(connection.link.alloc(), packetId),
                    connection.context.store().saved());
        } else if (qos == 2) {
            connection.link.writeWhenSaved(
                    AckEncoder.pubRec(connection.link.alloc(), packetId),
                    connection.context.store().saved());
        }
    }
}
