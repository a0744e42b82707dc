package dev.drawbridge.broker.engine.session;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.store.StoreSnapshot;
import dev.drawbridge.broker.engine.subscription.SubscriptionIndex;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every session by client id, and the subscription index that points at them. Opening a session for a client id that
 * has one is where takeover and clean session are decided (MQTT 3.1.1 section 3.1.2.4): a persistent session is resumed
 * by a clean-session-0 client and discarded by a clean-session-1 one; a connection that still holds the session is
 * taken off it and closed.
 */
public final class SessionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    /**
     * The outcome of a CONNECT.
     *
     * @param sessionPresent whether a persistent session was resumed
     * @param previous the connection that held the session before (to be closed: a takeover), or null
     * @param previousProtocol the protocol that connection spoke (an MQTT 5 one is told why it is closed)
     */
    public record Opened(
            Session session,
            boolean sessionPresent,
            @Nullable ClientLink previous,
            ClientProtocol previousProtocol) {}

    /** How a will whose delay has ended is published (routing is not this package's). */
    @FunctionalInterface
    public interface WillPublisher {
        void publish(PublishedMessage will);
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile @Nullable WillPublisher willPublisher;
    private final SubscriptionIndex<Session> index;
    private final SessionContext context;

    public SessionRegistry(SubscriptionIndex<Session> index, SessionContext context) {
        this.index = index;
        this.context = context;
    }

    /**
     * Opens (or resumes) the session of a client that has just been admitted, bound to its connection.
     *
     * @param cleanStart MQTT 3.1.1's clean session, MQTT 5's clean start: a stored session is not resumed
     * @param expiryInterval seconds the session outlives the connection: 0 for none, {@link Session#NEVER_EXPIRES}
     */
    public Opened open(
            String clientId, boolean cleanStart, long expiryInterval, ClientProtocol protocol, ClientLink link) {
        List<String> endedFilters = List.of();
        Session ended = null;
        @Nullable PublishedMessage endedWill = null;
        Opened opened;
        // Connects are rare next to publishes: one lock keeps a takeover and a concurrent close simple.
        synchronized (this) {
            Session old = sessions.get(clientId);
            ClientProtocol previousProtocol = old == null ? ClientProtocol.MQTT_311 : old.protocol();
            ClientLink previous = old == null ? null : old.takeLink();
            if (old != null && old.persistent() && !cleanStart) {
                old.attach(link, protocol, expiryInterval);
                old.storeOpened();
                return new Opened(old, true, previous, previousProtocol);
            }
            if (old != null) {
                ended = old;
                endedWill = old.takeDueWill(0, true); // the session ends: a will waiting out its delay goes now
                endedFilters = old.end(); // forgotten by the store before the new session is stored
            }
            Session session = new Session(clientId, expiryInterval, context);
            session.attach(link, protocol, expiryInterval);
            sessions.put(clientId, session);
            session.storeOpened();
            opened = new Opened(session, false, previous, previousProtocol);
        }
        if (ended != null) {
            unsubscribeAll(ended, endedFilters);
        }
        if (endedWill != null) {
            publishWill(endedWill);
        }
        return opened;
    }

    /** A DISCONNECT changed the session expiry interval of a connected session. */
    public void expiryChanged(Session session, long expiryInterval) {
        synchronized (this) {
            session.expiryInterval(expiryInterval);
            session.storeOpened();
        }
    }

    /**
     * Holds an MQTT 5 will until its delay has passed; it is dropped if the client comes back first, and published
     * at once if the session ends first. Takes the reference.
     */
    public void delayWill(Session session, PublishedMessage will, long delaySeconds) {
        session.delayWill(will, System.currentTimeMillis() + delaySeconds * 1000);
    }

    /** The connection of a session closed: a clean session ends with it, a persistent one waits for its client. */
    public void closed(Session session, ClientLink link) {
        List<String> filters;
        @Nullable PublishedMessage will;
        synchronized (this) {
            if (!session.detach(link) || session.persistent()) {
                return; // taken over (it lives on with its new connection), or persistent (it waits for its client)
            }
            sessions.remove(session.clientId(), session);
            will = session.takeDueWill(0, true);
            filters = session.end();
        }
        unsubscribeAll(session, filters);
        if (will != null) {
            publishWill(will);
        }
    }

    private void publishWill(PublishedMessage will) {
        try {
            WillPublisher publisher = willPublisher;
            if (publisher != null) {
                publisher.publish(will);
            }
        } finally {
            will.release();
        }
    }

    public void willPublisher(WillPublisher publisher) {
        this.willPublisher = publisher;
    }

    /** Subscribes; returns true if the filter is new for this session (false if it replaced one). */
    public boolean subscribe(Session session, String filter, SubscriptionOptions options) {
        // The session first, so that routing sees its subscription count before the index shows the filter (overlapping
        // matches are merged by that count); a session that has ended takes no subscription.
        if (!session.putSubscription(filter, options)) {
            return false;
        }
        boolean added = index.subscribe(filter, session, options);
        if (session.ended()) {
            index.unsubscribe(filter, session); // it ended meanwhile: its end may have missed this filter
        }
        return added;
    }

    public boolean unsubscribe(Session session, String filter) {
        boolean removed = index.unsubscribe(filter, session);
        session.removeSubscription(filter);
        return removed;
    }

    private void unsubscribeAll(Session session, List<String> filters) {
        for (String filter : filters) {
            index.unsubscribe(filter, session);
        }
    }

    /**
     * Publishes the wills whose delay has passed, and ends the persistent sessions whose clients have been away longer
     * than their session expiry interval (MQTT 5), or than {@code persistentClientExpiration} for sessions that never
     * expire by themselves (MQTT 3.1.1's clean session 0, as Mosquitto applies it).
     */
    public void expire(Optional<Duration> persistentClientExpiration, Instant now) {
        long nowMillis = now.toEpochMilli();
        for (Session session : List.copyOf(sessions.values())) {
            PublishedMessage due = session.takeDueWill(nowMillis, false);
            if (due != null) {
                publishWill(due);
            }
            Optional<Instant> since = session.disconnectedAt();
            if (!session.persistent() || since.isEmpty()) {
                continue;
            }
            long interval = session.expiryInterval();
            Optional<Duration> expiry = interval == Session.NEVER_EXPIRES
                    ? persistentClientExpiration
                    : Optional.of(Duration.ofSeconds(interval));
            if (expiry.isEmpty() || !since.get().plus(expiry.get()).isBefore(now)) {
                continue;
            }
            List<String> filters = List.of();
            PublishedMessage will = null;
            boolean remove;
            synchronized (this) {
                remove = session.disconnectedAt().isPresent() && sessions.remove(session.clientId(), session);
                if (remove) {
                    will = session.takeDueWill(nowMillis, true);
                    filters = session.end();
                }
            }
            if (remove) {
                LOG.info(
                        "Expiring client {}: disconnected for more than {} s.",
                        session.clientId(),
                        expiry.get().toSeconds());
                unsubscribeAll(session, filters);
                if (will != null) {
                    publishWill(will);
                }
            }
        }
    }

    /** Recreates the persistent sessions a previous run stored, offline, with their subscriptions and messages. */
    public void restore(StoreSnapshot snapshot) {
        for (StoreSnapshot.StoredSession stored : snapshot.sessions()) {
            Session session = new Session(stored.clientId(), stored.expiryInterval(), context);
            session.restore(stored);
            for (StoreSnapshot.StoredSubscription s : stored.subscriptions()) {
                SubscriptionOptions options = s.options();
                session.restoreSubscription(s.filter(), options);
                index.subscribe(s.filter(), session, options);
            }
            sessions.put(stored.clientId(), session);
        }
        for (StoreSnapshot.StoredWill w : snapshot.wills()) {
            Session session = sessions.get(w.clientId());
            if (session != null) {
                StoreSnapshot.StoredMessage m = w.message();
                session.restoreWill(
                        PublishedMessage.of(
                                m.topic(),
                                m.qos(),
                                m.retain(),
                                Unpooled.wrappedBuffer(m.payload()),
                                w.clientId(),
                                m.properties(),
                                m.expiresAt()),
                        w.dueAt());
            }
        }
    }

    /** Every session now, by client id: each copied under its own lock, never the registry's. */
    public List<SessionSnapshot> snapshots() {
        return sessions.values().stream()
                .map(Session::snapshot)
                .sorted(Comparator.comparing(SessionSnapshot::clientId))
                .toList();
    }

    /** The filters client {@code clientId}'s session is subscribed to; empty when it has no session. */
    public List<String> subscribedFilters(String clientId) {
        Session session = sessions.get(clientId);
        return session == null ? List.of() : session.subscribedFilters();
    }

    /** How many sessions exist, of connected and offline clients. */
    public int size() {
        return sessions.size();
    }

    public int subscriptionCount() {
        return index.size();
    }

    /** Frees every session's buffers at a stop; the store keeps what it stored. */
    public void freeAtStop() {
        sessions.values().forEach(Session::freeAtStop);
        sessions.clear();
    }
}
