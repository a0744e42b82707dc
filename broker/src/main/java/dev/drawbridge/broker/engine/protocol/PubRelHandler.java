package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.session.Session;

/** PUBREL (MQTT 3.1.1 section 3.6): the client's QoS 2 packet id is free again; answered with PUBCOMP. */
final class PubRelHandler {

    private PubRelHandler() {}

    static void handle(Connection connection, Session session, int packetId) {
        session.qos2Released(packetId);
        connection.link.writeWhenSaved(
                AckEncoder.pubComp(connection.link.alloc(), packetId),
                connection.context.store().saved());
    }
}
