package dev.drawbridge.broker.engine.session;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/** One delivery of a message to one session: queued, then in flight until the client acknowledges it. */
final class Outgoing {

    /** Stands for the message of a PUBREL restored from the store, whose message is gone; never released. */
    private static final PublishedMessage GONE = PublishedMessage.of("", 2, false, Unpooled.EMPTY_BUFFER, null);

    /** Released (and not to be touched) once {@link #awaitingPubComp} is set. */
    final PublishedMessage message;

    final int qos;
    final boolean retainFlag;
    /** The store's key while the message (or, once received, its PUBREL) is owed to a persistent session, else -1. */
    long storeKey;
    /** 0 until sent. */
    int packetId;
    /** A QoS 2 delivery the client has received (PUBREC): only its PUBCOMP is awaited. */
    boolean awaitingPubComp;

    /** The identifiers of the subscriptions it matched, for an MQTT 5 client; null for none. */
    final int @Nullable [] subscriptionIds;

    /**
     * The next delivery of the batch a drain is writing, which links its deliveries through them instead of a new list
     * per batch (a drain is most often one or two messages); null outside a drain.
     */
    @Nullable
    Outgoing nextInBatch;

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

    /** A QoS 2 delivery restored from the store after its PUBREC: only its PUBREL and PUBCOMP are left. */
    static Outgoing awaitingPubComp(int packetId, long storeKey) {
        Outgoing o = new Outgoing(GONE, 2, false, storeKey);
        o.packetId = packetId;
        o.awaitingPubComp = true;
        return o;
    }
}
