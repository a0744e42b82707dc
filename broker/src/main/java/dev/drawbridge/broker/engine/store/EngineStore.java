package dev.drawbridge.broker.engine.store;

import dev.drawbridge.broker.engine.message.Publisher;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What the engine keeps across a restart or a crash: persistent sessions with their subscriptions, the QoS 1/2 messages
 * and the PUBRELs owed to them, their QoS 2 receipts, and retained messages. The engine calls it from its event loops: no method
 * blocks on the disk, and none throws (a failure is logged and makes {@link #saved()} fail, so acknowledgements that
 * wait for it are never sent). Clean sessions are never stored.
 *
 * <p>Payloads are read from the {@link ByteBuf}s given (reader index unchanged) and never retained or released.
 */
public interface EngineStore extends AutoCloseable {

    /** What a previous run left; called once, before anything else. */
    StoreSnapshot recover();

    /**
     * A persistent session starts or is resumed by a connection (or changes its expiry interval).
     *
     * @param expiryInterval its session expiry interval in seconds, {@code 0xFFFFFFFF} for MQTT 3.1.1's clean session
     *     0
     */
    void sessionOpened(String clientId, long expiryInterval);

    /** A persistent session's client disconnected at this instant (for {@code persistent_client_expiration}). */
    void sessionDisconnected(String clientId, Instant at);

    /** A session is gone for good (clean start over it, expiry): with its subscriptions, messages and receipts. */
    void sessionRemoved(String clientId);

    void subscribed(String clientId, String filter, SubscriptionOptions options);

    void unsubscribed(String clientId, String filter);

    /**
     * Stores (or replaces) the retained message of a topic, with its MQTT 5 properties (encoded) and expiry (epoch
     * milliseconds, 0 for never).
     */
    void retained(String topic, int qos, ByteBuf payload, byte[] properties, long expiresAt);

    /**
     * Stores (or replaces) the retained message of a topic with who published it, kept for {@code check_retain_source}
     * (null: the broker's own). A store that cannot keep the publisher keeps the message without it.
     */
    default void retained(
            String topic, int qos, ByteBuf payload, byte[] properties, long expiresAt, @Nullable Publisher publisher) {
        retained(topic, qos, payload, properties, expiresAt);
    }

    void retainedCleared(String topic);

    /**
     * A QoS 1/2 message is owed to a persistent session from now until {@link #forget}. Returns its key, increasing per
     * client in the order of the calls, which is the order of delivery after a restart. With the message's MQTT 5
     * properties (encoded) and expiry (epoch milliseconds, 0 for never).
     */
    long owe(
            String clientId, String topic, int qos, boolean retain, ByteBuf payload, byte[] properties, long expiresAt);

    /** An owed message went out with this packet id (so that a re-send after a restart keeps it). */
    void sent(String clientId, long key, int packetId);

    /**
     * The client received an owed QoS 2 message (its PUBREC came): the message is no longer owed, a PUBREL with this
     * packet id is, under the same key (so in the same place in the order of delivery), until {@link #forget}.
     */
    void releaseOwed(String clientId, long key, int packetId);

    /**
     * What was owed under this key is not any more: a message acknowledged (PUBACK), dropped by a limit or expired, or
     * a PUBREL completed (PUBCOMP).
     */
    void forget(String clientId, long key);

    /**
     * A persistent session's MQTT 5 will waits out its delay until {@code dueAt} (epoch milliseconds); it replaces any
     * earlier one of the session.
     */
    void willDelayed(
            String clientId,
            String topic,
            int qos,
            boolean retain,
            ByteBuf payload,
            byte[] properties,
            long expiresAt,
            long dueAt);

    /** The session's delayed will is gone: published, or its client came back. */
    void willCleared(String clientId);

    /**
     * A QoS 2 PUBLISH with this packet id was received from a persistent session and not yet released; a message
     * received again under that id before its release replaces the fingerprint.
     *
     * @param fingerprint what tells this message from another one under the same packet id
     */
    void qos2Received(String clientId, int packetId, long fingerprint);

    /** Its PUBREL came. */
    void qos2Released(String clientId, int packetId);

    /**
     * Completes when every change made before this call is durable: with {@code persistence_mode durable} after the
     * commit and sync that includes it (many waiters share one), at once otherwise; exceptionally when saving failed.
     */
    CompletableFuture<Void> saved();

    /** Saves what is left and closes the file. */
    @Override
    void close();
}
