package io.moquette.broker;

import io.moquette.BrokerConstants;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.CTrieSubscriptionDirectory;
import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.interception.BrokerInterceptor;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.AttributeKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Drawbridge's half of the seam with Moquette 0.17: builds the same objects {@code Server.startServer} builds, but
 * from our own settings and with our own subscription directory, retained store and post office, and without any
 * Netty acceptor, bugsnag, metrics or telemetry. It lives in Moquette's package because the constructors it calls are
 * package-private; keep it thin: everything Drawbridge-specific belongs in {@code dev.drawbridge.broker.moquette}.
 *
 * <p>A Moquette upgrade touches this folder and {@code dev.drawbridge.broker.moquette} only.
 */
public final class DrawbridgeAssembly implements AutoCloseable {

    /** The channel attribute under which {@link NewNettyMQTTHandler} keeps a channel's connection. */
    private static final AttributeKey<Object> CONNECTION = AttributeKey.valueOf("connection");

    /**
     * What the assembly needs to know.
     *
     * @param sessionExpirySeconds how long a persistent session outlives its client's last connection; 0 for ever
     * @param allowZeroLengthClientId whether an empty client id gets a generated one
     * @param sessionQueueSize commands each session loop may hold
     */
    public record Settings(int sessionExpirySeconds, boolean allowZeroLengthClientId, int sessionQueueSize) {}

    private final ScheduledExecutorService scheduler;
    private final BrokerInterceptor interceptor;
    private final SessionRegistry sessions;
    private final DrawbridgePostOffice postOffice;
    private final NewNettyMQTTHandler mqttHandler;
    private final ISubscriptionsDirectory subscriptions;
    private final IRetainedRepository retained;
    private final SessionEventLoopGroup loops;
    private final IQueueRepository queues;

    private DrawbridgeAssembly(
            ScheduledExecutorService scheduler,
            BrokerInterceptor interceptor,
            SessionRegistry sessions,
            DrawbridgePostOffice postOffice,
            NewNettyMQTTHandler mqttHandler,
            ISubscriptionsDirectory subscriptions,
            IRetainedRepository retained,
            SessionEventLoopGroup loops,
            IQueueRepository queues) {
        this.loops = loops;
        this.queues = queues;
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.scheduler = scheduler;
        this.interceptor = interceptor;
        this.sessions = sessions;
        this.postOffice = postOffice;
        this.mqttHandler = mqttHandler;
    }

    /**
     * Builds a broker core on the given stores.
     *
     * @param directoryDecorator wraps Moquette's subscription trie (per-delivery checks)
     * @param queueDecorator wraps the per-client message queues (limits)
     * @param retainedSelector chooses the retained messages a new subscription receives
     * @param deliveryLog records what must survive a crash before it is acknowledged
     */
    public static DrawbridgeAssembly assemble(
            Settings settings,
            Repositories stores,
            IAuthenticator authenticator,
            IAuthorizatorPolicy authorizatorPolicy,
            UnaryOperator<ISubscriptionsDirectory> directoryDecorator,
            UnaryOperator<IQueueRepository> queueDecorator,
            RetainedSelector retainedSelector,
            DeliveryLog deliveryLog) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drawbridge-sessions");
            t.setDaemon(true);
            return t;
        });
        try {
            IQueueRepository queueRepository = queueDecorator.apply(stores.queues());
            ISubscriptionsDirectory trie = new CTrieSubscriptionDirectory();
            trie.init(stores.subscriptions());
            ISubscriptionsDirectory subscriptions = directoryDecorator.apply(trie);
            Authorizator authorizator = new Authorizator(authorizatorPolicy);
            BrokerInterceptor interceptor = new BrokerInterceptor(List.of());
            SessionEventLoopGroup loops = new SessionEventLoopGroup(interceptor, settings.sessionQueueSize());
            SessionRegistry sessions = new SessionRegistry(
                    subscriptions,
                    stores.sessions(),
                    queueRepository,
                    authorizator,
                    scheduler,
                    Clock.systemUTC(),
                    settings.sessionExpirySeconds() > 0 ? settings.sessionExpirySeconds() : Session.INFINITE_EXPIRY,
                    loops);
            DrawbridgePostOffice postOffice = new DrawbridgePostOffice(
                    subscriptions,
                    stores.retained(),
                    sessions,
                    interceptor,
                    authorizator,
                    loops,
                    retainedSelector,
                    deliveryLog);
            BrokerConfiguration brokerConfig = new BrokerConfiguration(
                    true, settings.allowZeroLengthClientId(), false, BrokerConstants.IMMEDIATE_BUFFER_FLUSH);
            MQTTConnectionFactory connections =
                    new MQTTConnectionFactory(brokerConfig, authenticator, sessions, postOffice);
            return new DrawbridgeAssembly(
                    scheduler,
                    interceptor,
                    sessions,
                    postOffice,
                    new DrawbridgeMqttHandler(connections, postOffice),
                    subscriptions,
                    stores.retained(),
                    loops,
                    queueRepository);
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
    }

    /** The client id Moquette bound to this channel at CONNECT, or null before that. */
    public static @Nullable String clientIdOf(Channel channel) {
        return NettyUtils.clientID(channel);
    }

    /** The handler that must sit last in every MQTT pipeline, named {@code handler}. Shared by all channels. */
    public ChannelHandler mqttHandler() {
        return mqttHandler;
    }

    /**
     * Whether Moquette has finished accepting the CONNECT on this channel (its CONNACK write completed). Packets that
     * arrive before that are refused by Moquette 0.17 as "on an already closed connection", so the front handler
     * holds them until this is true.
     */
    public static boolean isConnected(Channel channel) {
        MQTTConnection connection = connectionOf(channel);
        return connection != null && connection.isConnected();
    }

    /** The connection {@link NewNettyMQTTHandler} attached to this channel, or null before its first packet. */
    static @Nullable MQTTConnection connectionOf(Channel channel) {
        return channel.attr(CONNECTION).get() instanceof MQTTConnection connection ? connection : null;
    }

    /** Routes a message from the broker itself ($SYS): no ACL, no acknowledgement. Takes ownership of the buffer. */
    public void internalPublish(MqttPublishMessage message) {
        try {
            postOffice.internalPublish(message);
        } finally {
            message.release();
        }
    }

    /** How many subscriptions exist, of connected and offline clients. */
    public int subscriptionCount() {
        return subscriptions.size();
    }

    /** How many clients have a session with subscriptions. */
    public int sessionCount() {
        return subscriptions.listAllSessionIds().size();
    }

    /** How many retained messages are stored (a full scan: for $SYS, not for hot paths). */
    public int retainedCount() {
        return retained.retainedOnTopic("#").size();
    }

    /**
     * Waits until every session loop has handled what was queued before this call (the connection-lost work of
     * channels just closed), so that no loop still touches the network when it is shut down.
     */
    public void drain(Duration timeout) {
        List<CompletableFuture<?>> barriers = new ArrayList<>();
        boolean[] covered = new boolean[loops.getEventLoopCount()];
        for (int i = 0, found = 0; found < covered.length && i < 10_000; i++) {
            String id = "drawbridge-drain-" + i;
            int loop = loops.targetQueueOrdinal(id);
            if (!covered[loop]) {
                covered[loop] = true;
                found++;
                PostOffice.RouteResult result = loops.routeCommand(id, "drain", () -> null);
                if (result.isSuccess()) {
                    barriers.add(result.completableFuture());
                }
            }
        }
        try {
            CompletableFuture.allOf(barriers.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Stopping goes on: a loop that did not answer in time is shut down anyway.
        }
    }

    /** Stops the session loops and flushes the store; the caller has already closed every channel. */
    @Override
    public void close() {
        // shutdown(), not shutdownNow(): an interrupt during H2's file I/O closes the store's channel for good.
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Set<String> persistent = Set.copyOf(queues.listQueueNames());
        // Also closes the queues: what is stored stays stored.
        quietly("closing sessions", sessions::close);
        // Moquette never frees the buffers a persistent session holds in memory (in flight, QoS 2 receipts).
        for (String clientId : persistent) {
            Session session = sessions.retrieve(clientId);
            if (session != null) {
                quietly("freeing the session of " + clientId, session::cleanUp);
            }
        }
        quietly("stopping the interceptor", interceptor::stop);
        quietly("stopping the session loops", postOffice::terminate);
    }

    private static void quietly(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // Every later step still runs: a stop must flush what it can.
            org.slf4j.LoggerFactory.getLogger(DrawbridgeAssembly.class).warn("Stop: {} failed: {}", what, e.toString());
        }
    }
}
