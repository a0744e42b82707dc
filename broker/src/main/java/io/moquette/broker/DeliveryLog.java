package io.moquette.broker;

import io.netty.buffer.ByteBuf;

/**
 * What the post office tells the store about messages that must survive a crash. Implemented outside Moquette's
 * package ({@code dev.drawbridge.broker.moquette.store}); every method is called on a session loop thread and must
 * never throw (Moquette 0.17 loses the loop, and every client on it, on an exception).
 */
public interface DeliveryLog {

    /**
     * A QoS 1/2 message is about to be routed to a client with a persistent session: record it before any of it
     * reaches the client, so that a crash between the publisher's acknowledgement and the subscriber's cannot lose it.
     */
    void queued(String clientId, String topic, int qos, ByteBuf payload);

    /**
     * The first time this client's QoS 2 packet id is seen since its last PUBREL: true, and the id is recorded;
     * false for a duplicate, which must not be delivered again (MQTT 3.1.1 section 4.3.3).
     */
    boolean firstQos2Receipt(String clientId, boolean persistentSession, int packetId);

    /** The QoS 2 packet id is free again (its PUBREL arrived, or its PUBLISH could not be routed). */
    void qos2Released(String clientId, int packetId);
}
