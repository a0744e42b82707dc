package dev.drawbridge.broker.engine.store;

import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredMessage;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredRelease;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredRetained;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredSession;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredSubscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.h2.mvstore.MVMap;

/**
 * Reads what a previous run left, in a stable order: sessions by client id, each with its subscriptions by filter and
 * its owed messages and PUBRELs by key. Records of a client without a session (a crash while its session was removed) are
 * removed, as are packet ids of messages no longer owed.
 *
 * @param snapshot what is stored
 * @param highestKey the highest key of an owed message or PUBREL, 0 if none
 * @param removed how many records were removed
 */
record StoreRecovery(StoreSnapshot snapshot, long highestKey, int removed) {

    /** One session as it is read. */
    private static final class Parts {
        final Optional<Instant> disconnectedAt;
        final List<StoredSubscription> subscriptions = new ArrayList<>();
        final List<StoredMessage> owed = new ArrayList<>();
        final List<StoredRelease> releases = new ArrayList<>();
        final Map<Integer, Long> qos2Received = new HashMap<>();

        Parts(long disconnectedAt) {
            this.disconnectedAt = disconnectedAt == StoreMaps.CONNECTED
                    ? Optional.empty()
                    : Optional.of(Instant.ofEpochMilli(disconnectedAt));
        }
    }

    static StoreRecovery read(StoreMaps maps) {
        Map<String, Parts> sessions = new LinkedHashMap<>();
        maps.sessions().forEach((clientId, disconnectedAt) -> sessions.put(clientId, new Parts(disconnectedAt)));
        List<ClientKey> orphans = new ArrayList<>();
        maps.subscriptions().forEach((key, options) -> {
            Parts parts = sessions.get(key.clientId());
            if (parts == null) {
                orphans.add(key);
            } else {
                parts.subscriptions.add(new StoredSubscription(key.name(), StoreMaps.unpacked(options)));
            }
        });
        long highestKey = 0;
        for (Map.Entry<ClientKey, byte[]> e : maps.owed().entrySet()) {
            ClientKey key = e.getKey();
            highestKey = Math.max(highestKey, key.number());
            Parts parts = sessions.get(key.clientId());
            if (parts == null) {
                orphans.add(key);
            } else {
                Long packetId = maps.packetIds().get(key);
                parts.owed.add(
                        MessageRecords.owed(key.number(), e.getValue(), packetId == null ? 0 : packetId.intValue()));
            }
        }
        for (Map.Entry<ClientKey, Long> e : maps.releases().entrySet()) {
            ClientKey key = e.getKey();
            // A key above every owed message's must not be handed out again after the restart.
            highestKey = Math.max(highestKey, key.number());
            Parts parts = sessions.get(key.clientId());
            if (parts == null) {
                orphans.add(key);
            } else {
                parts.releases.add(new StoredRelease(key.number(), e.getValue().intValue()));
            }
        }
        maps.qos2Received().forEach((key, fingerprint) -> {
            Parts parts = sessions.get(key.clientId());
            if (parts == null) {
                orphans.add(key);
            } else {
                parts.qos2Received.put((int) key.number(), fingerprint);
            }
        });
        // Every orphan belongs to a client without a session: whichever map it came from, it may go from each.
        int removed = removeOrphans(maps.subscriptions(), orphans) + removeOrphans(maps.owed(), orphans);
        removed += removeOrphans(maps.releases(), orphans) + removeOrphans(maps.qos2Received(), orphans);
        List<ClientKey> sentButNotOwed = new ArrayList<>();
        maps.packetIds().forEach((key, packetId) -> {
            if (!maps.owed().containsKey(key)) {
                sentButNotOwed.add(key);
            }
        });
        removed += removeOrphans(maps.packetIds(), sentButNotOwed);
        List<StoredSession> stored = new ArrayList<>(sessions.size());
        sessions.forEach((clientId, parts) -> stored.add(new StoredSession(
                clientId,
                maps.expiryIntervals().getOrDefault(clientId, StoreMaps.NEVER_EXPIRES),
                parts.disconnectedAt,
                parts.subscriptions,
                parts.owed,
                parts.releases,
                parts.qos2Received)));
        List<StoredRetained> retained = new ArrayList<>();
        maps.retained().forEach((topic, record) -> retained.add(MessageRecords.retained(topic, record)));
        List<StoreSnapshot.StoredWill> wills = new ArrayList<>();
        List<String> orphanWills = new ArrayList<>();
        maps.delayedWills().forEach((clientId, record) -> {
            if (sessions.containsKey(clientId)) {
                wills.add(MessageRecords.delayedWill(clientId, record));
            } else {
                orphanWills.add(clientId);
            }
        });
        for (String clientId : orphanWills) {
            maps.delayedWills().remove(clientId);
            removed++;
        }
        return new StoreRecovery(new StoreSnapshot(stored, retained, wills), highestKey, removed);
    }

    /** Removes those of the keys that are in this map; returns how many. */
    private static int removeOrphans(MVMap<ClientKey, ?> map, List<ClientKey> keys) {
        int removed = 0;
        for (ClientKey key : keys) {
            if (map.remove(key) != null) {
                removed++;
            }
        }
        return removed;
    }
}
