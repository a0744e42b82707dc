package dev.drawbridge.broker.engine.session;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.codec.MessagePropertyCodec;
import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.store.StoreSnapshot;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import dev.drawbridge.broker.engine.topic.TopicFilters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One client's session: its subscriptions, the messages queued for it, those in flight (sent, not yet acknowledged),
 * and the QoS 2 packet ids it sent and has not released. It outlives its connection when it is persistent.
 *
 * <p>Threading: any thread may offer a message (under this object's lock, held briefly); the packets themselves are
 * written only on the event loop of the session's current connection, in batches with one flush each: an offer
 * schedules at most one drain task at a time on that loop.
 */
public final class Session {

    /** Messages written per drain before the loop gets to do other work. */
    private static final int MAX_BATCH = 256;

    /** What an acknowledgement from the client meant. */
    public enum Ack {
        /** It acknowledged a delivery in flight. */
        DONE,
        /** No delivery in flight has that packet id (a late or repeated acknowledgement): ignored. */
        UNKNOWN,
        /** It does not fit the delivery (PUBREC for QoS 1, PUBACK for QoS 2, PUBCOMP before PUBREC). */
        WRONG_KIND
    }

    /** What a QoS 2 PUBLISH from the client is, by its packet id and its message. */
    public enum Qos2Receipt {
        /** The packet id is not waiting for a PUBREL: a new message, to deliver. */
        NEW,
        /** The same message under a packet id that waits for its PUBREL: acknowledged again, not delivered again. */
        DUPLICATE,
        /** Another message under a packet id that waits for its PUBREL: it takes the id over and is delivered. */
        REUSED
    }

    /** A session expiry interval that never ends (MQTT 5 section 3.1.2.11.2): MQTT 3.1.1's clean session 0. */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private final String clientId;
    /**
     * Seconds the session outlives its connection: 0 for a clean session (ends with its connection), {@link
     * #NEVER_EXPIRES} for MQTT 3.1.1's clean session 0 (until {@code persistent_client_expiration}, if set).
     */
    private volatile long expiryInterval;

    private final SessionContext context;
    /** Made at the first subscription: a client that only publishes never needs it. */
    private @Nullable Map<String, SubscriptionOptions> subscriptions;
    // Small to start with: most sessions of a home broker hold nothing most of the time (they grow as needed).
    private final WaitingQueue queue = new WaitingQueue();
    private final InflightWindow inflight = new InflightWindow();
    /** Made on the first QoS 2 PUBLISH from the client: packet id to the fingerprint of its message. */
    private @Nullable Map<Integer, Long> qos2Received;
    /** Its size, read without the lock for the receive maximum check of every MQTT 5 QoS 1 and 2 PUBLISH. */
    private volatile int qos2Pending;

    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;

    private volatile @Nullable ClientLink link;
    private volatile ClientProtocol protocol = ClientProtocol.MQTT_311;
    /** The {@code max_qos} of the listener of its current (or last) connection; 2 until it has one. */
    private int maxQos = 2;
    /** The current connection's mount point: what is not below it is not sent. Empty for none. */
    private String mountPoint = "";
    /** The topic aliases set toward the current connection; null when it allows none. On its event loop only. */
    private @Nullable TopicAliasesToClient aliases;
    /** An MQTT 5 will waiting out its will delay interval (MQTT 5 section 3.1.3.2.2), and when it is due. */
    private @Nullable PublishedMessage delayedWill;

    private long delayedWillDue;
    private volatile int subscriptionCount;
    private boolean ended;
    /** The store has (or may have) this session: it must be told when the session ends. */
    private boolean stored;

    private @Nullable Instant disconnectedAt;
    /** When the current connection was bound; null while the client is away. */
    private @Nullable Instant attachedAt;

    Session(String clientId, long expiryInterval, SessionContext context) {
        this.clientId = clientId;
        this.expiryInterval = expiryInterval;
        this.context = context;
    }

    public String clientId() {
        return clientId;
    }

    /** Whether it outlives its connection (clean session 0, or an MQTT 5 session expiry interval above 0). */
    public boolean persistent() {
        return expiryInterval != 0;
    }

    /** Seconds it outlives its connection; {@link #NEVER_EXPIRES} for MQTT 3.1.1's clean session 0. */
    public long expiryInterval() {
        return expiryInterval;
    }

    /** The protocol of its current (or last) connection. */
    public ClientProtocol protocol() {
        return protocol;
    }

    /** How many subscriptions it has; 1 lets routing skip merging overlapping matches. */
    public int subscriptionCount() {
        return subscriptionCount;
    }

    /** The filters it is subscribed to now; a copy. */
    public synchronized List<String> subscribedFilters() {
        return subscriptions == null ? List.of() : List.copyOf(subscriptions.keySet());
    }

    /**
     * A copy of what it holds now, taken under its lock for a few field reads: a delivery on an event loop waits no
     * longer than for a concurrent offer().
     */
    public synchronized SessionSnapshot snapshot() {
        Instant since = link == null ? null : attachedAt;
        return new SessionSnapshot(
                clientId, Optional.ofNullable(since), persistent(), subscriptionCount, queue.size(), inflight.size());
    }

    synchronized Optional<Instant> disconnectedAt() {
        return link == null ? Optional.ofNullable(disconnectedAt) : Optional.empty();
    }

    // ---- subscriptions (the index itself is the registry's) ----

    /** Records a subscription (and stores it, for a persistent session); false once the session has ended. */
    synchronized boolean putSubscription(String filter, SubscriptionOptions options) {
        if (ended) {
            return false;
        }
        Map<String, SubscriptionOptions> own = subscriptions();
        own.put(filter, options);
        subscriptionCount = own.size();
        if (persistent()) {
            context.store().subscribed(clientId, filter, options);
        }
        return true;
    }

    synchronized void removeSubscription(String filter) {
        if (ended) {
            return;
        }
        if (subscriptions != null) {
            subscriptions.remove(filter);
            subscriptionCount = subscriptions.size();
        }
        if (persistent()) {
            context.store().unsubscribed(clientId, filter);
        }
    }

    synchronized boolean ended() {
        return ended;
    }

    /** A subscription read back from the store at start (so not written to it again). */
    synchronized void restoreSubscription(String filter, SubscriptionOptions options) {
        Map<String, SubscriptionOptions> own = subscriptions();
        own.put(filter, options);
        subscriptionCount = own.size();
    }

    private Map<String, SubscriptionOptions> subscriptions() {
        Map<String, SubscriptionOptions> own = subscriptions;
        if (own == null) {
            own = new HashMap<>();
            subscriptions = own;
        }
        return own;
    }

    // ---- delivery ----

    /**
     * Queues a message for this session's client; the session takes its own reference.
     *
     * @param retainFlag the RETAIN flag the delivery carries
     * @param fromRetainedStore a retained message sent because of a new subscription: not bounded by the queue limits
     *     (the retained store bounds it), so that a discovery burst reaches a subscriber whole
     * @return whether it was queued
     */
    public boolean offer(PublishedMessage message, int qos, boolean retainFlag, boolean fromRetainedStore) {
        return offer(message, qos, retainFlag, fromRetainedStore, null);
    }

    /**
     * Queues a message as {@link #offer(PublishedMessage, int, boolean, boolean)} does, with the identifiers of the
     * subscriptions it matched, which an MQTT 5 delivery carries.
     */
    public boolean offer(
            PublishedMessage message,
            int matchedQos,
            boolean retainFlag,
            boolean fromRetainedStore,
            int @Nullable [] subscriptionIds) {
        ClientLink current;
        boolean persistent = persistent();
        synchronized (this) {
            // Never above the max_qos of the client's (last) listener, as Mosquitto caps what it queues: a subscription
            // granted QoS 2 on another listener, or before a restart with a lower max_qos, gets no more.
            int qos = Math.min(matchedQos, maxQos);
            current = link;
            if (ended || (current == null && (!persistent || qos == 0))) {
                return false;
            }
            if (!fromRetainedStore && !admits(current, qos)) {
                context.dropped().increment();
                return false;
            }
            long key = persistent && qos > 0
                    ? context.store()
                            .owe(
                                    clientId,
                                    message.topic(),
                                    qos,
                                    retainFlag,
                                    message.payload(),
                                    subscriptionIds == null
                                            ? message.properties()
                                            : MessagePropertyCodec.withSubscriptionIds(
                                                    message.properties(), subscriptionIds),
                                    message.expiresAt())
                    : -1;
            message.retain();
            queue.add(new Outgoing(message, qos, retainFlag, key, subscriptionIds));
        }
        if (current != null) {
            scheduleDrain();
        }
        return true;
    }

    /**
     * Whether a message of this QoS may be queued now, by Mosquitto's rule ({@code db__message_insert}): for an online
     * client, a QoS 1/2 message that gets an in-flight slot once the queue is drained is as good as in flight and is
     * not held to the queue limits, and the messages ahead of it that get a slot do not count. What counts is what
     * waits: QoS 1/2 messages beyond {@code max_inflight_messages}, QoS 0 ones (which wait for the socket), and all of
     * an offline client's. Otherwise the messages that waited for a client that has just reconnected would crowd out
     * the next one until the drain runs on its loop.
     */
    private boolean admits(@Nullable ClientLink current, int qos) {
        int freeSlots = current == null ? 0 : Math.max(0, window(protocol) - inflight.size());
        if (qos > 0 && queue.qos12() < freeSlots) {
            return true;
        }
        return queue.admits(context.limits(), clientId, freeSlots);
    }

    /** How many QoS 1/2 deliveries may be in flight to this client: max_inflight_messages or its receive maximum. */
    private int window(ClientProtocol peer) {
        return Math.min(context.limits().window(), peer.receiveMaximum());
    }

    /** Asks the connection's event loop to write what is queued (at most one such task is pending at a time). */
    public void scheduleDrain() {
        ClientLink current = link;
        if (current == null || !drainScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            current.executor().execute(drainTask);
        } catch (RejectedExecutionException e) {
            drainScheduled.set(false);
        }
    }

    /**
     * Before the connection handles a packet from its client: writes what was offered before it (so an answer to that
     * packet, such as an UNSUBACK, never overtakes a delivery routed before the packet came). On the event loop only.
     */
    public void drainPending() {
        if (drainScheduled.get()) {
            drain();
        }
    }

    private void drain() {
        drainScheduled.set(false);
        ClientLink current = link;
        if (current == null) {
            return;
        }
        if (!current.inEventLoop()) {
            // Taken over by a connection on another loop since the task was scheduled.
            scheduleDrain();
            return;
        }
        // The batch is a chain through Outgoing.nextInBatch: no list to allocate per drain.
        Outgoing first = null;
        Outgoing last = null;
        int taken = 0;
        boolean more;
        ClientProtocol peer = protocol;
        long now;
        TopicAliasesToClient toClient;
        synchronized (this) {
            if (link != current || !current.isWritable() || queue.isEmpty()) {
                return;
            }
            toClient = aliases; // the current connection's, as the link checked above
            // Read under the lock that offer() queues under: a clock read before it could precede the arrival of a
            // message taken here, and its delivery would then say more seconds left than the publisher gave.
            now = System.currentTimeMillis();
            int window = window(peer);
            while (taken < MAX_BATCH && !queue.isEmpty()) {
                Outgoing next = queue.peek();
                if (next == null || (next.qos > 0 && inflight.size() >= window)) {
                    break;
                }
                queue.take();
                if (!context.policy().mayReceive(clientId, next.message.topic(), next.qos, next.retainFlag)) {
                    // READ is checked when a message is sent, not only when it was queued (a reload may have taken it).
                    forget(next);
                    continue;
                }
                if (!TopicFilters.isBelowMountPoint(mountPoint, next.message.topic())) {
                    // Not for a client of this listener (only a filter ending in # can match its bare prefix); dropped
                    // before it takes an in-flight slot or a topic alias.
                    forget(next);
                    continue;
                }
                if (next.message.expired(now)) {
                    forget(next); // its message expiry interval passed while it waited (MQTT 5 section 3.3.2.3.3)
                    continue;
                }
                if (peer.v5()
                        && peer.maximumPacketSize() > 0
                        && !peer.takes(next.message.size5(next.qos, next.subscriptionIds, now))) {
                    // MQTT-3.1.2-25: never more than the client takes; dropped as if delivered, and counted.
                    context.dropped().increment();
                    forget(next);
                    continue;
                }
                if (next.qos > 0) {
                    inflight.send(next);
                    if (next.storeKey >= 0) {
                        context.store().sent(clientId, next.storeKey, next.packetId);
                    }
                    next.message.retain(); // for the write below, outside the lock
                }
                if (last == null) {
                    first = next;
                } else {
                    last.nextInBatch = next;
                }
                last = next;
                taken++;
            }
            more = taken == MAX_BATCH;
        }
        ByteBufAllocator alloc = current.alloc();
        Outgoing o = first;
        while (o != null) {
            Outgoing following = o.nextInBatch;
            o.nextInBatch = null;
            PublishedMessage message = o.message;
            if (toClient != null) {
                current.write(toClient.encode(
                        alloc, message, o.qos, o.retainFlag, false, o.packetId, o.subscriptionIds, now, peer));
            } else if (peer.v5()) {
                current.write(message.encoded5(alloc, o.qos, o.retainFlag, false, o.packetId, o.subscriptionIds, now));
            } else if (o.qos == 0) {
                current.write(message.encodedQos0(alloc, o.retainFlag));
            } else {
                current.write(message.encoded(alloc, o.qos, o.retainFlag, false, o.packetId));
            }
            message.release();
            o = following;
        }
        if (taken > 0) {
            current.flush();
        }
        if (more) {
            scheduleDrain();
        }
    }

    private void forget(Outgoing o) {
        if (o.storeKey >= 0) {
            context.store().forget(clientId, o.storeKey);
            o.storeKey = -1;
        }
        if (!o.awaitingPubComp) {
            o.message.release();
        }
    }

    /** PUBACK: a QoS 1 delivery arrived. */
    public Ack pubAck(int packetId) {
        Ack result;
        synchronized (this) {
            Outgoing o = inflight.find(packetId);
            if (o == null) {
                return Ack.UNKNOWN;
            }
            if (o.qos != 1) {
                return Ack.WRONG_KIND;
            }
            inflight.remove(o);
            forget(o);
            result = Ack.DONE;
        }
        scheduleDrain();
        return result;
    }

    /**
     * PUBREC: a QoS 2 delivery was received; the caller answers with PUBREL whatever this returns but WRONG_KIND (for a
     * persistent session, once the store has the PUBREL owed).
     */
    public Ack pubRec(int packetId) {
        synchronized (this) {
            Outgoing o = inflight.find(packetId);
            if (o == null) {
                return Ack.UNKNOWN;
            }
            if (o.qos != 2) {
                return Ack.WRONG_KIND;
            }
            if (!o.awaitingPubComp) {
                // The message is the client's now; what is owed, also across a restart, is the PUBREL (MQTT-4.4.0-1).
                if (o.storeKey >= 0) {
                    context.store().releaseOwed(clientId, o.storeKey, packetId);
                }
                o.message.release();
                o.awaitingPubComp = true;
            }
            return Ack.DONE;
        }
    }

    /** An MQTT 5 PUBREC with a failure reason code: the client refused the QoS 2 delivery, which ends here. */
    public Ack pubRecRefused(int packetId) {
        synchronized (this) {
            Outgoing o = inflight.find(packetId);
            if (o == null) {
                return Ack.UNKNOWN;
            }
            if (o.qos != 2 || o.awaitingPubComp) {
                return Ack.WRONG_KIND;
            }
            inflight.remove(o);
            forget(o);
        }
        scheduleDrain();
        return Ack.DONE;
    }

    /** PUBCOMP: a QoS 2 delivery is complete. */
    public Ack pubComp(int packetId) {
        synchronized (this) {
            Outgoing o = inflight.find(packetId);
            if (o == null) {
                return Ack.UNKNOWN;
            }
            if (o.qos != 2 || !o.awaitingPubComp) {
                return Ack.WRONG_KIND;
            }
            inflight.remove(o);
            forget(o);
        }
        scheduleDrain();
        return Ack.DONE;
    }

    // ---- QoS 2 from the client ----

    /**
     * A QoS 2 PUBLISH came with this packet id. The same packet id before its PUBREL is the same message when the
     * fingerprint is the same (or not known, from a store written before fingerprints), whatever the DUP flag says; with
     * another fingerprint the client has reused the id for a new message, which Mosquitto 2.0.11 delivers too.
     *
     * @param fingerprint the message's topic and payload, never 0
     */
    public synchronized Qos2Receipt qos2Received(int packetId, long fingerprint) {
        Map<Integer, Long> received = qos2Received;
        if (received == null) {
            received = new HashMap<>();
            qos2Received = received;
        }
        Long known = received.get(packetId);
        if (known != null && (known == fingerprint || known == 0)) {
            return Qos2Receipt.DUPLICATE;
        }
        received.put(packetId, fingerprint);
        qos2Pending = received.size();
        if (persistent()) {
            context.store().qos2Received(clientId, packetId, fingerprint);
        }
        return known == null ? Qos2Receipt.NEW : Qos2Receipt.REUSED;
    }

    /** How many QoS 2 packet ids from the client wait for their PUBREL. */
    public int qos2Pending() {
        return qos2Pending;
    }

    /** Whether a QoS 2 packet id from the client waits for its PUBREL (a re-sent PUBLISH). */
    public synchronized boolean qos2Known(int packetId) {
        Map<Integer, Long> received = qos2Received;
        return received != null && received.containsKey(packetId);
    }

    /** Its PUBREL came. */
    public synchronized void qos2Released(int packetId) {
        Map<Integer, Long> received = qos2Received;
        if (received != null && received.remove(packetId) != null) {
            qos2Pending = received.size();
            if (persistent()) {
                context.store().qos2Released(clientId, packetId);
            }
        }
    }

    // ---- connection ----

    /**
     * Binds the session to a new connection (the previous one, if any, has been taken away), with what its CONNECT
     * said: a will still waiting out its delay is not sent (MQTT 5 section 3.1.3.2.2), and the new session expiry
     * interval holds.
     */
    synchronized void attach(ClientLink newLink, ClientProtocol newProtocol, long newExpiryInterval) {
        link = newLink;
        attachedAt = Instant.now();
        protocol = newProtocol;
        maxQos = newLink.maxQos();
        mountPoint = newLink.mountPoint();
        // Aliases last as long as the connection (MQTT 5 section 3.3.2.3.4): a new one starts with none.
        aliases =
                newProtocol.topicAliasMaximum() > 0 ? new TopicAliasesToClient(newProtocol.topicAliasMaximum()) : null;
        expiryInterval = newExpiryInterval;
        PublishedMessage will = delayedWill;
        if (will != null) {
            delayedWill = null;
            will.release();
            if (stored) {
                context.store().willCleared(clientId);
            }
        }
    }

    /** A DISCONNECT set a new session expiry interval (MQTT 5 section 3.14.2.2.2). */
    void expiryInterval(long seconds) {
        expiryInterval = seconds;
    }

    /** Holds a will until {@code dueAt} (epoch milliseconds) unless the client comes back first; takes the reference. */
    synchronized void delayWill(PublishedMessage will, long dueAt) {
        PublishedMessage old = delayedWill;
        if (old != null) {
            old.release();
        }
        delayedWill = will;
        delayedWillDue = dueAt;
        if (stored && persistent()) {
            // Kept across a restart or a crash, as the session is (published at most once more after a crash).
            context.store()
                    .willDelayed(
                            clientId,
                            will.topic(),
                            will.qos(),
                            will.publishedRetained(),
                            will.payload(),
                            will.properties(),
                            will.expiresAt(),
                            dueAt);
        }
    }

    /** A delayed will read back from the store at start (so not written to it again); takes the reference. */
    synchronized void restoreWill(PublishedMessage will, long dueAt) {
        delayedWill = will;
        delayedWillDue = dueAt;
    }

    /**
     * The delayed will to publish now, if its delay has passed or {@code sessionEnds}; the caller takes the reference.
     */
    synchronized @Nullable PublishedMessage takeDueWill(long nowMillis, boolean sessionEnds) {
        PublishedMessage will = delayedWill;
        if (will != null && (sessionEnds || nowMillis >= delayedWillDue)) {
            delayedWill = null;
            if (stored) {
                context.store().willCleared(clientId);
            }
            return will;
        }
        return null;
    }

    /**
     * Takes the session from its connection, for a takeover; returns that connection (to be closed) or null.
     * Undelivered QoS 0 messages are dropped with it, as they would be for an offline client.
     */
    synchronized @Nullable ClientLink takeLink() {
        ClientLink previous = link;
        if (previous != null) {
            detached();
        }
        return previous;
    }

    /**
     * Whether another connection has taken this session over and resumed it: the closed connection's will is not
     * published then (a takeover with a clean start ends the session, and the will goes).
     */
    public synchronized boolean resumedElsewhere(ClientLink closed) {
        return !ended && link != null && link != closed;
    }

    /** The connection closed: returns true if it still held the session (false after a takeover). */
    synchronized boolean detach(ClientLink closed) {
        if (link != closed) {
            return false;
        }
        detached();
        return true;
    }

    private void detached() {
        link = null;
        disconnectedAt = Instant.now();
        queue.dropQos0();
        if (persistent()) {
            context.store().sessionDisconnected(clientId, disconnectedAt);
        }
    }

    /**
     * Right after the CONNACK of a resumed session: sends again, in order, every QoS 1/2 message in flight (DUP=1,
     * same packet id) and every PUBREL not yet completed (MQTT-4.4.0-1), then what is queued.
     */
    public void resendInflight() {
        ClientLink current = link;
        if (current == null) {
            return;
        }
        List<ByteBuf> packets = new ArrayList<>();
        synchronized (this) {
            if (inflight.size() == 0 && queue.isEmpty()) {
                // A new or drained session (every clean one): nothing to send again, no drain to schedule. A delivery
                // routed from now on schedules its own drain.
                return;
            }
            ByteBufAllocator alloc = current.alloc();
            TopicAliasesToClient toClient = aliases;
            for (Outgoing o : inflight) {
                if (o.awaitingPubComp) {
                    packets.add(AckEncoder.pubRel(alloc, o.packetId));
                } else if (toClient != null) {
                    packets.add(toClient.encode(
                            alloc,
                            o.message,
                            o.qos,
                            o.retainFlag,
                            true,
                            o.packetId,
                            o.subscriptionIds,
                            System.currentTimeMillis(),
                            protocol));
                } else if (protocol.v5()) {
                    packets.add(o.message.encoded5(
                            alloc,
                            o.qos,
                            o.retainFlag,
                            true,
                            o.packetId,
                            o.subscriptionIds,
                            System.currentTimeMillis()));
                } else {
                    packets.add(o.message.encoded(alloc, o.qos, o.retainFlag, true, o.packetId));
                }
            }
        }
        for (ByteBuf packet : packets) {
            current.write(packet);
        }
        if (!packets.isEmpty()) {
            current.flush();
        }
        scheduleDrain();
    }

    /**
     * The session is gone for good: frees what it holds, the store forgets it (a persistent one), and no subscription
     * or message can be added any more. Returns the filters it had, for the index. The caller holds the registry's
     * lock, so that a new session of the same client id is stored only after this one is forgotten.
     */
    List<String> end() {
        List<String> filters;
        synchronized (this) {
            if (ended) {
                return List.of();
            }
            freeAtStop();
            filters = subscriptions == null ? List.of() : List.copyOf(subscriptions.keySet());
            subscriptions = null;
            subscriptionCount = 0;
            if (stored) {
                context.store().sessionRemoved(clientId);
            }
        }
        return filters;
    }

    /** Frees the buffers held in memory (at a stop, leaving the store as it is) and takes no more. */
    synchronized void freeAtStop() {
        ended = true;
        link = null;
        PublishedMessage will = delayedWill;
        if (will != null) {
            delayedWill = null;
            will.release();
        }
        queue.forEach(o -> o.message.release());
        inflight.forEach(Session::releaseInflight);
        queue.clear();
        inflight.clear();
    }

    private static void releaseInflight(Outgoing o) {
        if (!o.awaitingPubComp) {
            o.message.release();
        }
    }

    /**
     * Tells the store of this session while it is persistent (with its subscriptions, when it has just become
     * persistent: an MQTT 5 client that took over its clean session with a session expiry interval).
     */
    synchronized void storeOpened() {
        if (!persistent()) {
            return;
        }
        boolean known = stored;
        stored = true;
        context.store().sessionOpened(clientId, expiryInterval);
        if (!known && subscriptions != null) {
            subscriptions.forEach((filter, options) -> context.store().subscribed(clientId, filter, options));
        }
    }

    /** Fills a persistent session from what a previous run stored. */
    synchronized void restore(StoreSnapshot.StoredSession stored) {
        this.stored = true;
        disconnectedAt = stored.disconnectedAt().orElse(Instant.now());
        if (!stored.qos2Received().isEmpty()) {
            qos2Received = new HashMap<>(stored.qos2Received());
            qos2Pending = stored.qos2Received().size();
        }
        // Messages in flight and PUBRELs owed share the window, in the order of their keys, which is the order sent.
        Iterator<StoreSnapshot.StoredRelease> releases = stored.releases().iterator();
        StoreSnapshot.StoredRelease release = releases.hasNext() ? releases.next() : null;
        for (StoreSnapshot.StoredMessage m : stored.owed()) {
            while (release != null && release.key() < m.key()) {
                inflight.restore(Outgoing.awaitingPubComp(release.packetId(), release.key()));
                release = releases.hasNext() ? releases.next() : null;
            }
            MessagePropertyCodec.Split properties = MessagePropertyCodec.splitSubscriptionIds(m.properties());
            PublishedMessage message = PublishedMessage.of(
                    m.topic(),
                    m.qos(),
                    m.retain(),
                    Unpooled.wrappedBuffer(m.payload()),
                    null,
                    properties.forwarded(),
                    m.expiresAt());
            Outgoing o = new Outgoing(message, m.qos(), m.retain(), m.key(), properties.subscriptionIds());
            if (m.packetId() != 0) {
                o.packetId = m.packetId();
                inflight.restore(o);
            } else {
                queue.add(o);
            }
        }
        while (release != null) {
            inflight.restore(Outgoing.awaitingPubComp(release.packetId(), release.key()));
            release = releases.hasNext() ? releases.next() : null;
        }
    }

    @Override
    public String toString() {
        return "Session[" + clientId + (persistent() ? ", persistent" : "") + "]";
    }
}
