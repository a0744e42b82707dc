package dev.drawbridge.broker.engine.session;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * The QoS 1/2 deliveries sent to a client and not yet acknowledged, in the order they were sent, and the packet ids
 * they hold (MQTT 3.1.1 section 2.3.1: an id is free again once its flow completes). Guarded by its session's lock.
 */
final class InflightWindow implements Iterable<Outgoing> {

    private static final int LAST_PACKET_ID = 65_535;

    /** Made at the first QoS 1 or 2 delivery: a client that only ever gets QoS 0 never needs it. */
    private @Nullable ArrayDeque<Outgoing> sent;

    private int nextPacketId = 1;
    /** Once the ids have wrapped, or came from a stored session, a new one is checked against those in use. */
    private boolean mayCollide;

    int size() {
        return sent == null ? 0 : sent.size();
    }

    /** Gives a delivery the next free packet id and puts it in flight. */
    void send(Outgoing delivery) {
        delivery.packetId = nextFreeId();
        sent().addLast(delivery);
    }

    /** Puts back a delivery that was in flight under its packet id before a restart. */
    void restore(Outgoing delivery) {
        sent().addLast(delivery);
        nextPacketId = delivery.packetId == LAST_PACKET_ID ? 1 : delivery.packetId + 1;
        mayCollide = true;
    }

    @Nullable
    Outgoing find(int packetId) {
        for (Outgoing o : this) {
            if (o.packetId == packetId) {
                return o;
            }
        }
        return null;
    }

    /** The flow of this delivery is complete: its packet id is free. */
    void remove(Outgoing delivery) {
        if (sent != null) {
            sent.remove(delivery);
        }
    }

    void clear() {
        sent = null;
    }

    @Override
    public Iterator<Outgoing> iterator() {
        return sent == null ? Collections.emptyIterator() : sent.iterator();
    }

    private ArrayDeque<Outgoing> sent() {
        ArrayDeque<Outgoing> deque = sent;
        if (deque == null) {
            deque = new ArrayDeque<>(4);
            sent = deque;
        }
        return deque;
    }

    private int nextFreeId() {
        while (true) {
            int id = nextPacketId;
            nextPacketId = id == LAST_PACKET_ID ? 1 : id + 1;
            if (id == LAST_PACKET_ID) {
                mayCollide = true;
            }
            if (!mayCollide || find(id) == null) {
                return id;
            }
        }
    }
}
