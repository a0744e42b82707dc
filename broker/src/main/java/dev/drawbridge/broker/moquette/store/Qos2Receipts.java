package dev.drawbridge.broker.moquette.store;

import dev.drawbridge.broker.engine.store.StoreCommitter;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.mvstore.MVMap;
import org.jspecify.annotations.Nullable;

/**
 * The QoS 2 packet ids each publisher has sent and not yet released with PUBREL. A persistent session's ids are
 * stored, so that a PUBLISH re-sent after a crash is still known as a duplicate; a clean session's ids live in memory
 * and go with its connection. At most 65,535 per client, whatever the client sends.
 */
final class Qos2Receipts {

    private static final char SEPARATOR = '\u0000';

    private final @Nullable MVMap<String, Boolean> stored;
    private final StoreCommitter committer;
    private final Map<String, Set<Integer>> inMemory = new ConcurrentHashMap<>();

    /**
     * @param stored where persistent sessions' ids are kept; null when nothing is persistent
     */
    Qos2Receipts(@Nullable MVMap<String, Boolean> stored, StoreCommitter committer) {
        this.stored = stored;
        this.committer = committer;
    }

    /** Records the id; false if it was recorded already (a duplicate). */
    boolean first(String clientId, boolean persistentSession, int packetId) {
        MVMap<String, Boolean> map = stored;
        if (persistentSession && map != null) {
            boolean first = map.putIfAbsent(key(clientId, packetId), Boolean.TRUE) == null;
            if (first) {
                committer.changed();
            }
            return first;
        }
        return inMemory.computeIfAbsent(clientId, id -> ConcurrentHashMap.newKeySet())
                .add(packetId);
    }

    /** Forgets the id (PUBREL arrived, or the PUBLISH was not routed). */
    void released(String clientId, int packetId) {
        MVMap<String, Boolean> map = stored;
        if (map != null && map.remove(key(clientId, packetId)) != null) {
            committer.changed();
        }
        Set<Integer> ids = inMemory.get(clientId);
        if (ids != null) {
            ids.remove(packetId);
        }
    }

    /** A clean session ended: its ids go with it. */
    void connectionEnded(String clientId) {
        inMemory.remove(clientId);
    }

    /** A persistent session ended: its stored ids go with it. */
    void sessionEnded(String clientId) {
        inMemory.remove(clientId);
        MVMap<String, Boolean> map = stored;
        if (map == null) {
            return;
        }
        String prefix = clientId + SEPARATOR;
        boolean removed = false;
        for (Iterator<String> keys = map.keyIterator(prefix); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            map.remove(key);
            removed = true;
        }
        if (removed) {
            committer.changed();
        }
    }

    private static String key(String clientId, int packetId) {
        return clientId + SEPARATOR + packetId;
    }
}
