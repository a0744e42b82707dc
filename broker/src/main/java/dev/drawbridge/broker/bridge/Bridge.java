package dev.drawbridge.broker.bridge;

import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.engine.protocol.Connection;
import dev.drawbridge.broker.security.BridgeAccess;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running bridge: a connection to the remote broker ({@link RemoteConnection}) and, while that is up, an in-process
 * client of this broker's engine ({@link LocalLink}), as Mosquitto's bridge context is both. The local client connects
 * only once the remote broker has accepted the bridge and acknowledged its subscriptions, and is disconnected when the
 * remote connection ends, so a persistent local session queues what is meant for the remote broker while it is away.
 * Packets are relayed with their packet ids ({@link Relay}): the local session's in-flight window is the bridge's, and
 * a message is acknowledged on one side only after the other side has acknowledged it. All on one event loop.
 */
final class Bridge implements RemoteConnection.Events, LocalLink.Events {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    /** Without {@code round_robin}, how often a bridge away from its first address checks whether it is back. */
    private static final Duration PRIMARY_PROBE = Duration.ofSeconds(5);

    private final BridgeConfig config;
    private final BridgeNames names;
    private final Engine engine;
    private final BridgeAccess access;
    private final EventLoop loop;
    private final RemoteConnection.TlsHandlers tls;
    private final RestartDelay delay;
    private final AddressRotation addresses;
    /** Cleared when the remote broker refuses the bridge bit; Mosquitto then connects as a plain client. */
    private boolean tryPrivate;

    private boolean stopped;
    private @Nullable RemoteConnection remote;
    private @Nullable Relay relay;
    private @Nullable Future<?> scheduled;
    private boolean switchingToPrimary;

    Bridge(
            BridgeConfig config,
            BridgeNames names,
            Engine engine,
            BridgeAccess access,
            EventLoop loop,
            RemoteConnection.TlsHandlers tls) {
        this.config = config;
        this.names = names;
        this.engine = engine;
        this.access = access;
        this.loop = loop;
        this.tls = tls;
        this.delay = RestartDelay.of(config.restart());
        this.addresses = new AddressRotation(config.addresses());
        this.tryPrivate = config.tryPrivate();
    }

    /**
     * Subscribes locally before it returns, so that a message published once the broker has started is queued for the
     * remote broker; connects in the background: a remote broker that is down never holds up the caller.
     */
    void start() {
        loop.submit(() -> {
                    if (config.notifications()) {
                        // Mosquitto publishes "0" before the first attempt, so subscribers know the bridge is not up.
                        engine.publishRetained(names.notificationTopic(), "0");
                    }
                    subscribeLocally();
                })
                .syncUninterruptibly();
        loop.execute(this::connect);
    }

    /**
     * With a persistent local session, subscribes it once before the first connection, as Mosquitto adds a bridge's
     * local subscriptions before it connects: what is published for the remote broker queues from the start, even if
     * the remote broker has never been reached. The client connects, subscribes (without retained messages, which come
     * at the real subscription) and leaves at once. A filter the session kept from a {@code topic} line that is no
     * longer in the configuration is unsubscribed: otherwise it would go on carrying messages out that nobody asked
     * to bridge.
     */
    private void subscribeLocally() {
        boolean cleanStart = config.localCleanSession().orElse(config.cleanSession());
        List<TopicMapping> outgoing = config.topics().stream()
                .filter(m -> m.direction() != TopicMapping.Direction.IN)
                .toList();
        if (cleanStart) {
            return;
        }
        List<String> wanted = outgoing.stream().map(TopicMapping::localFilter).toList();
        List<String> stale = engine.subscribedFilters(names.localClientId()).stream()
                .filter(filter -> !wanted.contains(filter))
                .toList();
        if (outgoing.isEmpty() && stale.isEmpty()) {
            return;
        }
        LocalLink link = new LocalLink(loop, config.name(), this);
        access.connecting();
        Connection connection = engine.newConnection(link);
        connection.onPacket(localConnect(names.localClientId(), false, RemoteLimits.MQTT_3));
        if (!stale.isEmpty()) {
            LOG.info("Bridge {}: unsubscribing {}, no longer in its topic lines.", config.name(), stale);
            var unsubscribe = MqttMessageBuilders.unsubscribe().messageId(2);
            stale.forEach(unsubscribe::addTopicFilter);
            connection.onPacket(unsubscribe.build());
        }
        if (!outgoing.isEmpty()) {
            connection.onPacket(Relay.localSubscribe(
                    outgoing, 2, MqttSubscriptionOption.RetainedHandlingPolicy.DONT_SEND_AT_SUBSCRIBE));
        }
        link.release();
        connection.onClosed();
    }

    private void connect() {
        scheduled = null;
        if (stopped) {
            return;
        }
        BridgeConfig.Address address = addresses.current();
        LOG.info("Connecting bridge {} ({})", config.name(), address);
        boolean v5 = config.protocolVersion() == BridgeConfig.ProtocolVersion.MQTT_5;
        RemoteConnect connect = new RemoteConnect(
                config.protocolVersion(),
                tryPrivate && !v5,
                names.remoteClientId(),
                config.cleanSession(),
                (int) config.keepalive().toSeconds(),
                config.remote(),
                config.notifications() && !config.notificationsLocalOnly()
                        ? Optional.of(names.notificationTopic())
                        : Optional.empty());
        remote = RemoteConnection.open(
                loop,
                address,
                connect.packet(ByteBufAllocator.DEFAULT),
                (int) config.keepalive().toSeconds(),
                tls,
                this);
    }

    // ---- the remote broker ----

    @Override
    public void remotePacket(MqttMessage message) {
        try {
            RemoteConnection current = remote;
            if (current == null || stopped) {
                return;
            }
            if (message.fixedHeader().messageType() == MqttMessageType.CONNACK) {
                connAck(current, (MqttConnAckMessage) message);
                return;
            }
            Relay active = relay;
            if (active == null) {
                current.close("the remote broker sent " + message.fixedHeader().messageType() + " before CONNACK");
                return;
            }
            active.fromRemote(message);
        } finally {
            ReferenceCountUtil.release(message);
            flushRemote(); // what the engine answered goes back at once
        }
    }

    private void connAck(RemoteConnection current, MqttConnAckMessage connAck) {
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (relay != null) {
            current.close("the remote broker sent a second CONNACK");
            return;
        }
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            boolean v5 = config.protocolVersion() == BridgeConfig.ProtocolVersion.MQTT_5;
            if (!v5 && tryPrivate && code == MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION) {
                // Mosquitto's handle_connack.c: the remote does not know the bridge bit; next time connect without it.
                tryPrivate = false;
                current.close("the remote broker does not take the bridge protocol level (try_private); next attempt"
                        + " without it");
                return;
            }
            current.close("the remote broker refused the connection: " + code);
            return;
        }
        delay.reset();
        LOG.info("Bridge {} connected to {}", config.name(), addresses.current());
        RemoteLimits limits = config.protocolVersion() == BridgeConfig.ProtocolVersion.MQTT_5
                ? RemoteLimits.of(connAck.variableHeader().properties())
                : RemoteLimits.MQTT_3;
        Relay started = new Relay(config, names, engine, access, current, limits, this::localSide);
        relay = started;
        started.begin();
        if (!config.roundRobin() && !addresses.onPrimary()) {
            scheduled = loop.scheduleAtFixedRate(
                    this::probePrimary, PRIMARY_PROBE.toMillis(), PRIMARY_PROBE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A new local link for the relay, owned by this bridge's loop. */
    private LocalLink localSide() {
        return new LocalLink(loop, config.name(), this);
    }

    @Override
    public void remoteWritable() {
        Relay active = relay;
        if (active != null) {
            active.remoteWritable();
        }
    }

    @Override
    public void remoteClosed(String why) {
        remote = null;
        Relay ended = relay;
        relay = null;
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
        if (ended != null) {
            ended.end();
            if (config.notifications()) {
                // What Mosquitto's bridge context's will publishes here when its connection drops.
                engine.publishRetained(names.notificationTopic(), "0");
            }
        }
        if (stopped) {
            LOG.info("Bridge {} stopped.", config.name());
            return;
        }
        if (switchingToPrimary) {
            switchingToPrimary = false;
        } else {
            addresses.advance();
        }
        Duration wait = delay.next();
        LOG.info("Bridge {} connection lost: {}; retrying in {} s", config.name(), why, wait.toSeconds());
        scheduled = loop.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Without round_robin: when the first address answers again, go back to it (Mosquitto's bridge_check). */
    private void probePrimary() {
        RemoteConnection current = remote;
        if (current == null || addresses.onPrimary()) {
            return;
        }
        PrimaryProbe.probe(loop, addresses.primary(), () -> {
            RemoteConnection still = remote;
            if (still == current && !stopped) {
                addresses.backToPrimary();
                switchingToPrimary = true;
                still.close("the first address " + addresses.primary() + " answers again");
            }
        });
    }

    // ---- the local side ----

    @Override
    public void localPacket(MqttMessage message) {
        try {
            Relay active = relay;
            if (active != null) {
                active.fromLocal(message);
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void localClosed() {
        RemoteConnection current = remote;
        if (current != null) {
            current.close("the local broker closed the bridge's client");
        }
    }

    @Override
    public boolean remoteTakesMore() {
        RemoteConnection current = remote;
        return current != null && current.isWritable();
    }

    @Override
    public void flushRemote() {
        RemoteConnection current = remote;
        if (current != null) {
            current.flush();
        }
    }

    /** Stops for good: DISCONNECT to the remote broker (so it drops the will), the local client closed. */
    void stop() {
        loop.execute(() -> {
            stopped = true;
            if (scheduled != null) {
                scheduled.cancel(false);
                scheduled = null;
            }
            RemoteConnection current = remote;
            if (current != null) {
                current.disconnect();
            }
        });
    }

    /** The local CONNECT: an MQTT 5 client, so that its subscriptions can say no local and retain as published. */
    static MqttMessage localConnect(String clientId, boolean cleanStart, RemoteLimits limits) {
        MqttProperties properties = new MqttProperties();
        if (!cleanStart) {
            properties.add(new MqttProperties.IntegerProperty(0x11, 0xFFFF_FFFF)); // session expiry: never
        }
        limits.receiveMaximum().ifPresent(max -> properties.add(new MqttProperties.IntegerProperty(0x21, max)));
        limits.maximumPacketSize().ifPresent(max -> properties.add(new MqttProperties.IntegerProperty(0x27, max)));
        return MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_5)
                .clientId(clientId)
                .cleanSession(cleanStart)
                .keepAlive(0)
                .properties(properties)
                .build();
    }
}
