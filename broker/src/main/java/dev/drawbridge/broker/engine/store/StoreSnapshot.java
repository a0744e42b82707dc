package dev.drawbridge.broker.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the store held at start.
 *
 * @param sessions the persistent sessions
 * @param retained the retained messages
 */
public record StoreSnapshot(List<StoredSession> sessions, List<StoredRetained> retained) {

    public StoreSnapshot {
        sessions = List.copyOf(sessions);
        retained = List.copyOf(retained);
    }

    public static StoreSnapshot empty() {
        return new StoreSnapshot(List.of(), List.of());
    }

    /**
     * One persistent session.
     *
     * @param disconnectedAt when its client last disconnected; empty if unknown
     * @param owed the messages owed to it, in key order
     * @param releases the PUBRELs owed to it, in key order (their keys are in the same order as those of {@code owed})
     * @param qos2Received the QoS 2 packet ids received from it and not yet released
     */
    public record StoredSession(
            String clientId,
            Optional<Instant> disconnectedAt,
            List<StoredSubscription> subscriptions,
            List<StoredMessage> owed,
            List<StoredRelease> releases,
            Set<Integer> qos2Received) {

        public StoredSession {
            subscriptions = List.copyOf(subscriptions);
            owed = List.copyOf(owed);
            releases = List.copyOf(releases);
            qos2Received = Set.copyOf(qos2Received);
        }
    }

    public record StoredSubscription(String filter, int qos) {}

    /**
     * A message owed to a session.
     *
     * @param packetId the packet id it was last sent with, 0 if never sent
     */
    public record StoredMessage(long key, String topic, int qos, boolean retain, byte[] payload, int packetId) {}

    /**
     * A PUBREL owed to a session: its client received a QoS 2 message (PUBREC) and has not completed it (PUBCOMP).
     *
     * @param key the key the message was owed under
     */
    public record StoredRelease(long key, int packetId) {}

    public record StoredRetained(String topic, int qos, byte[] payload) {}
}
