package dev.drawbridge.broker.engine.session;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliveries waiting for a client: beyond its in-flight window, while its socket is full, or while it is offline,
 * and, for a moment, those its session's next drain sends. Bounded by {@code max_queued_messages} and {@code
 * max_queued_bytes}, counting only what waits beyond the in-flight slots free for it; a drop is logged once until the
 * queue drains. Guarded by its session's lock.
 */
final class WaitingQueue implements Iterable<Outgoing> {

    /** Dropped messages have a logger of their own, so that they can be watched (or silenced) apart. */
    private static final Logger DROPS = LoggerFactory.getLogger("dev.drawbridge.broker.queues");

    /** Made when the first delivery waits: most clients never queue one. */
    private @Nullable ArrayDeque<Outgoing> waiting;

    private long bytes;
    /** How many of them are QoS 1 or 2, which take an in-flight slot when they are sent. */
    private int qos12;

    private boolean dropLogged;

    /**
     * Whether one more message may wait; if not, the limit reached is logged (once until the queue drains). The
     * messages that the next drain puts in flight, as many QoS 1/2 ones as there are {@code freeSlots}, do not wait and
     * are not counted (Mosquitto counts its queued messages only, not those in flight); their bytes are, as Mosquitto
     * counts the bytes in flight too.
     *
     * @param freeSlots in-flight slots free for the client now; 0 while it is offline
     */
    boolean admits(QueueLimits limits, String clientId, int freeSlots) {
        String reached = limits.reached(size() - Math.min(qos12, freeSlots), bytes);
        if (reached == null) {
            return true;
        }
        if (!dropLogged) {
            dropLogged = true;
            DROPS.warn("Outgoing messages are being dropped for client {}: {} reached.", clientId, reached);
        }
        return false;
    }

    void add(Outgoing delivery) {
        ArrayDeque<Outgoing> queue = waiting;
        if (queue == null) {
            queue = new ArrayDeque<>(4);
            waiting = queue;
        }
        queue.addLast(delivery);
        bytes += delivery.message.payloadSize();
        if (delivery.qos > 0) {
            qos12++;
        }
    }

    @Nullable
    Outgoing peek() {
        return waiting == null ? null : waiting.peekFirst();
    }

    /** Takes the first waiting delivery (the one {@link #peek} showed). */
    Outgoing take() {
        ArrayDeque<Outgoing> queue = Objects.requireNonNull(waiting, "take follows a peek that found one");
        Outgoing first = queue.removeFirst();
        bytes -= first.message.payloadSize();
        if (first.qos > 0) {
            qos12--;
        }
        if (queue.isEmpty()) {
            dropLogged = false;
        }
        return first;
    }

    boolean isEmpty() {
        return waiting == null || waiting.isEmpty();
    }

    int size() {
        return waiting == null ? 0 : waiting.size();
    }

    /** How many waiting deliveries are QoS 1 or 2. */
    int qos12() {
        return qos12;
    }

    /** The client went offline: its QoS 0 messages are not kept for it (as Mosquitto does). */
    void dropQos0() {
        for (Iterator<Outgoing> it = iterator(); it.hasNext(); ) {
            Outgoing o = it.next();
            if (o.qos == 0) {
                it.remove();
                bytes -= o.message.payloadSize();
                o.message.release();
            }
        }
    }

    void clear() {
        waiting = null;
        bytes = 0;
        qos12 = 0;
    }

    @Override
    public Iterator<Outgoing> iterator() {
        return waiting == null ? Collections.emptyIterator() : waiting.iterator();
    }
}
