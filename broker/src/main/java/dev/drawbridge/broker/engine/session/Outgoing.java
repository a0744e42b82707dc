package dev.drawbridge.broker.engine.session;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import org.jspecify.annotations.Nullable;

/** One delivery of a message to one session: queued, then in flight until the client acknowledges it. */
final class Outgoing {

    /** Released (and not to be touched) once {@link #awaitingPubComp} is set. */
    final PublishedMessage message;

    final int qos;
    final boolean retainFlag;
    /** The store's key while the message is owed to a persistent session, else -1. */
    long storeKey;
    /** 0 until sent. */
    int packetId;
    /** A QoS 2 delivery the client has received (PUBREC): only its PUBCOMP is awaited. */
    boolean awaitingPubComp;

    /** The identifiers of the subscriptions it matched, for an MQTT 5 client; null for none. */
    final int @Nullable [] subscriptionIds;

    Outgoing(PublishedMessage message, int qos, boolean retainFlag, long storeKey) {
        this(message, qos, retainFlag, storeKey, null);
    }

    Outgoing(PublishedMessage message, int qos, boolean retainFlag, long storeKey, int @Nullable [] subscriptionIds) {
        this.subscriptionIds = subscriptionIds;
        this.message = message;
        this.qos = qos;
        this.retainFlag = retainFlag;
        this.storeKey = storeKey;
    }
}
