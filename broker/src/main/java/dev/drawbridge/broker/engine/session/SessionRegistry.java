package dev.drawbridge.broker.engine.session;

import dev.drawbridge.broker.engine.store.StoreSnapshot;
import dev.drawbridge.broker.engine.subscription.SubscriptionIndex;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import java.time.Duration;
import java.time.Instant;
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
     */
    public record Opened(
            Session session,
            boolean sessionPresent,
            @Nullable ClientLink previous) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SubscriptionIndex<Session> index;
    private final SessionContext context;

    public SessionRegistry(SubscriptionIndex<Session> index, SessionContext context) {
        this.index = index;
        this.context = context;
    }

    /** Opens (or resumes) the session of a client that has just been admitted, bound to its connection. */
    public Opened open(String clientId, boolean cleanSession, ClientLink link) {
        List<String> endedFilters = List.of();
        Session ended = null;
        Opened opened;
        // Connects are rare next to publishes: one lock keeps a takeover and a concurrent close simple.
        synchronized (this) {
            Session old = sessions.get(clientId);
            ClientLink previous = old == null ? null : old.takeLink();
            if (old != null && old.persistent() && !cleanSession) {
                old.attach(link);
                context.store().sessionOpened(clientId);
                return new Opened(old, true, previous);
            }
            if (old != null) {
                ended = old;
                endedFilters = old.end(); // forgotten by the store before the new session is stored
            }
            Session session = new Session(clientId, !cleanSession, context);
            session.attach(link);
            sessions.put(clientId, session);
            if (!cleanSession) {
                context.store().sessionOpened(clientId);
            }
            opened = new Opened(session, false, previous);
        }
        if (ended != null) {
            unsubscribeAll(ended, endedFilters);
        }
        return opened;
    }

    /** The connection of a session closed: a clean session ends with it, a persistent one waits for its client. */
    public void closed(Session session, ClientLink link) {
        List<String> filters;
        synchronized (this) {
            if (!session.detach(link) || session.persistent()) {
                return; // taken over (it lives on with its new connection), or persistent (it waits for its client)
            }
            sessions.remove(session.clientId(), session);
            filters = session.end();
        }
        unsubscribeAll(session, filters);
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

    /** Ends the persistent sessions whose clients have been away longer than {@code expiry}. */
    public void expire(Duration expiry, Instant now) {
        for (Session session : List.copyOf(sessions.values())) {
            Optional<Instant> since = session.disconnectedAt();
            if (session.persistent()
                    && since.isPresent()
                    && since.get().plus(expiry).isBefore(now)) {
                List<String> filters = List.of();
                boolean remove;
                synchronized (this) {
                    remove = session.disconnectedAt().isPresent() && sessions.remove(session.clientId(), session);
                    if (remove) {
                        filters = session.end();
                    }
                }
                if (remove) {
                    LOG.info(
                            "Expiring client {}: disconnected for more than {} s.",
                            session.clientId(),
                            expiry.toSeconds());
                    unsubscribeAll(session, filters);
                }
            }
        }
    }

    /** Recreates the persistent sessions a previous run stored, offline, with their subscriptions and messages. */
    public void restore(StoreSnapshot snapshot) {
        for (StoreSnapshot.StoredSession stored : snapshot.sessions()) {
            Session session = new Session(stored.clientId(), true, context);
            session.restore(stored);
            for (StoreSnapshot.StoredSubscription s : stored.subscriptions()) {
                session.restoreSubscription(s.filter(), SubscriptionOptions.qos(s.qos()));
                index.subscribe(s.filter(), session, SubscriptionOptions.qos(s.qos()));
            }
            sessions.put(stored.clientId(), session);
        }
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
