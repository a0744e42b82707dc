package dev.drawbridge.broker.moquette.store;

import dev.drawbridge.broker.engine.store.StoreCommitter;
import io.moquette.broker.ISessionsRepository;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Moquette's session records (client id, expiry), with two repairs for a store that was not closed cleanly: only
 * sessions that own a message queue (persistent ones) are listed and the records of clean sessions are dropped; and a
 * record without an expiry instant gets one computed, because Moquette 0.17 refuses to start on such a record (it
 * writes the instant only when it stops cleanly).
 */
final class StoredSessions implements ISessionsRepository {

    private static final long NO_INSTANT = -1;

    private final MVMap<String, byte[]> map;
    private final StoreCommitter committer;
    private final Set<String> persistent;
    private final Clock clock = Clock.systemUTC();

    /**
     * @param persistent the client ids that own a queue when the store opens
     */
    StoredSessions(MVStore store, StoreCommitter committer, Set<String> persistent) {
        this.map = store.openMap("drawbridge_sessions");
        this.committer = committer;
        this.persistent = persistent;
    }

    @Override
    public Collection<SessionData> list() {
        List<SessionData> kept = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : List.copyOf(map.entrySet())) {
            if (!persistent.contains(e.getKey())) {
                map.remove(e.getKey());
                committer.changed();
                continue;
            }
            SessionData session = decode(e.getKey(), e.getValue());
            kept.add(session.expireAt().isPresent() ? session : session.withExpirationComputed());
        }
        return kept;
    }

    /** The client ids that have a session record. */
    Set<String> clientIds() {
        return Set.copyOf(map.keySet());
    }

    @Override
    public void saveSession(SessionData session) {
        if (session.expiryInterval() == 0) {
            // A clean session ends with its connection: nothing to store, and no CONNACK waits for the disk.
            return;
        }
        map.put(session.clientId(), encode(session));
        committer.changed();
    }

    @Override
    public void delete(SessionData session) {
        if (map.remove(session.clientId()) != null) {
            committer.changed();
        }
    }

    private static byte[] encode(SessionData session) {
        return ByteBuffer.allocate(13)
                .putLong(session.expireAt().map(Instant::toEpochMilli).orElse(NO_INSTANT))
                .putInt(session.expiryInterval())
                .put(session.protocolVersion().protocolLevel())
                .array();
    }

    private SessionData decode(String clientId, byte[] record) {
        ByteBuffer in = ByteBuffer.wrap(record);
        long expireAt = in.getLong();
        int expiryInterval = in.getInt();
        MqttVersion version =
                in.get() == MqttVersion.MQTT_3_1.protocolLevel() ? MqttVersion.MQTT_3_1 : MqttVersion.MQTT_3_1_1;
        return expireAt == NO_INSTANT
                ? new SessionData(clientId, version, expiryInterval, clock)
                : new SessionData(clientId, Instant.ofEpochMilli(expireAt), version, expiryInterval, clock);
    }
}
