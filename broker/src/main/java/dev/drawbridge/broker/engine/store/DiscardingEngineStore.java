package dev.drawbridge.broker.engine.store;

import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** The store of {@code persistence false}: nothing was left, nothing is kept, nothing waits. */
final class DiscardingEngineStore implements EngineStore {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Keys still increase per client (one counter for all), as the engine orders what it owes by them. */
    private final AtomicLong nextKey = new AtomicLong(1);

    @Override
    public StoreSnapshot recover() {
        return StoreSnapshot.empty();
    }

    @Override
    public void sessionOpened(String clientId, long expiryInterval) {}

    @Override
    public void sessionDisconnected(String clientId, Instant at) {}

    @Override
    public void sessionRemoved(String clientId) {}

    @Override
    public void subscribed(String clientId, String filter, SubscriptionOptions options) {}

    @Override
    public void unsubscribed(String clientId, String filter) {}

    @Override
    public void retained(String topic, int qos, ByteBuf payload, byte[] properties, long expiresAt) {}

    @Override
    public void retainedCleared(String topic) {}

    @Override
    public long owe(
            String clientId,
            String topic,
            int qos,
            boolean retain,
            ByteBuf payload,
            byte[] properties,
            long expiresAt) {
        return nextKey.getAndIncrement();
    }

    @Override
    public void sent(String clientId, long key, int packetId) {}

    @Override
    public void releaseOwed(String clientId, long key, int packetId) {}

    @Override
    public void willDelayed(
            String clientId,
            String topic,
            int qos,
            boolean retain,
            ByteBuf payload,
            byte[] properties,
            long expiresAt,
            long dueAt) {}

    @Override
    public void willCleared(String clientId) {}

    @Override
    public void forget(String clientId, long key) {}

    @Override
    public void qos2Received(String clientId, int packetId, long fingerprint) {}

    @Override
    public void qos2Released(String clientId, int packetId) {}

    @Override
    public CompletableFuture<Void> saved() {
        return DONE;
    }

    @Override
    public void close() {}
}
