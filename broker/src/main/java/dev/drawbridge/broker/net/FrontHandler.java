package dev.drawbridge.broker.net;

import dev.drawbridge.broker.sys.BrokerStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the MQTT decoder and the MQTT core on every connection. It lets nothing through before an accepted
 * CONNECT, refuses what the core must not see (MQTT 5, anonymous clients where they are not allowed, a second
 * CONNECT, malformed packets), writes Mosquitto's connection log lines and counts traffic for {@code $SYS}. It never
 * throws into Netty: every failure closes this one connection.
 */
final class FrontHandler extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private final ListenerSettings listener;
    private final BrokerStats stats;
    private final RetainedDeliveries retained;

    private @Nullable String clientId;
    private @Nullable String username;
    private ConnectGate.@Nullable Admission admission;
    private boolean cleanSession;
    private String connectSummary = "";
    private boolean connectSeen;
    private boolean connected;
    private boolean disconnectSeen;
    private boolean refused;
    private boolean closing;

    private final Predicate<Channel> coreConnected;
    /** Packets that came after the CONNECT, held until the core has finished accepting it. */
    private final ArrayDeque<MqttMessage> held = new ArrayDeque<>();

    private boolean awaitingCore;
    /** A malformed packet came while the core was accepting the CONNECT: close once it has. */
    private boolean closeWhenCoreIsReady;
    /** The source address while this socket counts as pending (no accepted CONNECT yet), else null. */
    private @Nullable String pendingAddress;

    FrontHandler(
            ListenerSettings listener,
            BrokerStats stats,
            RetainedDeliveries retained,
            Predicate<Channel> coreConnected) {
        this.listener = listener;
        this.stats = stats;
        this.retained = retained;
        this.coreConnected = coreConnected;
    }

    /** A connection that has not completed an accepted CONNECT by then is closed, however slowly it trickles. */
    static final long CONNECT_DEADLINE_SECONDS = 10;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        pendingAddress = host(ctx);
        if (!listener.pending().open(pendingAddress, peer(ctx))) {
            pendingAddress = null;
            ctx.fireChannelActive();
            ctx.close();
            return;
        }
        ctx.executor()
                .schedule(
                        () -> {
                            if (!connected && ctx.channel().isActive()) {
                                LOG.info(
                                        "Connection from {} closed: no accepted CONNECT within {} s.",
                                        peer(ctx),
                                        CONNECT_DEADLINE_SECONDS);
                                ctx.close();
                            }
                        },
                        CONNECT_DEADLINE_SECONDS,
                        TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (awaitingCore) {
            // Moquette 0.17 refuses packets that arrive before its CONNACK has been written, and a close while it is
            // still accepting the CONNECT makes it log an ERROR (moquette#821): keep them, unjudged, till then.
            held.add(message);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        handle(ctx, message);
    }

    /** Judges one packet and passes it on, in the order the client sent them. */
    private void handle(ChannelHandlerContext ctx, MqttMessage message) {
        if (closing) {
            // MQTT-4.8.0-1: once a packet has closed the connection, nothing sent after it is processed.
            ReferenceCountUtil.release(message);
            return;
        }
        MqttMessage admitted;
        try {
            admitted = admit(ctx, message);
            if (admitted == null) {
                ReferenceCountUtil.release(message);
                return;
            }
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(message);
            LOG.warn(
                    "Client {} from {}: error handling a packet ({}), disconnecting.", name(), peer(ctx), e.toString());
            LOG.debug("Packet handling failure", e);
            close(ctx);
            return;
        }
        if (admitted instanceof MqttConnectMessage) {
            awaitingCore = true;
        }
        ctx.fireChannelRead(admitted);
    }

    private void releaseHeldWhenCoreIsReady(ChannelHandlerContext ctx, int attempt) {
        if (!ctx.channel().isActive()) {
            // channelInactive hands what is held to the core, then reports the close.
            return;
        }
        if (!coreConnected.test(ctx.channel())) {
            if (attempt >= 5_000) {
                LOG.warn("Client {}: the MQTT core did not finish the CONNECT, disconnecting.", name());
                ctx.close();
                return;
            }
            ctx.executor().schedule(() -> releaseHeldWhenCoreIsReady(ctx, attempt + 1), 1, TimeUnit.MILLISECONDS);
            return;
        }
        passHeldOn(ctx);
        ctx.channel().config().setAutoRead(true);
    }

    /** The core has accepted the CONNECT: what came after it goes on, in order. */
    private void passHeldOn(ChannelHandlerContext ctx) {
        awaitingCore = false;
        if (held.isEmpty()) {
            if (closeWhenCoreIsReady) {
                close(ctx);
            }
            return;
        }
        while (!held.isEmpty()) {
            handle(ctx, held.poll());
        }
        ctx.fireChannelReadComplete();
        if (closeWhenCoreIsReady) {
            close(ctx);
        }
    }

    private void releaseHeld() {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
    }

    /**
     * Returns what goes on to the MQTT core (the message, or a CONNECT with a generated client id), or null when the
     * message has been answered or the socket closed.
     */
    private @Nullable MqttMessage admit(ChannelHandlerContext ctx, MqttMessage message) {
        if (message.decoderResult().isFailure()) {
            Throwable cause = message.decoderResult().cause();
            if (!connectSeen
                    && cause instanceof MqttUnacceptableProtocolVersionException
                    && String.valueOf(cause.getMessage()).startsWith("MQTT ")) {
                // MQTT-3.1.2-2: protocol name MQTT with a level we do not speak gets CONNACK 0x01, then the close
                // (Netty cannot tell us more; any other protocol name is just closed).
                LOG.info("Client from {} refused: unsupported protocol level.", peer(ctx));
                connectSeen = true;
                refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
                return null;
            }
            LOG.info(
                    "Client {} from {} sent a malformed packet ({}), disconnecting.",
                    name(),
                    peer(ctx),
                    message.decoderResult().cause().getMessage());
            close(ctx);
            return null;
        }
        if (refused) {
            // MQTT-3.1.4-5: nothing a refused client sent after its CONNECT is processed.
            return null;
        }
        MqttMessageType type = message.fixedHeader().messageType();
        stats.messageReceived(type == MqttMessageType.PUBLISH);
        String violation = PacketRules.violation(message, listener.topicLimits());
        if (violation != null) {
            LOG.info("Client {} from {} broke the protocol ({}), disconnecting.", name(), peer(ctx), violation);
            close(ctx);
            return null;
        }
        if (type == MqttMessageType.CONNECT) {
            if (connectSeen) {
                LOG.info("Client {} from {} sent a second CONNECT, disconnecting.", name(), peer(ctx));
                close(ctx);
                return null;
            }
            connectSeen = true;
            return admitConnect(ctx, (MqttConnectMessage) message);
        }
        if (!connectSeen) {
            LOG.info("Connection from {} sent {} before CONNECT, disconnecting.", peer(ctx), type);
            close(ctx);
            return null;
        }
        if (type == MqttMessageType.DISCONNECT) {
            disconnectSeen = true;
        }
        if (type == MqttMessageType.PUBLISH) {
            return admitPublish(ctx, (MqttPublishMessage) message) ? message : null;
        }
        return message;
    }

    private @Nullable MqttConnectMessage admitConnect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        var header = connect.variableHeader();
        var payload = connect.payload();
        clientId = payload.clientIdentifier();
        int level = header.version();
        if (clientId == null || clientId.isEmpty()) {
            if (!listener.allowZeroLengthClientId() || !header.isCleanSession()) {
                LOG.info("Client from {} refused: empty client id.", peer(ctx));
                refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
                return null;
            }
            // Named here, as Mosquitto does, so every later log line and the core agree on the id.
            clientId = "auto-" + UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
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
        if (level == 5) {
            LOG.info("Client {} from {} refused: MQTT 5 is not supported (MQTT 3.1 and 3.1.1 are).", name(), peer(ctx));
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION);
            return null;
        }
        if (level != 3 && level != 4) {
            LOG.info("Client {} from {} refused: unknown protocol level {}.", name(), peer(ctx), level);
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
            return null;
        }
        int keepAlive = header.keepAliveTimeSeconds();
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
        Optional<String> user = header.hasUserName() ? Optional.ofNullable(payload.userName()) : Optional.empty();
        Optional<byte[]> password =
                header.hasPassword() ? Optional.ofNullable(payload.passwordInBytes()) : Optional.empty();
        ConnectGate.Verdict verdict = listener.gate()
                .check(new ConnectGate.Attempt(
                        listener.description(),
                        peer(ctx),
                        host(ctx),
                        name(),
                        user,
                        password,
                        level,
                        peerCertificate(ctx)));
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
        if (header.isWillFlag()
                && !admission.mayPublish(payload.willTopic(), header.willQos(), header.isWillRetain())) {
            // Mosquitto accepts the client and never publishes a will it may not write.
            LOG.debug(
                    "Denied will of {} (user {}) on '{}': not allowed to publish there.",
                    name(),
                    username,
                    payload.willTopic());
            connect = withoutWill(connect);
        }
        connectSummary = "p" + (level == 4 ? 2 : 1) + ", c" + (header.isCleanSession() ? 1 : 0) + ", k" + keepAlive
                + (username != null ? ", u'" + username + "'" : "");
        return connect;
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
                        h.keepAliveTimeSeconds()),
                new MqttConnectPayload(
                        p.clientIdentifier(),
                        p.willProperties(),
                        null,
                        (byte[]) null,
                        p.userName(),
                        p.passwordInBytes()));
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

    private boolean admitPublish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        MqttFixedHeader h = publish.fixedHeader();
        if (admission != null && !admission.mayPublish(topic, h.qosLevel().value(), h.isRetain())) {
            LOG.debug(
                    "Denied PUBLISH from {} (user {}) to '{}' (q{}, r{}): not allowed to write there.",
                    name(),
                    username,
                    topic,
                    h.qosLevel().value(),
                    h.isRetain() ? 1 : 0);
            // MQTT 3.1.1 cannot say "denied": acknowledge and drop, as Mosquitto does.
            acknowledgeDropped(ctx, publish);
            return false;
        }
        int limit = listener.messageSizeLimit();
        if (limit > 0 && publish.payload().readableBytes() > limit) {
            LOG.info(
                    "Dropped too large PUBLISH from {} (q{}, r{}, '{}', ... ({} bytes)).",
                    name(),
                    publish.fixedHeader().qosLevel().value(),
                    publish.fixedHeader().isRetain() ? 1 : 0,
                    publish.variableHeader().topicName(),
                    publish.payload().readableBytes());
            // MQTT 3.1.1 has no way to say "too large": acknowledge and drop, as Mosquitto does.
            acknowledgeDropped(ctx, publish);
            return false;
        }
        return true;
    }

    private void acknowledgeDropped(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        int id = publish.variableHeader().packetId();
        MqttQoS qos = publish.fixedHeader().qosLevel();
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(id).build());
        } else if (qos == MqttQoS.EXACTLY_ONCE) {
            ctx.writeAndFlush(Acks.pubRec(id));
        }
    }

    /** Closes the connection for something the client sent; what it sent after that is dropped. */
    private void close(ChannelHandlerContext ctx) {
        closing = true;
        ctx.close();
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

    private void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code) {
        refused = true;
        MqttConnAckMessage connAck = MqttMessageBuilders.connAck()
                .returnCode(code)
                .sessionPresent(false)
                .build();
        ctx.writeAndFlush(connAck).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        Object out = msg;
        if (msg instanceof MqttMessage message && message.fixedHeader() != null) {
            MqttMessageType type = message.fixedHeader().messageType();
            stats.messageSent(type == MqttMessageType.PUBLISH);
            if (type == MqttMessageType.CONNACK && !refused && !connected) {
                onConnAck(ctx, (MqttConnAckMessage) message);
                if (connected) {
                    Runnable release = () -> ctx.executor().execute(() -> releaseHeldWhenCoreIsReady(ctx, 0));
                    if (promise.isVoid()) {
                        release.run();
                    } else {
                        promise.addListener(f -> release.run());
                    }
                }
            } else if (type == MqttMessageType.PUBLISH) {
                out = flagRetained((MqttPublishMessage) message);
            }
        }
        ctx.write(out, promise);
    }

    private MqttPublishMessage flagRetained(MqttPublishMessage publish) {
        MqttFixedHeader h = publish.fixedHeader();
        if (h.isRetain()) {
            if (clientId != null) {
                retained.consume(clientId, publish.variableHeader().topicName(), publish.payload());
            }
            return publish;
        }
        if (clientId == null
                || !retained.consume(clientId, publish.variableHeader().topicName(), publish.payload())) {
            return publish;
        }
        return new MqttPublishMessage(
                new MqttFixedHeader(h.messageType(), h.isDup(), h.qosLevel(), true, h.remainingLength()),
                publish.variableHeader(),
                publish.payload());
    }

    private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage connAck) {
        if (connAck.variableHeader().connectReturnCode() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            return;
        }
        connected = true;
        releasePending();
        stats.clientConnected();
        if (admission != null && clientId != null) {
            admission.connected(clientId, cleanSession, () -> ctx.channel().close());
        }
        if (listener.connectionMessages()) {
            LOG.info("New client connected from {} as {} ({}).", peer(ctx), name(), connectSummary);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (awaitingCore && !held.isEmpty()) {
            // A client may send PUBLISH and DISCONNECT and close before the core has finished its CONNECT: what it
            // sent was received, so it is handed on before the close is (Mosquitto processes it too).
            finishHeldThenClose(ctx, 0);
            return;
        }
        closed(ctx);
    }

    private void finishHeldThenClose(ChannelHandlerContext ctx, int attempt) {
        if (!coreConnected.test(ctx.channel()) && attempt < 1_000) {
            ctx.executor().schedule(() -> finishHeldThenClose(ctx, attempt + 1), 1, TimeUnit.MILLISECONDS);
            return;
        }
        if (coreConnected.test(ctx.channel())) {
            passHeldOn(ctx);
        }
        closed(ctx);
    }

    private void releasePending() {
        if (pendingAddress != null) {
            listener.pending().release(pendingAddress);
            pendingAddress = null;
        }
    }

    private void closed(ChannelHandlerContext ctx) {
        releasePending();
        releaseHeld();
        if (clientId != null) {
            retained.forget(clientId);
            if (admission != null && connected) {
                admission.disconnected(clientId);
            }
        }
        if (connected) {
            stats.clientDisconnected();
            if (listener.connectionMessages()) {
                if (disconnectSeen) {
                    LOG.info("Client {} disconnected.", name());
                } else {
                    LOG.info("Client {} closed its connection.", name());
                }
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof MalformedPacket malformed) {
            LOG.info(
                    "Client {} from {} sent a malformed packet ({}), disconnecting.",
                    name(),
                    peer(ctx),
                    malformed.reason());
            if (awaitingCore) {
                // Closed once the core has finished the CONNECT (moquette#821), after the packets before this one.
                closeWhenCoreIsReady = true;
                ctx.channel().config().setAutoRead(false);
            } else {
                close(ctx);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("Socket error on client {} from {} ({}), disconnecting.", name(), peer(ctx), cause.toString());
        LOG.debug("Socket error", cause);
        ctx.close();
    }

    private String name() {
        return clientId == null || clientId.isEmpty() ? "<unknown>" : clientId;
    }

    private static Optional<X509Certificate> peerCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? Optional.of(x509) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    static String host(ChannelHandlerContext ctx) {
        SocketAddress address = ctx.channel().remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    static String peer(ChannelHandlerContext ctx) {
        SocketAddress address = ctx.channel().remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
