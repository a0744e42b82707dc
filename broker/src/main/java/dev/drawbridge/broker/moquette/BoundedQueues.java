package dev.drawbridge.broker.moquette;

import io.moquette.broker.IQueueRepository;
import io.moquette.broker.SessionMessageQueue;
import io.moquette.broker.SessionRegistry;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code max_queued_messages} and {@code max_queued_bytes}: each client's queue of QoS 1/2 messages waiting behind its
 * in-flight window (all of them, while it is offline) holds at most that many messages and payload bytes. As in
 * Mosquitto, a message is queued while the queue is below both limits, so the bytes may pass their limit by one
 * message; once either limit is reached, new messages for that client are dropped, counted in {@code $SYS} and logged
 * once per client until its queue drains. Protocol markers (PUBREL) are never dropped. Moquette 0.17's queues are
 * unbounded, and it never queues QoS 0 messages, so there is no QoS 0 message to drop first.
 *
 * <p>Counts start at zero when the broker starts: a persistent queue from before a restart is not counted.
 */
final class BoundedQueues implements IQueueRepository {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.queues");

    private final IQueueRepository queues;
    private final int maxMessages;
    private final long maxBytes;
    private final LongAdder dropped;
    private final Map<String, Usage> usages = new ConcurrentHashMap<>();

    /** What one client's queue holds now. */
    private static final class Usage {
        final AtomicInteger messages = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
    }

    private final DropListener onDrop;

    /** Told about each dropped message, before it is released. */
    interface DropListener {
        void dropped(String clientId, String topic, ByteBuf payload);
    }

    /**
     * @param maxMessages messages per queue, 0 for no limit
     * @param maxBytes payload bytes per queue, 0 for no limit
     * @param dropped counts every message dropped
     * @param onDrop told about each dropped message
     */
    BoundedQueues(IQueueRepository queues, int maxMessages, long maxBytes, LongAdder dropped, DropListener onDrop) {
        this.queues = queues;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
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
        if (maxMessages <= 0 && maxBytes <= 0) {
            return queue;
        }
        Usage usage = usages.computeIfAbsent(clientId, id -> new Usage());
        return new Bounded(clientId, queue, usage);
    }

    @Override
    public void close() {
        queues.close();
    }

    /** The limit this queue has reached, or null while a message may still be queued. */
    private @Nullable String reached(Usage usage) {
        if (maxMessages > 0 && usage.messages.get() >= maxMessages) {
            return "max_queued_messages " + maxMessages;
        }
        if (maxBytes > 0 && usage.bytes.get() >= maxBytes) {
            return "max_queued_bytes " + maxBytes;
        }
        return null;
    }

    private final class Bounded implements SessionMessageQueue<SessionRegistry.EnqueuedMessage> {
        private final String clientId;
        private final SessionMessageQueue<SessionRegistry.EnqueuedMessage> queue;
        private final Usage usage;
        private boolean warned;

        Bounded(String clientId, SessionMessageQueue<SessionRegistry.EnqueuedMessage> queue, Usage usage) {
            this.clientId = clientId;
            this.queue = queue;
            this.usage = usage;
        }

        @Override
        public void enqueue(SessionRegistry.EnqueuedMessage message) {
            if (message instanceof SessionRegistry.PublishedMessage published) {
                String limit = reached(usage);
                if (limit != null) {
                    dropped.increment();
                    if (!warned) {
                        warned = true;
                        LOG.warn("Outgoing messages are being dropped for client {}: {} reached.", clientId, limit);
                    }
                    onDrop.dropped(clientId, published.getTopic().toString(), published.getPayload());
                    published.release();
                    return;
                }
                usage.messages.incrementAndGet();
                usage.bytes.addAndGet(published.getPayload().readableBytes());
            }
            queue.enqueue(message);
        }

        @Override
        public SessionRegistry.EnqueuedMessage dequeue() {
            SessionRegistry.EnqueuedMessage message = queue.dequeue();
            if (message instanceof SessionRegistry.PublishedMessage published) {
                // Never below zero: a message queued before a restart was never counted.
                long size = published.getPayload().readableBytes();
                usage.bytes.updateAndGet(b -> Math.max(0, b - size));
                if (usage.messages.updateAndGet(n -> Math.max(0, n - 1)) == 0) {
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
            usage.messages.set(0);
            usage.bytes.set(0);
            usages.remove(clientId);
            queue.closeAndPurge();
        }
    }
}
