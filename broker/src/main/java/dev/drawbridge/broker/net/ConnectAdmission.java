package dev.drawbridge.broker.net;

import static dev.drawbridge.broker.net.FrontHandler.host;
import static dev.drawbridge.broker.net.FrontHandler.peer;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.codec.MessagePropertyCodec;
import dev.drawbridge.broker.engine.codec.RemainingLength;
import dev.drawbridge.broker.tls.PeerCertificate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges one connection's CONNECT before the MQTT core sees it: client id (generating one where allowed), protocol
 * level, keepalive, credentials via the {@link ConnectGate}, and the will's topic. Refusals get a CONNACK, then the
 * close. Remembers what the accepted CONNECT established, for the front handler's log lines and ACL checks.
 */
final class ConnectAdmission {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private static final int AUTHENTICATION_METHOD = 0x15;
    private static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    private static final int ASSIGNED_CLIENT_IDENTIFIER = 0x12;
    private static final int SERVER_KEEP_ALIVE = 0x13;
    private static final int MAXIMUM_PACKET_SIZE = 0x27;
    private static final int RECEIVE_MAXIMUM = 0x21;
    private static final int RETAIN_AVAILABLE = 0x25;
    private static final int MAXIMUM_QOS = 0x24;
    private static final int REASON_STRING = 0x1F;

    /** The gate's verdict, and whether the client may publish its will (true when it has none). */
    private record Checked(ConnectGate.Verdict verdict, boolean willAllowed) {}

    private final ListenerSettings listener;
    private final PausedInput input;

    private @Nullable String clientId;
    private @Nullable String username;
    private ConnectGate.@Nullable Admission admission;
    private boolean cleanSession;
    /** The accepted CONNECT's protocol level and keepalive, for the "New client connected" line. */
    private int protocolLevel;

    private int acceptedKeepAlive;
    private boolean refused;
    /** The client speaks MQTT 5: refusals carry MQTT 5 reason codes, CONNACK the listener's properties. */
    private boolean v5;
    /** The maximum packet size of the client's MQTT 5 CONNECT, 0 for none: what it is sent must fit. */
    private long clientMaximumPacketSize;
    /** The client id was left to the broker (an MQTT 5 CONNACK names it). */
    private boolean assignedId;
    /** The keepalive the broker set instead of the client's (MQTT 5's server keep alive), or -1. */
    private int serverKeepAlive = -1;
    /** The CONNECT came with the bridge bit (0x84, 0x83), which the frame validator cleared for Netty's decoder. */
    private boolean bridge;

    ConnectAdmission(ListenerSettings listener, PausedInput input) {
        this.listener = listener;
        this.input = input;
    }

    /**
     * Returns the CONNECT to pass on to the MQTT core (with a generated client id, without a will the client may not
     * publish), or null when it has been refused, or when its credentials are checked off the I/O thread (a plugin):
     * then {@link PausedInput} passes it on, or refuses it, once they are.
     */
    @Nullable
    MqttConnectMessage admit(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        var header = connect.variableHeader();
        var payload = connect.payload();
        clientId = payload.clientIdentifier();
        int level = header.version();
        v5 = level == 5;
        if (v5 && header.properties().getProperty(MAXIMUM_PACKET_SIZE) instanceof MqttProperties.IntegerProperty max) {
            clientMaximumPacketSize = Integer.toUnsignedLong(max.value());
        }
        if (clientId == null || clientId.isEmpty()) {
            // MQTT 5 lets a client with clean start 0 leave its id to the broker too (MQTT-3.1.3-7 is 3.1.1's).
            if (!listener.allowZeroLengthClientId() || (!header.isCleanSession() && !v5)) {
                LOG.info("Client from {} refused: empty client id.", peer(ctx));
                // Mosquitto answers an MQTT 5 client "unspecified error" here.
                refuse(
                        ctx,
                        v5
                                ? MqttConnectReturnCode.CONNECTION_REFUSED_UNSPECIFIED_ERROR
                                : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
                return null;
            }
            // Named here, as Mosquitto does, so every later log line and the core agree on the id.
            clientId = listener.autoIdPrefix() + UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
            assignedId = true;
            connect = withClientId(connect, clientId);
        }
        long idBytes = MqttStrings.utf8Length(clientId);
        if (idBytes > listener.maxClientIdLength()) {
            String start = MqttStrings.logPrefix(clientId);
            clientId = null; // no later line may log the whole id
            LOG.info(
                    "Client from {} refused: client id of {} bytes ('{}...') exceeds max_client_id_length {}.",
                    peer(ctx),
                    idBytes,
                    start,
                    listener.maxClientIdLength());
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return null;
        }
        if (level >= 3 && level <= 5 && !listener.protocolLevels().contains(level)) {
            LOG.info(
                    "Client {} from {} refused: protocol level {} not in accept_protocol_versions.",
                    name(),
                    peer(ctx),
                    level);
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
            return null;
        }
        if (level != 3 && level != 4 && level != 5) {
            LOG.info("Client {} from {} refused: unknown protocol level {}.", name(), peer(ctx), level);
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
            return null;
        }
        if (v5 && header.properties().getProperty(AUTHENTICATION_METHOD) != null) {
            // Enhanced authentication (MQTT 5 section 4.12): no method is supported, as in a Mosquitto without plugin.
            LOG.info("Client {} from {} refused: enhanced authentication is not supported.", name(), peer(ctx));
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD);
            return null;
        }
        int keepAlive = header.keepAliveTimeSeconds();
        int maxKeepalive = listener.maxKeepalive();
        if (v5 && maxKeepalive > 0 && (keepAlive > maxKeepalive || keepAlive == 0)) {
            // MQTT 5 lets the broker set the keepalive instead of refusing (MQTT 5 section 3.2.2.3.14), as Mosquitto
            // does.
            serverKeepAlive = maxKeepalive;
            keepAlive = maxKeepalive;
            connect = withKeepAlive(connect, keepAlive);
        }
        if (keepAlive > listener.maxKeepalive()) {
            LOG.info(
                    "Client {} from {} refused: keepalive {} s exceeds max_keepalive {} s.",
                    name(),
                    peer(ctx),
                    keepAlive,
                    listener.maxKeepalive());
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return null;
        }
        if (header.isWillFlag() && header.isWillRetain() && !listener.retainAvailable()) {
            LOG.info("Client {} from {} refused: a retained will, but retain_available is false.", name(), peer(ctx));
            // Mosquitto answers MQTT 5 "retain not supported" and closes an MQTT 3.1.1 client without a CONNACK.
            if (v5) {
                refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED);
            } else {
                refused = true;
                ctx.close();
            }
            return null;
        }
        if (header.isWillFlag() && header.willQos() > listener.maxQos()) {
            LOG.info(
                    "Client {} from {} refused: will QoS {} above max_qos {}.",
                    name(),
                    peer(ctx),
                    header.willQos(),
                    listener.maxQos());
            // As for a retained will: MQTT 5 "QoS not supported", an MQTT 3.1.1 client closed without a CONNACK.
            if (v5) {
                refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED);
            } else {
                refused = true;
                ctx.close();
            }
            return null;
        }
        if (v5) {
            capTopicAliasesToClient(header.properties());
        }
        int sizeLimit = listener.messageSizeLimit();
        byte[] willMessage = header.isWillFlag() ? payload.willMessageInBytes() : null;
        if (sizeLimit > 0 && willMessage != null && willMessage.length > sizeLimit) {
            // Mosquitto refuses such a CONNECT (its will could never be published) with "not authorised".
            LOG.info(
                    "Client {} from {} refused: its will of {} bytes exceeds message_size_limit {}.",
                    name(),
                    peer(ctx),
                    willMessage.length,
                    sizeLimit);
            refuse(
                    ctx,
                    v5
                            ? MqttConnectReturnCode.CONNECTION_REFUSED_PACKET_TOO_LARGE
                            : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return null;
        }
        Optional<String> user = header.hasUserName() ? Optional.ofNullable(payload.userName()) : Optional.empty();
        Optional<byte[]> password =
                header.hasPassword() ? Optional.ofNullable(payload.passwordInBytes()) : Optional.empty();
        MqttConnectMessage judged = connect;
        CompletableFuture<Checked> checked = listener.gate()
                .checkLater(new ConnectGate.Attempt(
                        listener.description(),
                        peer(ctx),
                        host(ctx),
                        name(),
                        user,
                        password,
                        level,
                        PeerCertificate.of(ctx)))
                .thenCompose(verdict -> checkWill(verdict, judged));
        if (checked.isDone() && !checked.isCompletedExceptionally()) {
            return admitted(ctx, judged, checked.join());
        }
        input.until(ctx, checked, c -> admitted(ctx, judged, c), () -> {});
        return null;
    }

    /**
     * The engine reads how many topic aliases it may set toward the client from the CONNECT's topic alias maximum; the
     * listener lowers it to its own {@code max_topic_alias_broker}, as Mosquitto 2.1 does (0: none at all).
     */
    private void capTopicAliasesToClient(MqttProperties properties) {
        if (properties.getProperty(TOPIC_ALIAS_MAXIMUM) instanceof MqttProperties.IntegerProperty asked
                && asked.value() > listener.topicAliasesToClient()) {
            properties.add(new MqttProperties.IntegerProperty(TOPIC_ALIAS_MAXIMUM, listener.topicAliasesToClient()));
        }
    }

    private static CompletableFuture<Checked> checkWill(ConnectGate.Verdict verdict, MqttConnectMessage connect) {
        var header = connect.variableHeader();
        ConnectGate.@Nullable Admission granted = verdict.admission();
        if (!verdict.accepted() || granted == null || !header.isWillFlag()) {
            return CompletableFuture.completedFuture(new Checked(verdict, true));
        }
        return granted.mayPublishLater(
                        connect.payload().willTopic(),
                        header.willQos(),
                        header.isWillRetain(),
                        MessagePropertyCodec.userProperties(connect.payload().willProperties()))
                .thenApply(allowed -> new Checked(verdict, allowed));
    }

    /** The CONNECT once the gate has decided: the one to pass on, or null when refused. */
    @Nullable
    private MqttConnectMessage admitted(ChannelHandlerContext ctx, MqttConnectMessage connect, Checked checked) {
        var header = connect.variableHeader();
        var payload = connect.payload();
        Optional<String> user = header.hasUserName() ? Optional.ofNullable(payload.userName()) : Optional.empty();
        ConnectGate.Verdict verdict = checked.verdict();
        if (!verdict.accepted() || verdict.admission() == null) {
            LOG.info(
                    "Client {} (user {}) from {} disconnected, not authorised: {}.",
                    name(),
                    user.orElse("<none>"),
                    peer(ctx),
                    verdict.reason());
            refuseLater(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, verdict.delay());
            return null;
        }
        admission = verdict.admission();
        username = admission.username().orElse(null);
        cleanSession = header.isCleanSession();
        if (!checked.willAllowed()) {
            // Mosquitto accepts the client and never publishes a will it may not write.
            LOG.debug(
                    "Denied will of {} (user {}) on '{}': not allowed to publish there.",
                    name(),
                    username,
                    payload.willTopic());
            connect = withoutWill(connect);
        }
        int level = header.version();
        protocolLevel = level;
        acceptedKeepAlive = header.keepAliveTimeSeconds();
        // The engine reads the bridge bit where Mosquitto's handle_connect.c does: in the protocol level.
        return bridge ? withLevel(connect, level | FrameRules.BRIDGE_BIT) : connect;
    }

    private static MqttConnectMessage withoutWill(MqttConnectMessage connect) {
        var h = connect.variableHeader();
        var p = connect.payload();
        return new MqttConnectMessage(
                connect.fixedHeader(),
                new MqttConnectVariableHeader(
                        h.name(),
                        h.version(),
                        h.hasUserName(),
                        h.hasPassword(),
                        false,
                        0,
                        false,
                        h.isCleanSession(),
                        h.keepAliveTimeSeconds(),
                        h.properties()),
                new MqttConnectPayload(
                        p.clientIdentifier(),
                        p.willProperties(),
                        null,
                        (byte[]) null,
                        p.userName(),
                        p.passwordInBytes()));
    }

    private static MqttConnectMessage withLevel(MqttConnectMessage connect, int level) {
        var h = connect.variableHeader();
        return new MqttConnectMessage(
                connect.fixedHeader(),
                new MqttConnectVariableHeader(
                        h.name(),
                        level,
                        h.hasUserName(),
                        h.hasPassword(),
                        h.isWillRetain(),
                        h.willQos(),
                        h.isWillFlag(),
                        h.isCleanSession(),
                        h.keepAliveTimeSeconds(),
                        h.properties()),
                connect.payload());
    }

    private static MqttConnectMessage withKeepAlive(MqttConnectMessage connect, int keepAlive) {
        var h = connect.variableHeader();
        return new MqttConnectMessage(
                connect.fixedHeader(),
                new MqttConnectVariableHeader(
                        h.name(),
                        h.version(),
                        h.hasUserName(),
                        h.hasPassword(),
                        h.isWillRetain(),
                        h.willQos(),
                        h.isWillFlag(),
                        h.isCleanSession(),
                        keepAlive,
                        h.properties()),
                connect.payload());
    }

    private static MqttConnectMessage withClientId(MqttConnectMessage connect, String id) {
        var p = connect.payload();
        return new MqttConnectMessage(
                connect.fixedHeader(),
                connect.variableHeader(),
                new MqttConnectPayload(
                        id,
                        p.willProperties(),
                        p.willTopic(),
                        p.willMessageInBytes(),
                        p.userName(),
                        p.passwordInBytes()));
    }

    private void refuseLater(ChannelHandlerContext ctx, MqttConnectReturnCode code, java.time.Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            refuse(ctx, code);
            return;
        }
        refused = true;
        // Stop reading from this socket while it waits, so a guesser gains nothing by pipelining.
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> refuse(ctx, code), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Writes the refusing CONNACK, encoded here (the pipeline has no MQTT encoder), then closes. */
    void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code) {
        refused = true;
        ByteBuf connAck = v5
                ? refusal5(ctx.alloc(), ReasonCodes.connAck(code).byteValue() & 0xFF)
                : AckEncoder.connAck(ctx.alloc(), false, code.byteValue() & 0xFF);
        ctx.writeAndFlush(connAck).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * A refusing MQTT 5 CONNACK: a lowered maximum QoS (Mosquitto names it in every MQTT 5 CONNACK, refusals too), then
     * the code's fixed reason string, left out where it would make the CONNACK larger than the client takes
     * (MQTT-3.2.2-19). Mosquitto 2.0.11 sends no reason string.
     */
    private ByteBuf refusal5(ByteBufAllocator alloc, int reasonCode) {
        boolean lowered = listener.maxQos() < 2;
        int qosLength = lowered ? 2 : 0;
        String text = ReasonCodes.connAckReasonString(reasonCode);
        byte[] reason = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        // Under 128 bytes either way: one byte of remaining length and one of property length.
        boolean withReason = text != null && clientTakes(2 + 2 + 1 + qosLength + 3 + reason.length);
        int propertiesLength = qosLength + (withReason ? 3 + reason.length : 0);
        ByteBuf connAck = alloc.buffer(2 + 3 + propertiesLength)
                .writeByte(0x20)
                .writeByte(3 + propertiesLength)
                .writeByte(0)
                .writeByte(reasonCode)
                .writeByte(propertiesLength);
        if (lowered) {
            connAck.writeByte(MAXIMUM_QOS).writeByte(listener.maxQos());
        }
        if (withReason) {
            connAck.writeByte(REASON_STRING).writeShort(reason.length).writeBytes(reason);
        }
        return connAck;
    }

    /** Whether a packet of this many bytes is within the maximum packet size of the client's MQTT 5 CONNECT. */
    boolean clientTakes(long packetSize) {
        return clientMaximumPacketSize == 0 || packetSize <= clientMaximumPacketSize;
    }

    /** The client id for log lines: the one the client sent or was given, else {@code <unknown>}. */
    String name() {
        return clientId == null || clientId.isEmpty() ? "<unknown>" : clientId;
    }

    /** The client id the core knows the client by; null before the CONNECT and when it was too long to log. */
    @Nullable
    String clientId() {
        return clientId;
    }

    /** What the {@link ConnectGate} granted the client; null until it has accepted the CONNECT. */
    ConnectGate.@Nullable Admission admission() {
        return admission;
    }

    boolean cleanSession() {
        return cleanSession;
    }

    /** The CONNECT's fields for the "New client connected" line, as Mosquitto writes them. */
    String connectSummary() {
        // Made only when logged: kept as a string it would cost every idle connection its bytes.
        return "p" + (protocolLevel == 5 ? 5 : protocolLevel == 4 ? 2 : 1) + ", c" + (cleanSession ? 1 : 0) + ", k"
                + acceptedKeepAlive
                + (username != null ? ", u'" + username + "'" : "");
    }

    /** The user the client authenticated as, if any. */
    @Nullable
    String username() {
        return username;
    }

    /**
     * The CONNECT about to come asked with the bridge bit. Like Mosquitto, any client may: the bit changes only how its
     * own subscriptions deliver (see the engine's {@code SubscriptionOptions.bridge}), never what it may do.
     */
    void fromBridge() {
        bridge = true;
    }

    /** Whether the client connected as a bridge. */
    boolean bridge() {
        return bridge;
    }

    /** Whether the client speaks MQTT 5 (known once its CONNECT has been judged). */
    boolean v5() {
        return v5;
    }

    /**
     * The accepted MQTT 5 CONNACK, encoded with what the listener decides added to what the engine said, in the order
     * Mosquitto writes them: topic alias maximum, the keepalive set for the client, the client id it was given, the
     * maximum packet size when one is configured, the engine's receive maximum, then a maximum QoS below 2.
     */
    ByteBuf connAck5(ByteBufAllocator alloc, MqttConnAckMessage engineConnAck, int topicAliasMaximum) {
        ByteBuf properties = alloc.buffer(32);
        if (topicAliasMaximum > 0) {
            properties.writeByte(TOPIC_ALIAS_MAXIMUM).writeShort(topicAliasMaximum);
        }
        if (serverKeepAlive >= 0) {
            properties.writeByte(SERVER_KEEP_ALIVE).writeShort(serverKeepAlive);
        }
        if (assignedId && clientId != null) {
            byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
            properties
                    .writeByte(ASSIGNED_CLIENT_IDENTIFIER)
                    .writeShort(id.length)
                    .writeBytes(id);
        }
        if (!listener.retainAvailable()) {
            properties.writeByte(RETAIN_AVAILABLE).writeByte(0);
        }
        if (listener.maxPacketSize() > 0) {
            properties.writeByte(MAXIMUM_PACKET_SIZE).writeInt(listener.maxPacketSize());
        }
        if (engineConnAck.variableHeader().properties().getProperty(RECEIVE_MAXIMUM)
                instanceof MqttProperties.IntegerProperty receiveMaximum) {
            properties.writeByte(RECEIVE_MAXIMUM).writeShort(receiveMaximum.value());
        }
        if (listener.maxQos() < 2) {
            properties.writeByte(MAXIMUM_QOS).writeByte(listener.maxQos());
        }
        int propertiesLength = properties.readableBytes();
        int remaining = 2 + RemainingLength.size(propertiesLength) + propertiesLength;
        ByteBuf out = alloc.buffer(1 + RemainingLength.size(remaining) + remaining);
        out.writeByte(0x20);
        RemainingLength.write(out, remaining);
        out.writeByte(engineConnAck.variableHeader().isSessionPresent() ? 1 : 0);
        out.writeByte(engineConnAck.variableHeader().connectReturnCode().byteValue());
        RemainingLength.write(out, propertiesLength);
        out.writeBytes(properties);
        properties.release();
        return out;
    }

    /** Whether the CONNECT was refused (its CONNACK is written or on its way). */
    boolean refused() {
        return refused;
    }
}
