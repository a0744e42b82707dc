package dev.drawbridge.broker.moquette.store;

import dev.drawbridge.broker.engine.store.StoreCommitter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The QoS 1/2 messages owed to persistent sessions, from the moment they are routed until the subscriber acknowledges
 * them (PUBACK, or PUBREC at QoS 2). Moquette 0.17 keeps the messages it has sent but not yet seen acknowledged only
 * in memory, so its own queues cannot survive a crash; this log does, and refills the queues when the broker starts.
 *
 * <p>Each message is stored under a sequence number. In memory each client has the messages not yet sent (in order)
 * and the packet id of each message sent: an outgoing PUBLISH is matched to the first unsent message with the same
 * topic and payload, its acknowledgement then removes that message from the store.
 */
final class PendingDeliveries {

    /** A message that was owed to a client when the store was opened. */
    record Recovered(String topic, int qos, byte[] payload) {}

    private record Entry(long seq, String topic, int payloadHash, int payloadLength) {
        boolean matches(String otherTopic, int hash, int length) {
            return payloadHash == hash && payloadLength == length && topic.equals(otherTopic);
        }
    }

    /** One client's messages; all access synchronized on the instance. */
    private static final class Owed {
        final ArrayDeque<Entry> unsent = new ArrayDeque<>();
        final Map<Integer, Long> sent = new HashMap<>();
    }

    private final MVMap<Long, byte[]> map;
    private final StoreCommitter committer;
    private final AtomicLong nextSeq;
    private final Map<String, Owed> clients = new ConcurrentHashMap<>();

    PendingDeliveries(MVStore store, StoreCommitter committer) {
        this.map = store.openMap("drawbridge_pending");
        this.committer = committer;
        Long last = map.lastKey();
        this.nextSeq = new AtomicLong(last == null ? 1 : last + 1);
    }

    /**
     * Reads what is owed, in the order it was routed, to the clients that still have a persistent session; what is
     * owed to anyone else is removed. Call once, before any client connects.
     */
    Map<String, List<Recovered>> recover(Set<String> persistentClients) {
        Map<String, List<Recovered>> owed = new LinkedHashMap<>();
        List<Long> orphans = new ArrayList<>();
        for (Iterator<Long> keys = map.keyIterator(null); keys.hasNext(); ) {
            long seq = keys.next();
            byte[] record = map.get(seq);
            if (record == null) {
                continue;
            }
            Stored stored = Stored.decode(record);
            if (!persistentClients.contains(stored.clientId())) {
                orphans.add(seq);
                continue;
            }
            owed.computeIfAbsent(stored.clientId(), id -> new ArrayList<>())
                    .add(new Recovered(stored.topic(), stored.qos(), stored.payload()));
            Owed client = clients.computeIfAbsent(stored.clientId(), id -> new Owed());
            client.unsent.add(new Entry(seq, stored.topic(), hash(stored.payload()), stored.payload().length));
        }
        orphans.forEach(map::remove);
        if (!orphans.isEmpty()) {
            committer.changed();
        }
        return owed;
    }

    /** A message is about to be routed to a persistent session. */
    void queued(String clientId, String topic, int qos, ByteBuf payload) {
        long seq = nextSeq.getAndIncrement();
        map.put(seq, Stored.encode(clientId, topic, qos, payload));
        Owed client = clients.computeIfAbsent(clientId, id -> new Owed());
        synchronized (client) {
            client.unsent.add(new Entry(seq, topic, ByteBufUtil.hashCode(payload), payload.readableBytes()));
        }
        committer.changed();
    }

    /**
     * A PUBLISH left for this client with this packet id. A re-send (DUP=1) of a packet id already matched changes
     * nothing; one that is not matched yet is matched now (Moquette drops a first sending while the channel is not
     * writable and only its re-send goes out).
     */
    void sent(String clientId, String topic, ByteBuf payload, int packetId, boolean resend) {
        Owed client = clients.get(clientId);
        if (client == null) {
            return;
        }
        int hash = ByteBufUtil.hashCode(payload);
        int length = payload.readableBytes();
        synchronized (client) {
            if (resend && client.sent.containsKey(packetId)) {
                return;
            }
            for (Iterator<Entry> it = client.unsent.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.matches(topic, hash, length)) {
                    it.remove();
                    client.sent.put(packetId, e.seq());
                    return;
                }
            }
        }
    }

    /** The client acknowledged the message it was sent with this packet id: it is no longer owed. */
    void acknowledged(String clientId, int packetId) {
        Owed client = clients.get(clientId);
        if (client == null) {
            return;
        }
        Long seq;
        synchronized (client) {
            seq = client.sent.remove(packetId);
        }
        if (seq != null) {
            map.remove(seq);
            committer.changed();
        }
    }

    /** A queued message was dropped (the client's queue was full): it will never be sent. */
    void dropped(String clientId, String topic, ByteBuf payload) {
        Owed client = clients.get(clientId);
        if (client == null) {
            return;
        }
        int hash = ByteBufUtil.hashCode(payload);
        int length = payload.readableBytes();
        Long seq = null;
        synchronized (client) {
            // The newest match: a full queue drops the message that has just arrived.
            for (Iterator<Entry> it = client.unsent.descendingIterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.matches(topic, hash, length)) {
                    it.remove();
                    seq = e.seq();
                    break;
                }
            }
        }
        if (seq != null) {
            map.remove(seq);
            committer.changed();
        }
    }

    /** The client's session is gone: nothing is owed to it any more. */
    void purge(String clientId) {
        Owed client = clients.remove(clientId);
        if (client == null) {
            return;
        }
        synchronized (client) {
            client.unsent.forEach(e -> map.remove(e.seq()));
            client.sent.values().forEach(map::remove);
        }
        committer.changed();
    }

    /** How many messages are owed, to all clients. */
    long size() {
        return map.sizeAsLong();
    }

    private static int hash(byte[] payload) {
        return ByteBufUtil.hashCode(Unpooled.wrappedBuffer(payload));
    }

    /** The stored form of one owed message. */
    private record Stored(String clientId, String topic, int qos, byte[] payload) {

        /** The stored form, written straight from the message's buffer (this runs once per message and subscriber). */
        static byte[] encode(String clientId, String topic, int qos, ByteBuf payload) {
            byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            int length = payload.readableBytes();
            byte[] record = new byte[4 + id.length + 4 + name.length + 1 + 4 + length];
            ByteBuffer out = ByteBuffer.wrap(record)
                    .putInt(id.length)
                    .put(id)
                    .putInt(name.length)
                    .put(name)
                    .put((byte) qos)
                    .putInt(length);
            payload.getBytes(payload.readerIndex(), record, out.position(), length);
            return record;
        }

        private static String readString(DataInputStream in) throws IOException {
            byte[] utf8 = new byte[in.readInt()];
            in.readFully(utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }

        static Stored decode(byte[] record) {
            try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(record))) {
                String clientId = readString(in);
                String topic = readString(in);
                int qos = in.readByte();
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                return new Stored(clientId, topic, qos, payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
