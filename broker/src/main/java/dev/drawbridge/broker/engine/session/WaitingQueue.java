package dev.drawbridge.broker.engine.session;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliveries waiting for a client: beyond its in-flight window, while its socket is full, or while it is offline.
 * Bounded by {@code max_queued_messages} and {@code max_queued_bytes}; a drop is logged once until the queue drains.
 * Guarded by its session's lock.
 */
final class WaitingQueue implements Iterable<Outgoing> {

    /** Dropped messages have a logger of their own, so that they can be watched (or silenced) apart. */
    private static final Logger DROPS = LoggerFactory.getLogger("dev.drawbridge.broker.queues");

    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>(1);
    private long bytes;
    private boolean dropLogged;

    /** Whether one more message may wait; if not, the limit reached is logged (once until the queue drains). */
    boolean admits(QueueLimits limits, String clientId) {
        String reached = limits.reached(waiting.size(), bytes);
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
        waiting.addLast(delivery);
        bytes += delivery.message.payloadSize();
    }

    @Nullable
    Outgoing peek() {
        return waiting.peekFirst();
    }

    /** Takes the first waiting delivery (the one {@link #peek} showed). */
    Outgoing take() {
        Outgoing first = waiting.removeFirst();
        bytes -= first.message.payloadSize();
        if (waiting.isEmpty()) {
            dropLogged = false;
        }
        return first;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    int size() {
        return waiting.size();
    }

    /** The client went offline: its QoS 0 messages are not kept for it (as Mosquitto does). */
    void dropQos0() {
        for (Iterator<Outgoing> it = waiting.iterator(); it.hasNext(); ) {
            Outgoing o = it.next();
            if (o.qos == 0) {
                it.remove();
                bytes -= o.message.payloadSize();
                o.message.release();
            }
        }
    }

    void clear() {
        waiting.clear();
        bytes = 0;
    }

    @Override
    public Iterator<Outgoing> iterator() {
        return waiting.iterator();
    }
}
