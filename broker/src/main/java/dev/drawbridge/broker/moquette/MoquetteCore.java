package dev.drawbridge.broker.moquette;

import dev.drawbridge.broker.moquette.store.MessageStore;
import dev.drawbridge.broker.net.RetainedDeliveries;
import dev.drawbridge.broker.security.DeliveryPolicy;
import io.moquette.broker.DrawbridgeAssembly;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT core: Moquette's sessions, routing and store, assembled by {@link DrawbridgeAssembly} with Drawbridge's
 * rules. Connections reach it through {@link #handler()}, which must be last in every MQTT pipeline.
 */
public final class MoquetteCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MoquetteCore.class);

    /**
     * The core's settings.
     *
     * @param dataPath the store directory; empty for a broker that forgets everything on stop
     * @param durability when acknowledgements may leave, for a broker with a store
     * @param autosaveInterval how often the store is saved when acknowledgements do not wait
     * @param sessionExpiry how long a persistent session outlives its client's last connection; empty for ever
     * @param maxQueuedMessages QoS 1/2 messages queued per client beyond its in-flight window; 0 for no limit
     * @param maxQueuedBytes payload bytes of those messages; 0 for no limit
     */
    public record Settings(
            Optional<Path> dataPath,
            MessageStore.Durability durability,
            Duration autosaveInterval,
            Optional<Duration> sessionExpiry,
            boolean allowZeroLengthClientId,
            int maxQueuedMessages,
            int maxQueuedBytes) {}

    private final DrawbridgeAssembly assembly;
    private final MessageStore store;
    private final LongAdder dropped;

    private MoquetteCore(DrawbridgeAssembly assembly, MessageStore store, LongAdder dropped) {
        this.assembly = assembly;
        this.store = store;
        this.dropped = dropped;
    }

    /** Opens the store (if any) and starts the session loops. */
    public static MoquetteCore start(Settings settings, RetainedDeliveries retained, DeliveryPolicy policy)
            throws IOException {
        int expirySeconds = (int) Math.min(
                Integer.MAX_VALUE,
                settings.sessionExpiry().map(Duration::toSeconds).orElse(0L));
        var assemblySettings = new DrawbridgeAssembly.Settings(expirySeconds, settings.allowZeroLengthClientId(), 1024);
        MessageStore store = settings.dataPath().isPresent()
                ? MessageStore.open(settings.dataPath().get(), settings.durability(), settings.autosaveInterval())
                : MessageStore.inMemory();
        LongAdder dropped = new LongAdder();
        try {
            DrawbridgeAssembly assembly = DrawbridgeAssembly.assemble(
                    assemblySettings,
                    store.repositories(),
                    admittedByFrontHandler(),
                    subscribeChecks(policy),
                    trie -> new FilteringSubscriptions(trie, policy),
                    queues -> new BoundedQueues(
                            queues, settings.maxQueuedMessages(), settings.maxQueuedBytes(), dropped, store::dropped),
                    (clientId, filter, topic, payload) ->
                            selectRetained(retained, policy, clientId, filter, topic, payload),
                    store);
            return new MoquetteCore(assembly, store, dropped);
        } catch (RuntimeException e) {
            store.close();
            throw new IOException("cannot start the message store: " + e.getMessage(), e);
        }
    }

    /** The front handler has already authenticated every CONNECT that reaches Moquette. */
    private static IAuthenticator admittedByFrontHandler() {
        return (clientId, username, password) -> true;
    }

    /**
     * Moquette asks {@code canRead} once per SUBSCRIBE filter: Mosquitto grants every valid filter unless a plugin
     * refuses it, and checks READ per delivered message (in {@link FilteringSubscriptions}). PUBLISH rights are
     * enforced before Moquette sees the packet, so {@code canWrite} always passes.
     */
    private static IAuthorizatorPolicy subscribeChecks(DeliveryPolicy policy) {
        return new IAuthorizatorPolicy() {
            @Override
            public boolean canWrite(Topic topic, String user, String client) {
                return true;
            }

            @Override
            public boolean canRead(Topic topic, String user, String client) {
                return policy.maySubscribe(client, topic.toString());
            }
        };
    }

    private static boolean selectRetained(
            RetainedDeliveries retained,
            DeliveryPolicy policy,
            String clientId,
            String filter,
            String topic,
            byte[] payload) {
        try {
            if (!DollarTopicRule.matches(filter, topic) || !policy.mayReceive(clientId, topic, 0, true)) {
                return false;
            }
            retained.expect(clientId, topic, payload);
            return true;
        } catch (RuntimeException e) {
            // Never into Moquette's session loop: a throw there stops it for every client on it.
            LOG.warn("Retained delivery check failed for {} on {}: {}", clientId, topic, e.toString());
            return false;
        }
    }

    public ChannelHandler handler() {
        return assembly.mqttHandler();
    }

    /** A new handler for one connection, placed before the front handler: store-aware acknowledgements. */
    public ChannelHandler newStoreHandler() {
        return store.newChannelHandler();
    }

    /** Whether the core has finished accepting this channel's CONNECT. */
    public static boolean isConnected(Channel channel) {
        return DrawbridgeAssembly.isConnected(channel);
    }

    /** Publishes a retained QoS 0 message from the broker itself, as {@code $SYS} does. */
    public void publishRetained(String topic, String payload) {
        var message = MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(MqttQoS.AT_MOST_ONCE)
                .retained(true)
                .payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8))
                .build();
        assembly.internalPublish(message);
    }

    public long subscriptionCount() {
        return assembly.subscriptionCount();
    }

    public long sessionCount() {
        return assembly.sessionCount();
    }

    /** Messages dropped because a client's queue was full. */
    public long droppedCount() {
        return dropped.sum();
    }

    public long retainedCount() {
        return assembly.retainedCount();
    }

    /** Lets the session loops finish the work of connections that just closed. */
    public void drain() {
        assembly.drain(java.time.Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        assembly.close();
        store.close();
    }
}
