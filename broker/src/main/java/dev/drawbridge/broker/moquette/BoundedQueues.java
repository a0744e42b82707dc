package dev.drawbridge.broker.moquette;

import io.moquette.broker.IQueueRepository;
import io.moquette.broker.SessionMessageQueue;
import io.moquette.broker.SessionRegistry;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code max_queued_messages}: each client's queue of QoS 1/2 messages waiting behind its in-flight window holds at
 * most this many; a message beyond it is dropped (Mosquitto does the same), counted and logged once per client until
 * its queue drains. Protocol markers (PUBREL) are never dropped. Moquette 0.17's queues are unbounded.
 *
 * <p>Counts start at zero when the broker starts: a persistent queue from before a restart is not counted.
 */
final class BoundedQueues implements IQueueRepository {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedQueues.class);

    private final IQueueRepository queues;
    private final int limit;
    private final LongAdder dropped;
    private final Map<String, AtomicInteger> sizes = new ConcurrentHashMap<>();
    private final DropListener onDrop;

    /** Told about each dropped message, before it is released. */
    interface DropListener {
        void dropped(String clientId, String topic, ByteBuf payload);
    }

    BoundedQueues(IQueueRepository queues, int limit, LongAdder dropped, DropListener onDrop) {
        this.queues = queues;
        this.limit = limit;
        this.dropped = dropped;
        this.onDrop = onDrop;
    }

    @Override
    public Set<String> listQueueNames() {
        return queues.listQueueNames();
    }

    @Override
    public boolean containsQueue(String clientId) {
        return queues.containsQueue(clientId);
    }

    @Override
    public SessionMessageQueue<SessionRegistry.EnqueuedMessage> getOrCreateQueue(String clientId) {
        SessionMessageQueue<SessionRegistry.EnqueuedMessage> queue = queues.getOrCreateQueue(clientId);
        if (limit <= 0) {
            return queue;
        }
        AtomicInteger size = sizes.computeIfAbsent(clientId, id -> new AtomicInteger());
        return new Bounded(clientId, queue, size);
    }

    @Override
    public void close() {
        queues.close();
    }

    private final class Bounded implements SessionMessageQueue<SessionRegistry.EnqueuedMessage> {
        private final String clientId;
        private final SessionMessageQueue<SessionRegistry.EnqueuedMessage> queue;
        private final AtomicInteger size;
        private boolean warned;

        Bounded(String clientId, SessionMessageQueue<SessionRegistry.EnqueuedMessage> queue, AtomicInteger size) {
            this.clientId = clientId;
            this.queue = queue;
            this.size = size;
        }

        @Override
        public void enqueue(SessionRegistry.EnqueuedMessage message) {
            if (message instanceof SessionRegistry.PublishedMessage published) {
                if (size.get() >= limit) {
                    dropped.increment();
                    if (!warned) {
                        warned = true;
                        LOG.warn(
                                "Outgoing messages are being dropped for client {}: max_queued_messages {} reached.",
                                clientId,
                                limit);
                    }
                    onDrop.dropped(clientId, published.getTopic().toString(), published.getPayload());
                    published.release();
                    return;
                }
                size.incrementAndGet();
            }
            queue.enqueue(message);
        }

        @Override
        public SessionRegistry.EnqueuedMessage dequeue() {
            SessionRegistry.EnqueuedMessage message = queue.dequeue();
            if (message instanceof SessionRegistry.PublishedMessage && size.get() > 0) {
                if (size.decrementAndGet() == 0) {
                    warned = false;
                }
            }
            return message;
        }

        @Override
        public boolean isEmpty() {
            return queue.isEmpty();
        }

        @Override
        public void closeAndPurge() {
            size.set(0);
            sizes.remove(clientId);
            queue.closeAndPurge();
        }
    }
}
