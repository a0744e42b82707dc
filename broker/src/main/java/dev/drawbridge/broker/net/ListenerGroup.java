package dev.drawbridge.broker.net;

import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.sys.BrokerStats;
import dev.drawbridge.broker.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens every configured listener, each on its own address with its own pipeline, all feeding one engine. Each
 * connection's {@link IdleCloser} starts with the CONNECT deadline; the engine's link sets it to the client's keepalive.
 */
public final class ListenerGroup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerGroup.class);
    private static final String WEBSOCKET_SUBPROTOCOLS = "mqtt, mqttv3.1, mqttv3.1.1";
    /** A connection that has not completed an accepted CONNECT by then is closed, however slowly it trickles. */
    static final int CONNECT_DEADLINE_SECONDS = 10;

    /** One listener to open, with what its connections need. */
    public record Spec(ListenerConfig config, ListenerSettings settings, int maxPacketSize, Optional<ServerTls> tls) {}

    private final Transport transport = Transport.choose();
    private final AdaptiveRecvByteBufAllocator receiveBuffers = new AdaptiveRecvByteBufAllocator();
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final List<Channel> serverChannels = new ArrayList<>();
    /**
     * Open client sockets, closed at stop; each leaves as it closes. A set and one close listener per listener rather
     * than a ChannelGroup, whose own close listener would be a second one on every connection.
     */
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();

    private final List<BoundListener> bound = new ArrayList<>();
    /** Each listener's settings now: a new connection takes the whole record current when it is accepted. */
    private final List<AtomicReference<Spec>> current = new ArrayList<>();
    /** Open client sockets on every listener, for {@code global_max_connections}. */
    private final AtomicInteger allOpen = new AtomicInteger();

    private final int globalMaxConnections;
    /** One keepalive timer per I/O thread, made when its first connection arrives. */
    private final Map<EventExecutor, IdleSweep> sweeps = new ConcurrentHashMap<>();

    private final Function<EventExecutor, IdleSweep> sweepOf = loop -> sweeps.computeIfAbsent(loop, IdleSweep::new);

    /** How many I/O threads serve the connections ({@code -Ddrawbridge.ioThreads}); one per core if not set. */
    static final String IO_THREADS_PROPERTY = "drawbridge.ioThreads";

    private static final int MAX_IO_THREADS = 256;

    private ListenerGroup(int globalMaxConnections, int ioThreads) {
        this.globalMaxConnections = globalMaxConnections;
        acceptors = transport.group(1, "drawbridge-accept");
        workers = transport.group(ioThreads, "drawbridge-io");
    }

    /**
     * The I/O threads a value of {@value #IO_THREADS_PROPERTY} asks for; null: one per core, not Netty's two (a message
     * crosses threads less often, and on 2 cores this did 1.03x Mosquitto's fanin_q0 rate on 1.16x its CPU per
     * message, against 0.83x and 1.66x with 4: bench/README).
     *
     * @throws IllegalArgumentException if the value is anything but a whole number from 1 to 256
     */
    static int ioThreads(@Nullable String value) {
        if (value == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        int threads;
        try {
            threads = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            threads = 0;
        }
        if (threads < 1 || threads > MAX_IO_THREADS) {
            throw new IllegalArgumentException("-D" + IO_THREADS_PROPERTY + ": expected a whole number from 1 to "
                    + MAX_IO_THREADS + ", found '" + value + "'");
        }
        return threads;
    }

    /**
     * Binds every listener or none: on a failure the ones already open are closed again. {@code globalMaxConnections}
     * limits the open client sockets of all listeners together (-1: no limit).
     */
    public static ListenerGroup open(List<Spec> specs, int globalMaxConnections, Engine engine, BrokerStats stats)
            throws IOException {
        ListenerGroup group =
                new ListenerGroup(globalMaxConnections, ioThreads(System.getProperty(IO_THREADS_PROPERTY)));
        try {
            for (Spec spec : specs) {
                group.bind(spec, engine, stats);
            }
            return group;
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    private void bind(Spec first, Engine engine, BrokerStats stats) throws IOException {
        // Its address and protocol are fixed once bound; the rest is read per connection from the current spec.
        ListenerConfig bindConfig = first.config();
        AtomicReference<Spec> live = new AtomicReference<>(first);
        ByteCounter bytes = new ByteCounter(stats);
        TlsHandshakeLog handshakeLog = new TlsHandshakeLog(bindConfig.describe());
        AtomicInteger open = new AtomicInteger();
        // One listener for every connection of this listener, not a lambda per connection held until it closes.
        ChannelFutureListener closed = f -> {
            connections.remove(f.channel());
            open.decrementAndGet();
            allOpen.decrementAndGet();
        };
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // Buffers for a small box are set outside the code, on purpose. Pooling is Netty's allocator as the
                // shipped JVM flags shape it (one direct and one heap arena, maxOrder=7: 1 MB chunks), which took
                // RSS per connection over the first 100 clients from 130 kB to 6-14 kB (bench/README.md,
                // "Footprint"). No WRITE_BUFFER_WATER_MARK: Netty's 32/64 KiB per connection. A session stops
                // draining its queue while its channel is not writable, so the rest waits in the queue, within
                // max_queued_messages, instead of in socket buffers (DiscoveryBurstIT); other marks were not measured.
                // One allocator for every connection (each gets its own small handle): Netty makes one per channel.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, receiveBuffers)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Spec spec = Objects.requireNonNull(live.get(), "always set");
                        ListenerConfig config = spec.config();
                        connections.add(ch);
                        int now = open.incrementAndGet();
                        int all = allOpen.incrementAndGet();
                        ch.closeFuture().addListener(closed);
                        if (globalMaxConnections >= 0 && all > globalMaxConnections) {
                            LOG.info(
                                    "Client connection from {} denied: global_max_connections {} reached.",
                                    ch.remoteAddress(),
                                    globalMaxConnections);
                            ch.close();
                            return;
                        }
                        if (config.maxConnections() >= 0 && now > config.maxConnections()) {
                            LOG.info(
                                    "Client connection from {} denied: max_connections {} reached on {}.",
                                    ch.remoteAddress(),
                                    config.maxConnections(),
                                    config.describe());
                            ch.close();
                            return;
                        }
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("bytes", bytes);
                        if (spec.tls().isPresent()) {
                            p.addLast("helloVersion", ClientHelloVersion.INSTANCE);
                            p.addLast("ssl", spec.tls().get().newHandler(ch.alloc()));
                            p.addLast("tlsLog", handshakeLog);
                        }
                        if (bindConfig.protocol() == ListenerConfig.Protocol.WEBSOCKETS) {
                            p.addLast("http", new HttpServerCodec());
                            p.addLast("aggregator", new HttpObjectAggregator(65536));
                            if (!config.admission().websocketOrigins().isEmpty()) {
                                p.addLast(
                                        "origin",
                                        new WebSocketOriginCheck(
                                                config.admission().websocketOrigins(), config.describe()));
                            }
                            p.addLast(
                                    "webSocket",
                                    new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                            .websocketPath("/")
                                            .checkStartsWith(true)
                                            .subprotocols(WEBSOCKET_SUBPROTOCOLS)
                                            .maxFramePayloadLength(spec.maxPacketSize())
                                            .build()));
                            p.addLast("wsUnwrap", new WebSocketFrames.Unwrap());
                            p.addLast("wsWrap", new WebSocketFrames.Wrap());
                        }
                        IdleCloser idle = new IdleCloser(
                                ch, sweepOf.apply(ch.eventLoop()), CONNECT_DEADLINE_SECONDS, TimeUnit.SECONDS);
                        int limit = remainingLengthLimit(spec.maxPacketSize());
                        p.addLast("frames", FrameValidator.forConnection(limit, idle));
                        p.addLast("decoder", new MqttDecoder(limit));
                        p.addLast("front", new FrontHandler(spec.settings(), stats, idle, engine));
                    }
                });
        ListenerConfig config = bindConfig;
        InetSocketAddress address = bindAddress(config);
        try {
            Channel channel = bootstrap.bind(address).sync().channel();
            serverChannels.add(channel);
            current.add(live);
            InetSocketAddress local = (InetSocketAddress) channel.localAddress();
            bound.add(new BoundListener(config, local));
            LOG.info(
                    "Opening {} listen socket on {} port {}.",
                    (config.protocol() == ListenerConfig.Protocol.WEBSOCKETS ? "websockets" : "ipv4/ipv6")
                            + (first.tls().isPresent() ? " (TLS)" : ""),
                    local.getAddress().getHostAddress(),
                    local.getPort());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + config.describe(), e);
        } catch (Exception e) {
            // Netty rethrows the bind's checked exception (e.g. BindException) from sync().
            throw new IOException("listener " + config.describe() + ": cannot bind: " + e.getMessage(), e);
        }
    }

    /**
     * {@code max_packet_size} counts the whole packet, as Mosquitto documents it; the frame validator (and Netty's
     * decoder behind it) limit the remaining length, which excludes the type byte and the length bytes.
     */
    static int remainingLengthLimit(int maxPacketSize) {
        if (maxPacketSize >= BrokerConfig.PROTOCOL_MAX_PACKET_SIZE) {
            return maxPacketSize;
        }
        int lengthBytes = maxPacketSize < 128 ? 1 : maxPacketSize < 16_384 ? 2 : maxPacketSize < 2_097_152 ? 3 : 4;
        return Math.max(0, maxPacketSize - 1 - lengthBytes);
    }

    private static InetSocketAddress bindAddress(ListenerConfig config) {
        if (config.bindAddress().isPresent()) {
            return new InetSocketAddress(config.bindAddress().get(), config.port());
        }
        return switch (config.socketDomain()) {
            case IPV4 -> new InetSocketAddress("0.0.0.0", config.port());
            case IPV6 -> new InetSocketAddress("::", config.port());
            case ANY -> new InetSocketAddress(config.port());
        };
    }

    /**
     * Reloaded settings for the listener at this position: connections accepted from now on use them, open ones keep
     * theirs. Its port, address and protocol stay those it was bound with.
     */
    public void update(int index, Spec spec) {
        current.get(index).set(spec);
    }

    public List<BoundListener> bound() {
        return List.copyOf(bound);
    }

    /**
     * Stops accepting and closes every connection, telling MQTT 5 clients why (the engine then publishes the wills of
     * those that did not disconnect). Waits at most 5 s.
     */
    public void closeConnections() {
        for (Channel channel : serverChannels) {
            channel.close().syncUninterruptibly();
        }
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel connection : connections) {
            FrontHandler front = connection.pipeline().get(FrontHandler.class);
            ChannelHandlerContext ctx = connection.pipeline().context(FrontHandler.class);
            if (front == null || ctx == null) {
                closing.add(connection.close());
                continue;
            }
            connection.eventLoop().execute(() -> front.serverShuttingDown(ctx));
            closing.add(connection.closeFuture());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ChannelFuture future : closing) {
            future.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** Closes everything and stops the I/O threads; then the engine may be closed. */
    @Override
    public void close() {
        closeConnections();
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
