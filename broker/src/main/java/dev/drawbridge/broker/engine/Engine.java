package dev.drawbridge.broker.engine;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.message.Publisher;
import dev.drawbridge.broker.engine.protocol.Connection;
import dev.drawbridge.broker.engine.protocol.ProtocolContext;
import dev.drawbridge.broker.engine.retained.RetainedCopy;
import dev.drawbridge.broker.engine.retained.RetainedMessages;
import dev.drawbridge.broker.engine.routing.Router;
import dev.drawbridge.broker.engine.session.ClientLink;
import dev.drawbridge.broker.engine.session.QueueLimits;
import dev.drawbridge.broker.engine.session.Session;
import dev.drawbridge.broker.engine.session.SessionContext;
import dev.drawbridge.broker.engine.session.SessionRegistry;
import dev.drawbridge.broker.engine.session.SessionSnapshot;
import dev.drawbridge.broker.engine.store.EngineStore;
import dev.drawbridge.broker.engine.store.StoreSnapshot;
import dev.drawbridge.broker.engine.subscription.SubscriptionIndex;
import dev.drawbridge.broker.engine.watch.TopicWatch;
import dev.drawbridge.broker.security.DeliveryPolicy;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drawbridge's MQTT engine: sessions, subscriptions, routing, retained messages, wills and QoS flows, over a store. The
 * listener layer gives it one {@link Connection} per client connection ({@link #newConnection}); everything else is
 * asked here.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final EngineStore store;
    private final SessionRegistry sessions;
    private final RetainedMessages retained;
    private final Router router;
    private final ProtocolContext protocol;
    private final LongAdder dropped;
    private final Optional<ScheduledExecutorService> expiry;
    /** What a reload may change; engine threads read each value whole. */
    private final AtomicReference<QueueLimits> queueLimits;

    private final AtomicReference<Optional<Duration>> sessionExpiry;

    private Engine(
            EngineStore store,
            SessionRegistry sessions,
            RetainedMessages retained,
            Router router,
            ProtocolContext protocol,
            LongAdder dropped,
            Optional<ScheduledExecutorService> expiry,
            AtomicReference<QueueLimits> queueLimits,
            AtomicReference<Optional<Duration>> sessionExpiry) {
        this.queueLimits = queueLimits;
        this.sessionExpiry = sessionExpiry;
        this.store = store;
        this.sessions = sessions;
        this.retained = retained;
        this.router = router;
        this.protocol = protocol;
        this.dropped = dropped;
        this.expiry = expiry;
    }

    /** Starts the engine on a store, reading back what a previous run left in it. Takes ownership of the store. */
    public static Engine start(EngineSettings settings, EngineStore store, DeliveryPolicy policy) {
        StoreSnapshot snapshot = store.recover();
        SubscriptionIndex<Session> index = new SubscriptionIndex<>();
        RetainedMessages retained = new RetainedMessages(store);
        retained.restore(snapshot.retained());
        LongAdder dropped = new LongAdder();
        AtomicReference<QueueLimits> queueLimits = new AtomicReference<>(settings.limits());
        AtomicReference<Optional<Duration>> sessionExpiry = new AtomicReference<>(settings.sessionExpiry());
        SessionRegistry sessions = new SessionRegistry(index, new SessionContext(store, policy, queueLimits, dropped));
        sessions.restore(snapshot);
        Router router = new Router(index, retained, policy, settings.upgradeOutgoingQos());
        ProtocolContext protocol = new ProtocolContext(
                sessions, router, retained, store, policy, queueLimits, settings.checkRetainSource());
        sessions.willPublisher(router::publish);
        // Once a second: MQTT 5's session expiry and will delay intervals are counted in seconds.
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drawbridge-expiry");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(
                () -> expire(sessions, Objects.requireNonNull(sessionExpiry.get(), "always set")),
                1,
                1,
                TimeUnit.SECONDS);
        return new Engine(
                store, sessions, retained, router, protocol, dropped, Optional.of(timer), queueLimits, sessionExpiry);
    }

    /**
     * Applies reloaded limits: queues and in-flight windows from their next message on, session expiry from the next
     * check. Each value is swapped whole, so an engine thread never sees half of one.
     */
    public void apply(EngineSettings settings) {
        queueLimits.set(settings.limits());
        sessionExpiry.set(settings.sessionExpiry());
    }

    private static void expire(SessionRegistry sessions, Optional<Duration> persistentClientExpiration) {
        try {
            sessions.expire(persistentClientExpiration, Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("Expiring persistent sessions failed: {}", e.toString());
        }
    }

    /** The engine's side of a new client connection. */
    public Connection newConnection(ClientLink link) {
        return new Connection(protocol, link);
    }

    /** Publishes a retained QoS 0 message from the broker itself, as {@code $SYS} does: no ACL on the way in. */
    public void publishRetained(String topic, String payload) {
        PublishedMessage message =
                PublishedMessage.of(topic, 0, true, Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8), null);
        try {
            router.publish(message);
        } finally {
            message.release();
        }
    }

    /**
     * Copies of the retained messages a new subscription to {@code filter} would be sent now: expired ones left out,
     * and with {@code check_retain_source} those whose publisher may no longer write their topic. READ is the caller's
     * to check, for whoever it reads for.
     *
     * @param previewBytes how much of each payload to copy
     * @throws IllegalArgumentException when {@code filter} is not a valid filter, or a {@code $share/} one
     */
    public List<RetainedCopy> retained(String filter, int previewBytes) {
        return retained.copies(filter, previewBytes, this::sourceMayStillWrite);
    }

    /** {@code check_retain_source}, as a new subscription's retained messages are checked (SubscribeHandler). */
    private boolean sourceMayStillWrite(PublishedMessage message) {
        Publisher publisher = message.publisher();
        return !protocol.checkRetainSource()
                || publisher == null
                || protocol.policy().publisherMayWrite(publisher, message.topic(), message.qos());
    }

    /**
     * Subscribes in-process to {@code filter} as client {@code clientId} (who that is to the READ check is the delivery
     * policy's business), its deliveries decoded on {@code executor}; see {@link TopicWatch}.
     */
    public TopicWatch watch(
            String clientId, String filter, EventExecutor executor, int previewBytes, TopicWatch.Listener listener) {
        return TopicWatch.start(this::newConnection, clientId, filter, executor, previewBytes, listener);
    }

    /** Every session now, connected or waiting for its client, sorted by client id; copies, for reading. */
    public List<SessionSnapshot> sessions() {
        return sessions.snapshots();
    }

    /** The filters client {@code clientId}'s session is subscribed to now (a copy); empty when it has none. */
    public List<String> subscribedFilters(String clientId) {
        return sessions.subscribedFilters(clientId);
    }

    public long subscriptionCount() {
        return sessions.subscriptionCount();
    }

    public long sessionCount() {
        return sessions.size();
    }

    public long retainedCount() {
        return retained.size();
    }

    /** Messages not queued because a client's queue was full. */
    public long droppedCount() {
        return dropped.sum();
    }

    /** Frees what is held in memory and closes the store; every connection has been closed before. */
    @Override
    public void close() {
        // shutdown(), not shutdownNow(): an interrupt during the store's file I/O would close its file for good.
        expiry.ifPresent(timer -> {
            timer.shutdown();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sessions.freeAtStop();
        retained.freeAtStop();
        store.close();
    }
}
