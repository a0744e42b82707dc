package dev.drawbridge.broker.engine.store;

import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.DataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The maps of the engine's store file. Each client's records are one key range ({@link ClientKey}).
 *
 * @param sessions client id to the epoch millisecond its client disconnected, {@link #CONNECTED} if it has not
 * @param expiryIntervals client id to its session expiry interval in seconds, for sessions with one other than {@link
 *     #NEVER_EXPIRES}
 * @param subscriptions client id and filter to {@link #packed subscription options} (a QoS alone before MQTT 5)
 * @param retained topic to {@link MessageRecords#retained(int, io.netty.buffer.ByteBuf) QoS and payload}
 * @param owed client id and key to {@link MessageRecords#owed(String, int, boolean, io.netty.buffer.ByteBuf) message}
 * @param packetIds client id and key of an owed message to the packet id it was sent with
 * @param releases client id and key of an owed PUBREL (the key of the QoS 2 message it follows) to its packet id
 * @param delayedWills client id to the MQTT 5 will waiting out its delay: when it is due (8 bytes, epoch
 *     milliseconds), then the message as {@link MessageRecords} writes an owed one
 * @param qos2Received client id and packet id of a QoS 2 PUBLISH received and not yet released, to the fingerprint of
 *     its message (0 in a store written before fingerprints: not known)
 */
record StoreMaps(
        MVMap<String, Long> sessions,
        MVMap<String, Long> expiryIntervals,
        MVMap<ClientKey, Long> subscriptions,
        MVMap<String, byte[]> retained,
        MVMap<ClientKey, byte[]> owed,
        MVMap<ClientKey, Long> packetIds,
        MVMap<ClientKey, Long> releases,
        MVMap<ClientKey, Long> qos2Received,
        MVMap<String, byte[]> delayedWills) {

    /** The value of {@link #sessions} while a client is connected or its disconnection time is unknown. */
    static final long CONNECTED = Long.MIN_VALUE;

    /** The session expiry interval of MQTT 3.1.1's clean session 0, and of MQTT 5's 0xFFFFFFFF. */
    static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    /**
     * Subscription options in one number: QoS in bits 0-1, no local in bit 2, retain as published in bit 3, retain
     * handling in bits 4-5, the subscription identifier from bit 8 (so a QoS alone, as stored before, reads the same).
     */
    static long packed(SubscriptionOptions o) {
        return o.qos()
                | (o.noLocal() ? 0b100 : 0)
                | (o.retainAsPublished() ? 0b1000 : 0)
                | ((long) o.retainHandling() << 4)
                | ((long) o.subscriptionIdentifier() << 8);
    }

    static SubscriptionOptions unpacked(long packed) {
        int qos = (int) (packed & 0b11);
        if (packed == qos) {
            return SubscriptionOptions.qos(qos);
        }
        return new SubscriptionOptions(
                qos, (packed & 0b100) != 0, (packed & 0b1000) != 0, (int) ((packed >>> 4) & 0b11), (int)
                        (packed >>> 8));
    }

    static StoreMaps open(MVStore store) {
        return new StoreMaps(
                map(store, "sessions", StringDataType.INSTANCE, LongDataType.INSTANCE),
                map(store, "session_expiry_intervals", StringDataType.INSTANCE, LongDataType.INSTANCE),
                map(store, "subscriptions", ClientKey.Type.INSTANCE, LongDataType.INSTANCE),
                map(store, "retained", StringDataType.INSTANCE, ByteArrayDataType.INSTANCE),
                map(store, "owed", ClientKey.Type.INSTANCE, ByteArrayDataType.INSTANCE),
                map(store, "sent_packet_ids", ClientKey.Type.INSTANCE, LongDataType.INSTANCE),
                map(store, "releases_owed", ClientKey.Type.INSTANCE, LongDataType.INSTANCE),
                map(store, "qos2_received", ClientKey.Type.INSTANCE, LongDataType.INSTANCE),
                map(store, "delayed_wills", StringDataType.INSTANCE, ByteArrayDataType.INSTANCE));
    }

    private static <K, V> MVMap<K, V> map(MVStore store, String name, DataType<K> keys, DataType<V> values) {
        return store.openMap(name, new MVMap.Builder<K, V>().keyType(keys).valueType(values));
    }

    /** The maps keyed by client. */
    List<MVMap<ClientKey, ?>> clientMaps() {
        return List.of(subscriptions, owed, packetIds, releases, qos2Received);
    }

    /**
     * Removes every record of a client: the session record first, so that a crash halfway leaves records without a
     * session, which the next start drops. Returns whether anything was removed.
     */
    boolean removeClient(String clientId) {
        boolean removed = sessions.remove(clientId) != null;
        expiryIntervals.remove(clientId);
        delayedWills.remove(clientId);
        for (MVMap<ClientKey, ?> map : clientMaps()) {
            removed |= removeRange(map, clientId);
        }
        return removed;
    }

    private static boolean removeRange(MVMap<ClientKey, ?> map, String clientId) {
        List<ClientKey> keys = new ArrayList<>();
        for (Iterator<ClientKey> it = map.keyIterator(ClientKey.first(clientId)); it.hasNext(); ) {
            ClientKey key = it.next();
            if (!key.clientId().equals(clientId)) {
                break;
            }
            keys.add(key);
        }
        keys.forEach(map::remove);
        return !keys.isEmpty();
    }
}
