package dev.drawbridge.broker.engine.session;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The QoS 1/2 deliveries sent to a client and not yet acknowledged, in the order they were sent, and the packet ids
 * they hold (MQTT 3.1.1 section 2.3.1: an id is free again once its flow completes). Guarded by its session's lock.
 */
final class InflightWindow implements Iterable<Outgoing> {

    private static final int LAST_PACKET_ID = 65_535;

    /**
     * The deliveries in the order sent, as a ring from {@link #head}; made at the first QoS 1 or 2 delivery (a client
     * that only ever gets QoS 0 never needs it). A ring of our own rather than a deque: find() runs per acknowledgement
     * and walks it by index, with no iterator to allocate.
     */
    private Outgoing @Nullable [] ring;

    private int head;
    private int count;

    private int nextPacketId = 1;
    /** Once the ids have wrapped, or came from a stored session, a new one is checked against those in use. */
    private boolean mayCollide;

    int size() {
        return count;
    }

    /** Gives a delivery the next free packet id and puts it in flight. */
    void send(Outgoing delivery) {
        delivery.packetId = nextFreeId();
        addLast(delivery);
    }

    /** Puts back a delivery that was in flight under its packet id before a restart. */
    void restore(Outgoing delivery) {
        addLast(delivery);
        nextPacketId = delivery.packetId == LAST_PACKET_ID ? 1 : delivery.packetId + 1;
        mayCollide = true;
    }

    @Nullable
    Outgoing find(int packetId) {
        int i = indexOf(packetId);
        return i < 0 ? null : ring(i);
    }

    /** The flow of this delivery is complete: its packet id is free. */
    void remove(Outgoing delivery) {
        for (int i = 0; i < count; i++) {
            if (ring(i) == delivery) {
                removeAt(i);
                return;
            }
        }
    }

    void clear() {
        ring = null;
        head = 0;
        count = 0;
    }

    @Override
    public Iterator<Outgoing> iterator() {
        List<Outgoing> inOrder = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inOrder.add(ring(i));
        }
        return inOrder.iterator();
    }

    /** The i-th delivery in the order sent; i below {@link #count}. */
    private Outgoing ring(int i) {
        Outgoing[] r = Objects.requireNonNull(ring, "count > 0");
        return r[(head + i) & (r.length - 1)];
    }

    private int indexOf(int packetId) {
        for (int i = 0; i < count; i++) {
            if (ring(i).packetId == packetId) {
                return i;
            }
        }
        return -1;
    }

    private void addLast(Outgoing delivery) {
        Outgoing[] r = ring;
        if (r == null) {
            r = new Outgoing[4];
            ring = r;
        } else if (count == r.length) {
            Outgoing[] grown = new Outgoing[r.length * 2];
            for (int i = 0; i < count; i++) {
                grown[i] = r[(head + i) & (r.length - 1)];
            }
            r = grown;
            ring = r;
            head = 0;
        }
        r[(head + count) & (r.length - 1)] = delivery;
        count++;
    }

    /** Takes out the i-th delivery, closing the gap (most often the oldest: acknowledgements come in order). */
    private void removeAt(int i) {
        Outgoing[] r = Objects.requireNonNull(ring, "count > 0");
        int mask = r.length - 1;
        if (i == 0) {
            r[head] = null;
            head = (head + 1) & mask;
        } else {
            for (int j = i; j < count - 1; j++) {
                r[(head + j) & mask] = r[(head + j + 1) & mask];
            }
            r[(head + count - 1) & mask] = null;
        }
        count--;
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
