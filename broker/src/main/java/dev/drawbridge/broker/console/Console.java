package dev.drawbridge.broker.console;

import dev.drawbridge.broker.conf.ConsoleConfig;
import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.security.ConsoleLogin;
import dev.drawbridge.broker.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running console: one {@code protocol http_api} listener with its own I/O thread (a busy console never slows MQTT
 * delivery), HTTP/1.1 with small request limits, TLS through the same {@link ServerTls} as the MQTT listeners.
 */
public final class Console implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    /** The largest request body: a login or a disconnect form is a few hundred bytes. */
    static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** A connection that sends nothing for this long is closed. */
    static final int IDLE_SECONDS = 60;

    /**
     * Test-only: how long a live view may go unpolled, as an ISO-8601 duration ({@code PT3S}); a minute unless set.
     * Lets a test see the sweep end a view without waiting a minute; not an option for users.
     */
    static final String UNPOLLED_PROPERTY = "drawbridge.test.live-view-unpolled";

    private final EventLoopGroup group;
    private final Channel server;
    private final ChannelGroup connections;
    private final LogRing log;
    private final InetSocketAddress address;
    private final ConsoleLogin login;
    private final LiveViews live;

    private Console(
            EventLoopGroup group,
            Channel server,
            ChannelGroup connections,
            LogRing log,
            InetSocketAddress address,
            ConsoleLogin login,
            LiveViews live) {
        this.login = login;
        this.live = live;
        this.group = group;
        this.server = server;
        this.connections = connections;
        this.log = log;
        this.address = address;
    }

    /** Binds the console's listener; the log ring starts keeping lines from here on. */
    public static Console start(ConsoleConfig config, Optional<ServerTls> tls, ConsoleLogin login, BrokerView broker)
            throws IOException {
        return start(config, tls, login, broker, MqttListeners.NONE);
    }

    /**
     * Binds the console's listener; with a CA directory ({@code console_ca_dir}) its devices page works on it and
     * reloads {@code listeners} after a revoke or renewal.
     */
    public static Console start(
            ConsoleConfig config,
            Optional<ServerTls> tls,
            ConsoleLogin login,
            BrokerView broker,
            MqttListeners listeners)
            throws IOException {
        ListenerConfig listener = config.listener();
        LogRing log = LogRing.attach();
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("drawbridge-console", true));
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ConsoleSessions sessions = new ConsoleSessions(Clock.systemUTC());
        Duration unpolled = unpolledTime();
        LiveViews live = new LiveViews(broker.engine(), group.next(), Clock.systemUTC(), unpolled);
        // Six sweeps per unpolled time (every 10 s for the minute): a view ends within 70 s of its last poll.
        long sweepMillis = Math.max(1, unpolled.toMillis() / 6);
        group.scheduleAtFixedRate(() -> live.sweep(sessions::isLive), sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        ConsoleHandler handler = new ConsoleHandler(
                listener.describe(),
                tls.isPresent(),
                sessions,
                login,
                broker,
                log,
                StaticFiles.load(),
                new DevicesRequests(config.caDirectory(), tls.isPresent(), listeners, Clock.systemUTC(), login),
                new Topics(broker.engine(), user -> broker.security().consoleReader(config, user), live));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        tls.ifPresent(t -> p.addLast("ssl", t.newHandler(ch.alloc())));
                        p.addLast("idle", new ReadTimeoutHandler(IDLE_SECONDS));
                        p.addLast("http", new HttpServerCodec());
                        p.addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
                        p.addLast("console", handler);
                    }
                });
        InetSocketAddress bind = new InetSocketAddress(listener.bindAddress().orElse("0.0.0.0"), listener.port());
        try {
            Channel server = bootstrap.bind(bind).sync().channel();
            InetSocketAddress local = (InetSocketAddress) server.localAddress();
            LOG.info(
                    "Opening http_api{} listen socket on {} port {}.",
                    tls.isPresent() ? " (TLS)" : "",
                    local.getAddress().getHostAddress(),
                    local.getPort());
            return new Console(group, server, connections, log, local, login, live);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            live.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            log.detach();
            throw new IOException("interrupted while binding " + listener.describe(), e);
        } catch (Exception e) {
            live.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            log.detach();
            throw new IOException("listener " + listener.describe() + ": cannot bind: " + e.getMessage(), e);
        }
    }

    private static Duration unpolledTime() {
        String value = System.getProperty(UNPOLLED_PROPERTY);
        if (value == null) {
            return LiveViews.UNPOLLED;
        }
        try {
            Duration unpolled = Duration.parse(value);
            if (!unpolled.isNegative() && !unpolled.isZero()) {
                return unpolled;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        LOG.warn(
                "-D{}: expected a positive ISO-8601 duration such as PT3S, found '{}'; ending unpolled live views"
                        + " after {}",
                UNPOLLED_PROPERTY,
                value,
                LiveViews.UNPOLLED);
        return LiveViews.UNPOLLED;
    }

    /** Where it listens; a port asked as 0 shows the real port. */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * A SIGHUP: the password file read again. A user removed from it, or whose password changed, is logged out at
     * the next request; on a problem the previous logins stay, and it is logged.
     */
    public void reloadLogins() {
        login.reload();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        live.close(); // before the loop stops: each view's session ends on it
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.detach();
    }
}
