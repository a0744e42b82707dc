package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.codec.MessagePropertyCodec;
import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.message.Publisher;
import dev.drawbridge.broker.engine.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.Optional;

/**
 * PUBLISH from a client (MQTT 3.1.1 section 3.3, MQTT 5 section 3.3; the right to write the topic was checked, and an
 * MQTT 5 topic alias resolved, before it came here): routed at once, then acknowledged (PUBACK for QoS 1, PUBREC for QoS
 * 2) when the store has what it must keep. A repeated QoS 2 packet id that has not been released is answered again and
 * not delivered twice when it carries the same message, and delivered as a new message when it carries another. An
 * MQTT 5 message keeps the properties its subscribers get and its expiry; an MQTT 5 PUBACK says when no subscription
 * matched (0x10), as Mosquitto's does.
 */
final class PublishHandler {

    /** An MQTT 3.1.1 message forwards no properties; one shared empty array rather than one per message. */
    private static final byte[] NO_PROPERTIES = new byte[0];

    private PublishHandler() {}

    static void handle(Connection connection, Session session, MqttPublishMessage publish) {
        var header = publish.fixedHeader();
        int qos = header.qosLevel().value();
        if (qos == 0 && header.isDup()) {
            connection.protocolError("a QoS 0 PUBLISH with DUP=1 (MQTT-3.3.1-2)");
            return;
        }
        int packetId = publish.variableHeader().packetId();
        // A QoS 1 PUBLISH counts too while it waits for its PUBACK (MQTT 5 section 3.3.4): one that comes while the
        // unreleased QoS 2 ones fill the receive maximum exceeds it as a QoS 2 one would.
        if (qos > 0
                && connection.v5()
                && session.qos2Pending() >= connection.context.receiveMaximum()
                && !(qos == 2 && session.qos2Known(packetId))) {
            connection.protocolError(
                    "a QoS " + qos + " PUBLISH beyond its receive maximum of " + connection.context.receiveMaximum()
                            + ", with as many QoS 2 PUBLISH packets unreleased (MQTT-3.3.4-9)",
                    ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED);
            return;
        }
        boolean deliver = qos < 2 || newQos2Message(connection, session, publish, packetId);
        int matched = 1;
        if (deliver) {
            ByteBuf in = publish.payload();
            // A copy of exactly the payload: a slice would keep the whole read buffer alive while the message waits.
            ByteBuf payload = connection
                    .link
                    .alloc()
                    .buffer(in.readableBytes())
                    .writeBytes(in, in.readerIndex(), in.readableBytes());
            PublishedMessage message = message(connection, publish, qos, payload);
            try {
                matched = connection.context.router().publish(message);
            } finally {
                message.release();
            }
            // A client subscribed to its own topic gets the message before the acknowledgement, as from Mosquitto.
            session.drainPending();
        }
        int reason = qos == 1 && matched == 0 && connection.v5() ? ReasonCodes.NO_MATCHING_SUBSCRIBERS : 0;
        acknowledge(connection, qos, packetId, reason);
    }

    /**
     * Whether a QoS 2 PUBLISH is a message to deliver: not when its packet id waits for a PUBREL and it is the same
     * message again (MQTT-4.3.3-9), but when it is another message under that id, as Mosquitto 2.0.11 takes it (the
     * client lost its state, or reuses ids early); the first one was delivered when it came.
     */
    private static boolean newQos2Message(
            Connection connection, Session session, MqttPublishMessage publish, int packetId) {
        String topic = publish.variableHeader().topicName();
        Session.Qos2Receipt receipt = session.qos2Received(packetId, MessageFingerprint.of(topic, publish.payload()));
        if (receipt == Session.Qos2Receipt.REUSED) {
            Connection.LOG.warn(
                    "Client {} reused QoS 2 packet id {} for another message before its PUBREL: delivered as a new"
                            + " message.",
                    connection.clientId,
                    packetId);
        }
        return receipt != Session.Qos2Receipt.DUPLICATE;
    }

    private static PublishedMessage message(
            Connection connection, MqttPublishMessage publish, int qos, ByteBuf payload) {
        String topic = publish.variableHeader().topicName();
        boolean retain = publish.fixedHeader().isRetain();
        if (!connection.v5()) {
            return PublishedMessage.of(
                    topic, qos, retain, payload, connection.clientId, NO_PROPERTIES, 0, publisher(connection));
        }
        MqttProperties properties = publish.variableHeader().properties();
        long expiry = MessagePropertyCodec.expiryInterval(properties);
        return PublishedMessage.of(
                topic,
                qos,
                retain,
                payload,
                connection.clientId,
                MessagePropertyCodec.forwarded(properties),
                expiry < 0 ? 0 : System.currentTimeMillis() + expiry * 1000,
                publisher(connection));
    }

    /**
     * Who published, as the rules know the client; one the rules do not know is kept by its client id on no listener,
     * which no rules let write, so that {@code check_retain_source} hides its retained messages (fail closed).
     */
    static Publisher publisher(Connection connection) {
        Publisher known = connection.publisher;
        return known != null ? known : new Publisher(connection.clientId, Optional.empty(), "");
    }

    /**
     * PUBACK for QoS 1, PUBREC for QoS 2, once the store has what it must keep; nothing for QoS 0.
     *
     * @param reasonCode the MQTT 5 reason code (ignored for MQTT 3.1.1 clients)
     */
    static void acknowledge(Connection connection, int qos, int packetId, int reasonCode) {
        if (qos == 0) {
            return;
        }
        var alloc = connection.link.alloc();
        ByteBuf ack;
        if (connection.v5()) {
            ack = AckEncoder.ack5(
                    alloc, qos == 1 ? AckEncoder.pubAckType() : AckEncoder.pubRecType(), packetId, reasonCode);
        } else {
            ack = qos == 1 ? AckEncoder.pubAck(alloc, packetId) : AckEncoder.pubRec(alloc, packetId);
        }
        connection.link.writeWhenSaved(ack, connection.context.store().saved());
    }
}
