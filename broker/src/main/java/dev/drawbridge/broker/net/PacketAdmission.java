package dev.drawbridge.broker.net;

import static dev.drawbridge.broker.net.FrontHandler.peer;

import dev.drawbridge.broker.engine.codec.MessagePropertyCodec;
import dev.drawbridge.broker.sys.BrokerStats;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges every decoded packet of one connection: malformed packets and protocol violations close it, nothing may come
 * before the CONNECT (which {@link ConnectAdmission} judges) or after a refused one, and a PUBLISH the client may not
 * write, or one over message_size_limit, is acknowledged and dropped. A PUBLISH or SUBSCRIBE check that asks a plugin
 * runs off the I/O thread, the connection's later packets waiting in {@link PausedInput}.
 */
final class PacketAdmission {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private final ListenerSettings listener;
    private final MountPoint mountPoint;
    private final BrokerStats stats;
    private final ConnectAdmission connect;
    /** How the front handler closes the connection for something the client sent. */
    private final Closer close;

    /** Closes a connection for something its client sent; an MQTT 5 client is sent DISCONNECT with the reason code. */
    @FunctionalInterface
    interface Closer {
        void close(ChannelHandlerContext ctx, int reasonCode);
    }

    private @Nullable TopicAliases aliases;

    private final PausedInput input;

    private boolean connectSeen;
    private boolean disconnectSeen;

    /** Where a dropped PUBLISH is acknowledged, in order with the connection's other answers. */
    private final EngineLink link;

    PacketAdmission(
            ListenerSettings listener,
            BrokerStats stats,
            ConnectAdmission connect,
            Closer close,
            PausedInput input,
            EngineLink link) {
        this.input = input;
        this.link = link;
        this.listener = listener;
        this.mountPoint = MountPoint.of(listener.mountPoint());
        this.stats = stats;
        this.connect = connect;
        this.close = close;
    }

    /**
     * Returns what goes on to the MQTT core (the message, or a CONNECT with a generated client id), or null when the
     * message has been answered or the socket closed.
     */
    @Nullable
    MqttMessage admit(ChannelHandlerContext ctx, MqttMessage message) {
        if (message.decoderResult().isFailure()) {
            Throwable cause = message.decoderResult().cause();
            if (!connectSeen
                    && cause instanceof MqttUnacceptableProtocolVersionException
                    && knownProtocolName(String.valueOf(cause.getMessage()))) {
                // MQTT-3.1.2-2: protocol name MQTT or MQIsdp with a level that does not go with it gets CONNACK 0x01,
                // then the close, as Mosquitto answers (Netty tells no more; any other protocol name is just closed).
                LOG.info("Client from {} refused: unsupported protocol level.", peer(ctx));
                connectSeen = true;
                connect.refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
                return null;
            }
            LOG.info(
                    "Client {} from {} sent a malformed packet ({}), disconnecting.",
                    name(),
                    peer(ctx),
                    message.decoderResult().cause().getMessage());
            close.close(ctx, ReasonCodes.MALFORMED_PACKET);
            return null;
        }
        if (connect.refused()) {
            // MQTT-3.1.4-5: nothing a refused client sent after its CONNECT is processed.
            return null;
        }
        MqttMessageType type = message.fixedHeader().messageType();
        stats.messageReceived(type == MqttMessageType.PUBLISH);
        if (type == MqttMessageType.PUBLISH && message.fixedHeader().qosLevel().value() > listener.maxQos()) {
            // Above max_qos: closed before anything else is judged, as in Mosquitto (MQTT 5: DISCONNECT 0x9B).
            LOG.info(
                    "Client {} from {} sent a QoS {} PUBLISH above max_qos {}, disconnecting.",
                    name(),
                    peer(ctx),
                    message.fixedHeader().qosLevel().value(),
                    listener.maxQos());
            close.close(ctx, ReasonCodes.QOS_NOT_SUPPORTED);
            return null;
        }
        if (type == MqttMessageType.PUBLISH && aliases != null) {
            Object resolved = aliases.resolve((MqttPublishMessage) message);
            if (resolved instanceof TopicAliases.Refusal refusal) {
                LOG.info(
                        "Client {} from {} broke the protocol ({}), disconnecting.",
                        name(),
                        peer(ctx),
                        refusal.reason());
                close.close(ctx, refusal.reasonCode());
                return null;
            }
            message = (MqttMessage) resolved;
        }
        if (type == MqttMessageType.PUBLISH && message.fixedHeader().isRetain() && !listener.retainAvailable()) {
            // retain_available false: a retained PUBLISH closes the connection, as in Mosquitto (MQTT 5: 0x9A).
            LOG.info(
                    "Client {} from {} sent a retained PUBLISH, but retain_available is false; disconnecting.",
                    name(),
                    peer(ctx));
            close.close(ctx, ReasonCodes.RETAIN_NOT_SUPPORTED);
            return null;
        }
        String violation = PacketRules.violation(message, listener.topicLimits());
        if (violation != null) {
            LOG.info("Client {} from {} broke the protocol ({}), disconnecting.", name(), peer(ctx), violation);
            close.close(ctx, ReasonCodes.PROTOCOL_ERROR);
            return null;
        }
        // Judged as the client sent them, as Mosquitto does; the ACL and the engine see the mounted topics.
        message = mountPoint.mount(message);
        if (type == MqttMessageType.CONNECT) {
            if (connectSeen) {
                LOG.info("Client {} from {} sent a second CONNECT, disconnecting.", name(), peer(ctx));
                close.close(ctx, ReasonCodes.NO_DISCONNECT);
                return null;
            }
            connectSeen = true;
            MqttConnectMessage admitted = connect.admit(ctx, (MqttConnectMessage) message);
            if (connect.v5() && !connect.refused()) {
                // Also while a plugin still judges the login: what the client sends next waits, then needs its aliases.
                aliases = new TopicAliases(listener.topicAliasMaximum());
            }
            return admitted;
        }
        if (!connectSeen) {
            LOG.info("Connection from {} sent {} before CONNECT, disconnecting.", peer(ctx), type);
            close.close(ctx, ReasonCodes.PROTOCOL_ERROR);
            return null;
        }
        if (type == MqttMessageType.DISCONNECT) {
            disconnectSeen = true;
        }
        if (type == MqttMessageType.AUTH) {
            // Enhanced authentication was refused at CONNECT, so no AUTH can follow (MQTT 5 section 4.12).
            LOG.info("Client {} from {} sent AUTH without an authentication method, disconnecting.", name(), peer(ctx));
            close.close(ctx, ReasonCodes.NO_DISCONNECT);
            return null;
        }
        if (type == MqttMessageType.PUBLISH) {
            return admitPublish(ctx, (MqttPublishMessage) message);
        }
        if (type == MqttMessageType.SUBSCRIBE) {
            return admitSubscribe(ctx, MaxQos.cap((MqttSubscribeMessage) message, listener.maxQos()));
        }
        return message;
    }

    /** Netty names the protocol first in its message ("MQIsdp and 4 are not match"). */
    private static boolean knownProtocolName(String decoderMessage) {
        return decoderMessage.startsWith("MQTT ") || decoderMessage.startsWith("MQIsdp ");
    }

    /** The PUBLISH to pass on, or null: dropped, or its right to write is checked off the I/O thread. */
    @Nullable
    private MqttMessage admitPublish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        ConnectGate.@Nullable Admission admission = connect.admission();
        if (admission == null) {
            return withinSizeLimit(ctx, publish) ? publish : null;
        }
        MqttFixedHeader h = publish.fixedHeader();
        CompletableFuture<Boolean> allowed = admission.mayPublishLater(
                publish.variableHeader().topicName(),
                h.qosLevel().value(),
                h.isRetain(),
                MessagePropertyCodec.userProperties(publish.variableHeader().properties()));
        if (allowed.isDone() && !allowed.isCompletedExceptionally()) {
            return admissible(ctx, publish, allowed.join()) ? publish : null;
        }
        publish.retain(); // the front handler releases its own reference when this returns null
        input.until(
                ctx,
                allowed,
                ok -> {
                    if (admissible(ctx, publish, ok)) {
                        return publish; // with the reference taken above
                    }
                    publish.release();
                    return null;
                },
                () -> publish.release());
        return null;
    }

    /** A SUBSCRIBE goes on once the plugins' answers for its filters are ready (at once without plugins). */
    @Nullable
    private MqttMessage admitSubscribe(ChannelHandlerContext ctx, MqttSubscribeMessage subscribe) {
        ConnectGate.@Nullable Admission admission = connect.admission();
        if (admission == null) {
            return subscribe;
        }
        List<String> filters = subscribe.payload().topicSubscriptions().stream()
                .map(MqttTopicSubscription::topicFilter)
                .toList();
        CompletableFuture<Void> prepared = admission.prepareSubscribe(filters);
        if (prepared.isDone() && !prepared.isCompletedExceptionally()) {
            return subscribe;
        }
        input.until(ctx, prepared, ready -> subscribe, () -> {});
        return null;
    }

    private boolean admissible(ChannelHandlerContext ctx, MqttPublishMessage publish, boolean allowed) {
        MqttFixedHeader h = publish.fixedHeader();
        String topic = publish.variableHeader().topicName();
        if (!allowed) {
            LOG.debug(
                    "Denied PUBLISH from {} (user {}) to '{}' (q{}, r{}): not allowed to write there.",
                    name(),
                    connect.username(),
                    topic,
                    h.qosLevel().value(),
                    h.isRetain() ? 1 : 0);
            // MQTT 3.1.1 cannot say "denied": acknowledge and drop, as Mosquitto does (MQTT 5 says 0x87).
            acknowledgeDropped(ctx, publish, ReasonCodes.NOT_AUTHORIZED);
            return false;
        }
        return withinSizeLimit(ctx, publish);
    }

    private boolean withinSizeLimit(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        int limit = listener.messageSizeLimit();
        if (limit > 0 && publish.payload().readableBytes() > limit) {
            LOG.info(
                    "Dropped too large PUBLISH from {} (q{}, r{}, '{}', ... ({} bytes)).",
                    name(),
                    publish.fixedHeader().qosLevel().value(),
                    publish.fixedHeader().isRetain() ? 1 : 0,
                    publish.variableHeader().topicName(),
                    publish.payload().readableBytes());
            // MQTT 3.1.1 has no way to say "too large": acknowledge and drop, as Mosquitto does (MQTT 5 says 0x95).
            acknowledgeDropped(ctx, publish, ReasonCodes.PACKET_TOO_LARGE);
            return false;
        }
        return true;
    }

    /**
     * Hands the engine a PUBLISH to acknowledge without delivering: its PUBACK or PUBREC then leaves in order with the
     * connection's other answers (behind a CONNACK or PUBACK that waits for the store).
     */
    private void acknowledgeDropped(ChannelHandlerContext ctx, MqttPublishMessage publish, int reasonCode) {
        int qos = publish.fixedHeader().qosLevel().value();
        if (qos > 0) {
            link.acknowledgeDropped(
                    new DroppedPublish(qos, publish.variableHeader().packetId(), reasonCode));
        }
    }

    /** Whether the client sent DISCONNECT (rather than just closing the socket). */
    boolean disconnectSeen() {
        return disconnectSeen;
    }

    private String name() {
        return connect.name();
    }
}
