package dev.drawbridge.broker.bridge;

import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.security.BridgeAccess;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The broker's running bridges. They share one event loop thread of their own: a bridge's remote socket and its
 * in-process client then live on the same thread (no lock between the two sides, no hop per message), a slow plugin
 * asked for a bridged message holds up only the bridges, and the broker's listener threads stay the listener layer's.
 */
public final class Bridges implements AutoCloseable {

    private final @Nullable EventLoopGroup group;
    private final List<Bridge> running;

    private Bridges(@Nullable EventLoopGroup group, List<Bridge> running) {
        this.group = group;
        this.running = List.copyOf(running);
    }

    /**
     * Why this version does not run a bridge ({@code FILE:LINE: reason}), or empty if it does: it must not start
     * without it, which would lose what the bridge should carry.
     */
    public static Optional<String> notRun(BridgeConfig config) {
        String at = config.where() + ": connection " + config.name() + ": ";
        if (config.tls().isPresent()) {
            return Optional.of(at + "TLS bridges are not yet run by this version");
        }
        if (config.startType() != BridgeConfig.StartType.AUTOMATIC) {
            return Optional.of(at + "start_type " + config.startType().name().toLowerCase(Locale.ROOT)
                    + " is not yet run by this version; only automatic is");
        }
        return Optional.empty();
    }

    /** No bridges. */
    public static Bridges none() {
        return new Bridges(null, List.of());
    }

    /**
     * Starts every bridge in the background; none waits for its remote broker.
     *
     * @param access the rights of a bridge's local client, given its client id and {@code local_username}
     */
    public static Bridges start(
            List<BridgeConfig> configs, Engine engine, BiFunction<String, Optional<String>, BridgeAccess> access) {
        if (configs.isEmpty()) {
            return none();
        }
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("drawbridge-bridge", true));
        String hostname = hostname();
        List<Bridge> bridges = new ArrayList<>();
        for (BridgeConfig config : configs) {
            BridgeNames names = BridgeNames.of(config, hostname);
            Bridge bridge = new Bridge(
                    config,
                    names,
                    engine,
                    access.apply(names.localClientId(), config.local().username()),
                    group.next(),
                    RemoteConnection.TlsHandlers.NONE);
            bridges.add(bridge);
            bridge.start();
        }
        return new Bridges(group, bridges);
    }

    /** This machine's name, as Mosquitto's {@code gethostname} gives it for the default client ids. */
    static String hostname() {
        try {
            // The JDK takes the local host's name from gethostname(), as Mosquitto does.
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Disconnects every bridge from its remote broker and ends its local client; the thread is gone afterwards. */
    @Override
    public void close() {
        if (group == null) {
            return;
        }
        running.forEach(Bridge::stop);
        // The quiet period lets the DISCONNECTs go out and the local clients end before the loop stops.
        group.shutdownGracefully(200, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
