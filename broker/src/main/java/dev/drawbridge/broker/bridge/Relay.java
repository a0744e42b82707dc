package dev.drawbridge.broker.bridge;

import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.engine.codec.MessagePropertyCodec;
import dev.drawbridge.broker.engine.protocol.Connection;
import dev.drawbridge.broker.engine.topic.TopicFilters;
import dev.drawbridge.broker.security.BridgeAccess;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's worth of a bridge: what flows between the remote broker and the engine while the remote connection
 * is up. First the remote side is set up (the notification "1" and a SUBSCRIBE per {@code in}/{@code both} topic, as
 * Mosquitto's {@code bridge__on_connect} sends them, each acknowledged), then the local client connects and subscribes
 * to the {@code out}/{@code both} topics (no local, retain as published, as Mosquitto's {@code sub__add} for a bridge),
 * then messages flow. What the remote broker sends before that waits.
 *
 * <p>Packet ids pass through unchanged: the engine's deliveries to the bridge keep theirs on the way to the remote
 * broker, and the remote broker's PUBLISHes keep theirs on the way into the engine, so every acknowledgement can go
 * straight back. A QoS 1 or 2 message is acknowledged to its sender only when its receiver has acknowledged it (the
 * engine acknowledges once the store has it): nothing is lost between the two.
 */
final class Relay {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    private static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    private static final int TOPIC_ALIAS = 0x23;

    private enum State {
        REMOTE_SETUP,
        LOCAL_CONNECTING,
        LOCAL_SUBSCRIBING,
        READY,
        ENDED
    }

    private final BridgeConfig config;
    private final BridgeNames names;
    private final Engine engine;
    private final BridgeAccess access;
    private final RemoteConnection remote;
    private final RemoteLimits limits;
    private final Supplier<LocalLink> localSide;
    private final boolean v5;
    /** PUBLISH and PUBREL from the remote broker that came before the local client was ready, in order. */
    private final ArrayDeque<MqttMessage> waiting = new ArrayDeque<>();

    private State state = State.REMOTE_SETUP;
    private int setupAcks;
    private @Nullable LocalLink link;
    private @Nullable Connection local;

    Relay(
            BridgeConfig config,
            BridgeNames names,
            Engine engine,
            BridgeAccess access,
            RemoteConnection remote,
            RemoteLimits limits,
            Supplier<LocalLink> localSide) {
        this.config = config;
        this.names = names;
        this.engine = engine;
        this.access = access;
        this.remote = remote;
        this.limits = limits;
        this.localSide = localSide;
        this.v5 = config.protocolVersion() == BridgeConfig.ProtocolVersion.MQTT_5;
    }

    /** The remote broker accepted the bridge: tell it so, subscribe there, then connect here. */
    void begin() {
        int packetId = 1;
        if (config.notifications() && !config.notificationsLocalOnly()) {
            MqttQoS qos = limits.maximumQos() == 0 ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
            remote.write(new MqttPublishMessage(
                    new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, limits.retainAvailable(), 0),
                    new MqttPublishVariableHeader(
                            names.notificationTopic(), qos == MqttQoS.AT_MOST_ONCE ? 0 : packetId++),
                    Unpooled.copiedBuffer("1", StandardCharsets.UTF_8)));
            if (qos != MqttQoS.AT_MOST_ONCE) {
                setupAcks++;
            }
        }
        for (TopicMapping mapping : config.topics()) {
            if (mapping.direction() == TopicMapping.Direction.OUT) {
                continue;
            }
            int qos = mapping.subscriptionQos(limits.maximumQos());
            // MQTT 5: as Mosquitto 2.0.11, no local, retain as published, retained messages sent at every subscribe.
            MqttSubscriptionOption option = v5
                    ? new MqttSubscriptionOption(
                            MqttQoS.valueOf(qos),
                            true,
                            true,
                            MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE)
                    : MqttSubscriptionOption.onlyFromQos(MqttQoS.valueOf(qos));
            remote.write(MqttMessageBuilders.subscribe()
                    .messageId(packetId++)
                    .addSubscription(mapping.remoteFilter(), option)
                    .build());
            setupAcks++;
        }
        remote.flush();
        if (setupAcks == 0) {
            connectLocal();
        }
    }

    private void setupAcked() {
        if (--setupAcks == 0) {
            connectLocal();
        }
    }

    private void connectLocal() {
        state = State.LOCAL_CONNECTING;
        LocalLink newLink = localSide.get();
        link = newLink;
        access.connecting();
        Connection connection = engine.newConnection(newLink);
        local = connection;
        boolean cleanStart = config.localCleanSession().orElse(config.cleanSession());
        connection.onPacket(Bridge.localConnect(names.localClientId(), cleanStart, limits));
    }

    /** A packet from the remote broker; the caller releases it. */
    void fromRemote(MqttMessage message) {
        MqttMessageType type = message.fixedHeader().messageType();
        switch (type) {
            case SUBACK -> {
                if (state == State.REMOTE_SETUP) {
                    warnRefused((MqttSubAckMessage) message, "remote");
                    setupAcked();
                }
            }
            case PUBACK -> {
                if (state == State.REMOTE_SETUP) {
                    setupAcked(); // the notification's
                } else {
                    toLocal(message);
                }
            }
            case PUBREC, PUBCOMP -> toLocal(message);
            case PUBLISH, PUBREL -> {
                if (state == State.READY) {
                    incoming(message);
                } else if (state != State.ENDED) {
                    waiting.add(ReferenceCountUtil.retain(message));
                }
            }
            case DISCONNECT -> remote.close("the remote broker sent DISCONNECT");
            default -> {
                // UNSUBACK and the like: nothing to do
            }
        }
    }

    private void toLocal(MqttMessage message) {
        Connection connection = local;
        if (connection != null) {
            connection.onPacket(message);
        }
    }

    private void incoming(MqttMessage message) {
        Connection connection = local;
        if (connection == null) {
            return;
        }
        if (message.fixedHeader().messageType() == MqttMessageType.PUBREL) {
            connection.onPacket(message); // the engine answers PUBCOMP, which goes back to the remote broker
            return;
        }
        MqttPublishMessage publish = (MqttPublishMessage) message;
        int qos = publish.fixedHeader().qosLevel().value();
        boolean retain = publish.fixedHeader().isRetain();
        int packetId = publish.variableHeader().packetId();
        String topic = TopicMapping.localTopic(
                config.topics(), publish.variableHeader().topicName());
        String problem = TopicFilters.topicNameError(topic);
        if (problem != null) {
            LOG.warn("Bridge {}: dropped a message from the remote broker on '{}': {}", config.name(), topic, problem);
            acknowledgeDropped(qos, packetId);
            return;
        }
        MqttProperties properties =
                v5 ? forwarded(publish.variableHeader().properties()) : MqttProperties.NO_PROPERTIES;
        if (!access.mayPublish(topic, qos, retain, MessagePropertyCodec.userProperties(properties))) {
            LOG.info(
                    "Bridge {}: denied a message from the remote broker on '{}': local_username may not publish there.",
                    config.name(),
                    topic);
            acknowledgeDropped(qos, packetId);
            return;
        }
        MqttPublishMessage into = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), retain, 0),
                new MqttPublishVariableHeader(topic, qos == 0 ? -1 : packetId, properties),
                publish.payload().retainedDuplicate());
        try {
            connection.onPacket(into);
        } finally {
            into.release();
        }
    }

    /** A message not let in is acknowledged all the same, so that the remote broker does not send it again. */
    private void acknowledgeDropped(int qos, int packetId) {
        if (qos > 0) {
            remote.write(ack(qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, packetId, 0));
        }
    }

    /** A packet the engine wrote to the bridge's client; the caller releases it. */
    void fromLocal(MqttMessage message) {
        MqttMessageType type = message.fixedHeader().messageType();
        switch (type) {
            case CONNACK -> localConnAck((MqttConnAckMessage) message);
            case SUBACK -> {
                if (state == State.LOCAL_SUBSCRIBING) {
                    warnRefused((MqttSubAckMessage) message, "local");
                    ready();
                }
            }
            case PUBLISH -> outgoing((MqttPublishMessage) message);
            case PUBACK, PUBREC, PUBCOMP, PUBREL -> {
                int packetId = ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
                int reason = message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
                        ? reply.reasonCode() & 0xFF
                        : 0;
                remote.write(ack(type, packetId, reason));
            }
            default -> {
                // DISCONNECT before a close the engine asks for, and the like: the close itself ends the link
            }
        }
    }

    private void localConnAck(MqttConnAckMessage connAck) {
        if (state != State.LOCAL_CONNECTING) {
            return;
        }
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            remote.close("this broker refused the bridge's client " + names.localClientId() + ": " + code);
            return;
        }
        List<TopicMapping> outgoing = config.topics().stream()
                .filter(m -> m.direction() != TopicMapping.Direction.IN)
                .toList();
        Connection connection = local;
        if (outgoing.isEmpty() || connection == null) {
            ready();
            return;
        }
        state = State.LOCAL_SUBSCRIBING;
        connection.onPacket(localSubscribe(
                outgoing, limits.maximumQos(), MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE));
    }

    /**
     * The local SUBSCRIBE to the {@code out} and {@code both} topics: no local (what the bridge brings in is not sent
     * back out) and retain as published, as Mosquitto's {@code sub__add} for a bridge.
     */
    static MqttMessage localSubscribe(
            List<TopicMapping> outgoing, int maximumQos, MqttSubscriptionOption.RetainedHandlingPolicy retained) {
        var subscribe = MqttMessageBuilders.subscribe().messageId(1);
        for (TopicMapping mapping : outgoing) {
            subscribe.addSubscription(
                    mapping.localFilter(),
                    new MqttSubscriptionOption(
                            MqttQoS.valueOf(mapping.subscriptionQos(maximumQos)), true, true, retained));
        }
        return subscribe.build();
    }

    private void ready() {
        state = State.READY;
        if (config.notifications()) {
            engine.publishRetained(names.notificationTopic(), "1");
        }
        while (!waiting.isEmpty() && state == State.READY) {
            MqttMessage next = waiting.poll();
            try {
                incoming(next);
            } finally {
                ReferenceCountUtil.release(next);
            }
        }
        remote.flush();
    }

    private void outgoing(MqttPublishMessage publish) {
        var header = publish.fixedHeader();
        String topic = TopicMapping.remoteTopic(
                config.topics(), publish.variableHeader().topicName());
        MqttProperties properties =
                v5 ? forwarded(publish.variableHeader().properties()) : MqttProperties.NO_PROPERTIES;
        remote.write(new MqttPublishMessage(
                new MqttFixedHeader(
                        MqttMessageType.PUBLISH,
                        header.isDup(),
                        header.qosLevel(),
                        header.isRetain() && limits.retainAvailable(),
                        0),
                new MqttPublishVariableHeader(topic, publish.variableHeader().packetId(), properties),
                publish.payload().retain()));
    }

    private MqttMessage ack(MqttMessageType type, int packetId, int reason) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        MqttMessageIdVariableHeader header = v5
                ? new MqttPubReplyMessageVariableHeader(packetId, (byte) reason, MqttProperties.NO_PROPERTIES)
                : MqttMessageIdVariableHeader.from(packetId);
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0), header);
    }

    private void warnRefused(MqttSubAckMessage subAck, String side) {
        List<Integer> codes = subAck.payload().reasonCodes();
        for (int code : codes) {
            if (code >= 0x80) {
                LOG.warn(
                        "Bridge {}: the {} broker refused a subscription (reason code 0x{}).",
                        config.name(),
                        side,
                        Integer.toHexString(code));
            }
        }
    }

    /** What a PUBLISH carries on to the other broker: all but the topic alias and subscription ids (per connection). */
    private static MqttProperties forwarded(MqttProperties properties) {
        if (properties.isEmpty()) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties kept = new MqttProperties();
        for (MqttProperties.MqttProperty<?> property : properties.listAll()) {
            int id = property.propertyId();
            if (id != SUBSCRIPTION_IDENTIFIER && id != TOPIC_ALIAS) {
                kept.add(property);
            }
        }
        return kept;
    }

    /** The remote connection is gone: the local client disconnects (its persistent session queues from now on). */
    void end() {
        state = State.ENDED;
        while (!waiting.isEmpty()) {
            ReferenceCountUtil.release(waiting.poll());
        }
        LocalLink ending = link;
        Connection connection = local;
        link = null;
        local = null;
        if (ending != null) {
            ending.release();
        }
        if (connection != null) {
            try {
                connection.onClosed();
            } catch (RuntimeException e) {
                LOG.warn("Bridge {}: ending the local client failed: {}", config.name(), e.toString());
            }
        }
    }

    void remoteWritable() {
        Connection connection = local;
        if (connection != null) {
            connection.onWritable();
        }
    }
}
