package dev.drawbridge.broker.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.bridge.BridgeConfig;
import dev.drawbridge.broker.bridge.BridgeTls;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.testing.TestPki;
import dev.drawbridge.broker.testing.TestPki.Issued;
import dev.drawbridge.keystores.KeyMaterial;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A bridge's TLS ({@link BridgeTls}) in a plain Netty client pipeline, against real TLS servers that require a client
 * certificate: the real Mosquitto 2.0.11 and a Drawbridge TLS listener, with certificates made at test time. Each
 * link that comes up carries a raw MQTT CONNECT and must get CONNACK 0. Failsafe runs this class twice: with the
 * default TLS provider (OpenSSL where it loads) and with {@code -Ddrawbridge.tls.provider=jdk}.
 */
class BridgeTlsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CONNACK_ACCEPTED = "CONNACK 20020000";

    /** The remote broker the bridge connects to. */
    enum Remote {
        MOSQUITTO,
        DRAWBRIDGE
    }

    @TempDir
    Path dir;

    private TestPki pki;
    private Issued bridgeCertificate;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();

    @BeforeEach
    void pki() throws Exception {
        pki = TestPki.create(dir, "remote");
        bridgeCertificate = pki.client("house2");
    }

    @AfterEach
    void close() throws Exception {
        try {
            channels.forEach(c -> c.close().awaitUninterruptibly(5, TimeUnit.SECONDS));
            for (AutoCloseable server : servers) {
                server.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Remote.class)
    void theRightCaAndClientCertificateCarryAnMqttConnect(Remote remote) throws Exception {
        int port = start(remote, pki.server("server"));
        SslContext context = BridgeTls.clientContext(tls(pki.caFile(), Optional.of(bridgeCertificate)));

        assertThat(answer(context, "localhost", port, false)).isEqualTo(CONNACK_ACCEPTED);
        assertThat(answer(context, "127.0.0.1", port, false))
                .as("an IP address checked against the certificate's IP addresses")
                .isEqualTo(CONNACK_ACCEPTED);
    }

    @ParameterizedTest
    @EnumSource(Remote.class)
    void aRemoteCertificateOfAnotherCaIsRefused(Remote remote) throws Exception {
        int port = start(remote, pki.server("server"));
        TestPki stranger = TestPki.create(Files.createDirectory(dir.resolve("stranger")), "stranger");

        SslContext wrongCa = BridgeTls.clientContext(tls(stranger.caFile(), Optional.of(bridgeCertificate)));
        assertThat(answer(wrongCa, "localhost", port, false)).startsWith("handshake failed");
        SslContext rightCa = BridgeTls.clientContext(tls(pki.caFile(), Optional.of(bridgeCertificate)));
        assertThat(answer(rightCa, "localhost", port, false)).isEqualTo(CONNACK_ACCEPTED);
    }

    @ParameterizedTest
    @EnumSource(Remote.class)
    void aCertificateForAnotherHostIsRefusedUnlessInsecure(Remote remote) throws Exception {
        int port = start(remote, pki.serverFor("other", "other.example"));
        SslContext context = BridgeTls.clientContext(tls(pki.caFile(), Optional.of(bridgeCertificate)));

        assertThat(answer(context, "localhost", port, false))
                .as("localhost against a certificate for other.example")
                .startsWith("handshake failed");
        assertThat(answer(context, "127.0.0.1", port, false))
                .as("127.0.0.1 against a certificate for other.example")
                .startsWith("handshake failed");
        assertThat(answer(context, "localhost", port, true))
                .as("bridge_insecure true: the host is not checked, the CA still is")
                .isEqualTo(CONNACK_ACCEPTED);
    }

    @ParameterizedTest
    @EnumSource(Remote.class)
    void withoutAClientCertificateTheRemoteRefusesTheBridge(Remote remote) throws Exception {
        int port = start(remote, pki.server("server"));

        SslContext anonymous = BridgeTls.clientContext(tls(pki.caFile(), Optional.empty()));
        // TLS 1.3: the client's handshake may end before the server judges its (missing) certificate; either way no
        // MQTT answer comes.
        assertThat(answer(anonymous, "localhost", port, false)).isNotEqualTo(CONNACK_ACCEPTED);
        SslContext withCertificate = BridgeTls.clientContext(tls(pki.caFile(), Optional.of(bridgeCertificate)));
        assertThat(answer(withCertificate, "localhost", port, false)).isEqualTo(CONNACK_ACCEPTED);
    }

    @ParameterizedTest
    @EnumSource(Remote.class)
    void aCapathWithTheRemotesCaIsTrusted(Remote remote) throws Exception {
        int port = start(remote, pki.server("server"));
        Path capath = Files.createDirectory(dir.resolve("capath"));
        Files.copy(pki.caFile(), capath.resolve("remote-ca.pem"));
        BridgeConfig.Tls tls = new BridgeConfig.Tls(
                Optional.empty(),
                Optional.of(capath),
                Optional.of(bridgeCertificate.cert()),
                Optional.of(bridgeCertificate.key()),
                false,
                Optional.empty(),
                Optional.empty());

        assertThat(answer(BridgeTls.clientContext(tls), "localhost", port, false))
                .isEqualTo(CONNACK_ACCEPTED);
    }

    /** {@code bridge_tls_version tlsv1.3} offers TLS 1.3 only; {@code tlsv1.2} (the lowest) 1.2 and 1.3. */
    @Test
    void tlsVersionIsTheLowestVersionOffered() throws Exception {
        int tls12Only = plainTlsServer("TLSv1.2", null);
        int port = start(Remote.MOSQUITTO, pki.server("server"));

        SslContext tls13 = BridgeTls.clientContext(tlsVersion("TLSv1.3", Optional.empty()));
        assertThat(handshake(tls13, tls12Only).failure())
                .as("a TLS 1.3 bridge and a TLS 1.2 server")
                .isNotNull();
        SslContext tls12 = BridgeTls.clientContext(tlsVersion("TLSv1.2", Optional.empty()));
        assertThat(handshake(tls12, tls12Only).protocol()).isEqualTo("TLSv1.2");

        SslContext tls13WithCertificate =
                BridgeTls.clientContext(tlsVersion("TLSv1.3", Optional.of(bridgeCertificate)));
        Link link = handshake(tls13WithCertificate, port);
        assertThat(link.protocol()).as("against Mosquitto").isEqualTo("TLSv1.3");
        assertThat(link.mqttAnswer()).isEqualTo(CONNACK_ACCEPTED);
    }

    /** {@code bridge_alpn}: the one protocol offered, which a server that speaks it selects. */
    @Test
    void alpnOffersTheConfiguredProtocol() throws Exception {
        int port = plainTlsServer("TLSv1.3", "x-mqtt");
        BridgeConfig.Tls withAlpn = new BridgeConfig.Tls(
                Optional.of(pki.caFile()),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                Optional.of("x-mqtt"));

        assertThat(handshake(BridgeTls.clientContext(withAlpn), port).applicationProtocol())
                .isEqualTo("x-mqtt");
        assertThat(handshake(BridgeTls.clientContext(tls(pki.caFile(), Optional.empty())), port)
                        .applicationProtocol())
                .as("without bridge_alpn")
                .isNull();
    }

    // ---- the remote brokers ----

    /** A TLS listener on 127.0.0.1 that requires a client certificate of the test CA. */
    private int start(Remote remote, Issued server) throws Exception {
        List<String> lines = List.of(
                "cafile " + pki.caFile(),
                "certfile " + server.cert(),
                "keyfile " + server.key(),
                "require_certificate true");
        Path folder = Files.createDirectories(dir.resolve(remote.name().toLowerCase(Locale.ROOT)));
        if (remote == Remote.MOSQUITTO) {
            // Started as root, Mosquitto would drop to its own user before reading the owner-only test files.
            List<String> asRoot = new ArrayList<>(lines);
            asRoot.add("user root");
            MosquittoBroker mosquitto = MosquittoBroker.start(folder, asRoot);
            servers.add(mosquitto);
            return mosquitto.port();
        }
        Drawbridge drawbridge = DrawbridgeBroker.start(folder, lines);
        servers.add(drawbridge);
        return drawbridge.port();
    }

    /** A TLS server of the JDK (no MQTT) that speaks only {@code version}, selecting {@code alpn} if offered. */
    private int plainTlsServer(String version, @Nullable String alpn) throws Exception {
        Issued plain = pki.server("plain-" + version + "-" + alpn);
        KeyMaterial key = KeyMaterial.load(plain.key(), plain.cert(), null);
        SslContextBuilder builder = SslContextBuilder.forServer(key.key(), key.chainArray())
                .sslProvider(SslProvider.JDK)
                .protocols(version);
        if (alpn != null) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    alpn));
        }
        SslContext context = builder.build();
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(context.newHandler(ch.alloc()));
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
        channels.add(server);
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    // ---- the bridge's side: a plain Netty client with BridgeTls's handler ----

    private static BridgeConfig.Tls tls(Path cafile, Optional<Issued> client) {
        return new BridgeConfig.Tls(
                Optional.of(cafile),
                Optional.empty(),
                client.map(Issued::cert),
                client.map(Issued::key),
                false,
                Optional.empty(),
                Optional.empty());
    }

    private BridgeConfig.Tls tlsVersion(String version, Optional<Issued> client) {
        return new BridgeConfig.Tls(
                Optional.of(pki.caFile()),
                Optional.empty(),
                client.map(Issued::cert),
                client.map(Issued::key),
                false,
                Optional.of(version),
                Optional.empty());
    }

    /** What the remote answers an MQTT CONNECT sent over a link to {@code host} (connected at 127.0.0.1:port). */
    private String answer(SslContext context, String host, int port, boolean insecure) {
        Link link = link(context, host, port, insecure);
        Throwable failure = link.failure();
        return failure != null ? "handshake failed: " + failure : link.mqttAnswer();
    }

    private Link handshake(SslContext context, int port) {
        return link(context, "localhost", port, false);
    }

    private Link link(SslContext context, String host, int port, boolean insecure) {
        Received received = new Received();
        BridgeConfig.Address address = new BridgeConfig.Address(host, port);
        // Kept as made: a refused handshake may close the channel, and empty its pipeline, before connect returns.
        CompletableFuture<SslHandler> made = new CompletableFuture<>();
        Channel channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler handler = BridgeTls.handler(context, ch.alloc(), address, insecure);
                        made.complete(handler);
                        ch.pipeline().addLast(handler, received);
                    }
                })
                .connect("127.0.0.1", port)
                .syncUninterruptibly()
                .channel();
        channels.add(channel);
        SslHandler ssl = made.join();
        Future<Channel> handshake = ssl.handshakeFuture().awaitUninterruptibly();
        assertThat(handshake.isDone()).as("handshake done within the wait").isTrue();
        return new Link(channel, ssl, received, handshake.cause());
    }

    /** One client connection after its handshake. */
    private record Link(
            Channel channel,
            SslHandler ssl,
            Received received,
            @Nullable Throwable failure) {

        @Nullable
        String protocol() {
            return failure == null ? ssl.engine().getSession().getProtocol() : null;
        }

        @Nullable
        String applicationProtocol() {
            assertThat(failure).as("handshake").isNull();
            return ssl.applicationProtocol();
        }

        /** Sends an MQTT 3.1.1 CONNECT and describes the answer: the CONNACK's bytes, or the close without one. */
        String mqttAnswer() {
            channel.writeAndFlush(
                    Unpooled.wrappedBuffer(Connect.mqtt311("house2-bridge").bytes()));
            Awaitility.await("a CONNACK or the close")
                    .atMost(WAIT)
                    .until(() -> received.bytes().length >= 4 || received.closed());
            byte[] bytes = received.bytes();
            return bytes.length >= 4
                    ? "CONNACK " + ByteBufUtil.hexDump(bytes, 0, 4)
                    : "closed without a CONNACK" + (received.failure() == null ? "" : " (" + received.failure() + ")");
        }
    }

    /** What came back on a client connection, and whether it closed. */
    private static final class Received extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile boolean closed;
        private volatile @Nullable Throwable failure;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf buf) {
                    synchronized (bytes) {
                        bytes.write(ByteBufUtil.getBytes(buf), 0, buf.readableBytes());
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed = true;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure = cause;
            ctx.close();
        }

        byte[] bytes() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }

        boolean closed() {
            return closed;
        }

        @Nullable
        Throwable failure() {
            return failure;
        }
    }
}
