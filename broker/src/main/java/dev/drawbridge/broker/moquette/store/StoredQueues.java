package dev.drawbridge.broker.moquette.store;

import dev.drawbridge.broker.engine.store.StoreCommitter;
import io.moquette.broker.IQueueRepository;
import io.moquette.broker.InMemoryQueue;
import io.moquette.broker.SessionMessageQueue;
import io.moquette.broker.SessionRegistry;
import io.moquette.broker.subscriptions.Topic;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.h2.mvstore.MVMap;

/**
 * The message queues of persistent sessions. The queues themselves are in memory: what they hold is owed, and so
 * stored, in {@link PendingDeliveries}, which refills them when the broker starts. The store keeps which clients own
 * a queue, because that is how Moquette knows at start which sessions are persistent.
 */
final class StoredQueues implements IQueueRepository {

    private final MVMap<String, Boolean> names;
    private final StoreCommitter committer;
    private final Map<String, List<PendingDeliveries.Recovered>> recovered;
    private final Consumer<String> sessionEnded;
    private final Map<String, SessionMessageQueue<SessionRegistry.EnqueuedMessage>> queues = new ConcurrentHashMap<>();
    /** Set when the broker stops: a queue purged after that frees its memory and leaves the store alone. */
    private volatile boolean closed;

    /**
     * @param recovered the messages owed per client when the store opened, to put back in their queues
     * @param sessionEnded told when a persistent session's queue is purged
     */
    StoredQueues(
            MVMap<String, Boolean> names,
            StoreCommitter committer,
            Map<String, List<PendingDeliveries.Recovered>> recovered,
            Consumer<String> sessionEnded) {
        this.names = names;
        this.committer = committer;
        this.recovered = new ConcurrentHashMap<>(recovered);
        this.sessionEnded = sessionEnded;
    }

    @Override
    public Set<String> listQueueNames() {
        return new HashSet<>(names.keySet());
    }

    @Override
    public boolean containsQueue(String clientId) {
        return names.containsKey(clientId);
    }

    @Override
    public SessionMessageQueue<SessionRegistry.EnqueuedMessage> getOrCreateQueue(String clientId) {
        return queues.computeIfAbsent(clientId, id -> {
            if (names.putIfAbsent(id, Boolean.TRUE) == null) {
                committer.changed();
            }
            Queue queue = new Queue(id);
            for (PendingDeliveries.Recovered m : recovered.getOrDefault(id, List.of())) {
                queue.enqueue(new SessionRegistry.PublishedMessage(
                        new Topic(m.topic()), MqttQoS.valueOf(m.qos()), Unpooled.wrappedBuffer(m.payload()), false));
            }
            recovered.remove(id);
            return queue;
        });
    }

    @Override
    public void close() {
        closed = true;
        queues.values().forEach(q -> {
            while (!q.isEmpty()) {
                SessionRegistry.EnqueuedMessage m = q.dequeue();
                if (m != null) {
                    m.release();
                }
            }
        });
        queues.clear();
    }

    /** An in-memory queue that ends its client's persistent state when Moquette purges it. */
    private final class Queue implements SessionMessageQueue<SessionRegistry.EnqueuedMessage> {
        private final String clientId;
        private final InMemoryQueue messages = new InMemoryQueue();

        Queue(String clientId) {
            this.clientId = clientId;
        }

        @Override
        public void enqueue(SessionRegistry.EnqueuedMessage message) {
            messages.enqueue(message);
        }

        @Override
        public SessionRegistry.EnqueuedMessage dequeue() {
            return messages.dequeue();
        }

        @Override
        public boolean isEmpty() {
            return messages.isEmpty();
        }

        @Override
        public void closeAndPurge() {
            messages.closeAndPurge();
            if (closed) {
                return;
            }
            queues.remove(clientId, this);
            if (names.remove(clientId) != null) {
                committer.changed();
            }
            sessionEnded.accept(clientId);
        }
    }
}
