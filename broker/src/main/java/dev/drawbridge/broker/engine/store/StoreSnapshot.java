package dev.drawbridge.broker.engine.store;

import dev.drawbridge.broker.engine.message.Publisher;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the store held at start.
 *
 * @param sessions the persistent sessions
 * @param retained the retained messages
 * @param wills the MQTT 5 wills waiting out their delay, of sessions among {@code sessions}
 */
public record StoreSnapshot(List<StoredSession> sessions, List<StoredRetained> retained, List<StoredWill> wills) {

    public StoreSnapshot {
        sessions = List.copyOf(sessions);
        retained = List.copyOf(retained);
        wills = List.copyOf(wills);
    }

    /** What a store without delayed wills held. */
    public StoreSnapshot(List<StoredSession> sessions, List<StoredRetained> retained) {
        this(sessions, retained, List.of());
    }

    public static StoreSnapshot empty() {
        return new StoreSnapshot(List.of(), List.of(), List.of());
    }

    /**
     * An MQTT 5 will waiting out its will delay interval when the broker stopped.
     *
     * @param message the will (its key unused)
     * @param dueAt when it is published unless its client comes back first, epoch milliseconds
     */
    public record StoredWill(String clientId, StoredMessage message, long dueAt) {}

    /**
     * One persistent session.
     *
     * @param expiryInterval its session expiry interval in seconds ({@code 0xFFFFFFFF}: MQTT 3.1.1's clean session 0)
     * @param disconnectedAt when its client last disconnected; empty if unknown
     * @param owed the messages owed to it, in key order
     * @param releases the PUBRELs owed to it, in key order (their keys are in the same order as those of {@code owed})
     * @param qos2Received the QoS 2 packet ids received from it and not yet released, each with its message's
     *     fingerprint (0: not known, from a store written before fingerprints)
     */
    public record StoredSession(
            String clientId,
            long expiryInterval,
            Optional<Instant> disconnectedAt,
            List<StoredSubscription> subscriptions,
            List<StoredMessage> owed,
            List<StoredRelease> releases,
            Map<Integer, Long> qos2Received) {

        public StoredSession {
            subscriptions = List.copyOf(subscriptions);
            owed = List.copyOf(owed);
            releases = List.copyOf(releases);
            qos2Received = Map.copyOf(qos2Received);
        }
    }

    public record StoredSubscription(String filter, SubscriptionOptions options) {

        /** An MQTT 3.1.1 subscription: the QoS alone. */
        public StoredSubscription(String filter, int qos) {
            this(filter, SubscriptionOptions.qos(qos));
        }
    }

    /**
     * A message owed to a session.
     *
     * @param packetId the packet id it was last sent with, 0 if never sent
     * @param properties its encoded MQTT 5 properties, empty for none
     * @param expiresAt when it expires, epoch milliseconds; 0 for never
     */
    public record StoredMessage(
            long key,
            String topic,
            int qos,
            boolean retain,
            byte[] payload,
            int packetId,
            byte[] properties,
            long expiresAt) {

        /** A message without MQTT 5 properties or expiry. */
        public StoredMessage(long key, String topic, int qos, boolean retain, byte[] payload, int packetId) {
            this(key, topic, qos, retain, payload, packetId, new byte[0], 0);
        }
    }

    /**
     * A PUBREL owed to a session: its client received a QoS 2 message (PUBREC) and has not completed it (PUBCOMP).
     *
     * @param key the key the message was owed under
     */
    public record StoredRelease(long key, int packetId) {}

    /** @param publisher who published it (for {@code check_retain_source}); null when the record has none */
    public record StoredRetained(
            String topic,
            int qos,
            byte[] payload,
            byte[] properties,
            long expiresAt,
            @Nullable Publisher publisher) {

        /** A retained message without MQTT 5 properties or expiry. */
        public StoredRetained(String topic, int qos, byte[] payload) {
            this(topic, qos, payload, new byte[0], 0, null);
        }

        /** A retained message without a known publisher. */
        public StoredRetained(String topic, int qos, byte[] payload, byte[] properties, long expiresAt) {
            this(topic, qos, payload, properties, expiresAt, null);
        }
    }
}
