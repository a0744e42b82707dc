package dev.drawbridge.broker.bridge;

import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.security.BridgeAccess;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
     * The bridges of a configuration made ready to start, or every reason they cannot: a bridge this version does not
     * run ({@code start_type lazy} or {@code once}: starting without it would lose what it should carry), or TLS
     * material that cannot be used. Each TLS bridge's client context is built here, once, for all its connections.
     */
    public static Ready ready(List<BridgeConfig> configs) throws BridgeStartException {
        List<String> problems = new ArrayList<>();
        Map<String, SslContext> contexts = new HashMap<>();
        for (BridgeConfig config : configs) {
            String at = config.where() + ": connection " + config.name() + ": ";
            if (config.startType() != BridgeConfig.StartType.AUTOMATIC) {
                problems.add(at + "start_type " + config.startType().name().toLowerCase(Locale.ROOT)
                        + " is not yet run by this version; only automatic is; starting without the bridge would lose"
                        + " what it should carry, so Drawbridge does not start");
            }
            if (config.tls().isPresent()) {
                try {
                    contexts.put(
                            config.name(), BridgeTls.clientContext(config.tls().get()));
                } catch (BridgeTlsException e) {
                    problems.add(at + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new BridgeStartException(problems);
        }
        return new Ready(configs, contexts);
    }

    /**
     * Bridges that can start: their configs and, by connection name, each TLS bridge's client context.
     *
     * @param configs the bridges
     * @param contexts the client context of each TLS bridge, by its {@code connection} name
     */
    public record Ready(List<BridgeConfig> configs, Map<String, SslContext> contexts) {
        public Ready {
            configs = List.copyOf(configs);
            contexts = Map.copyOf(contexts);
            for (BridgeConfig config : configs) {
                // Fail closed: a TLS bridge without its context would otherwise connect in the clear.
                if (config.tls().isPresent() != contexts.containsKey(config.name())) {
                    throw new IllegalArgumentException("connection " + config.name() + ": a TLS bridge needs its"
                            + " client context, and only a TLS bridge has one");
                }
            }
        }
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
    public static Bridges start(Ready ready, Engine engine, BiFunction<String, Optional<String>, BridgeAccess> access) {
        if (ready.configs().isEmpty()) {
            return none();
        }
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("drawbridge-bridge", true));
        String hostname = hostname();
        List<Bridge> bridges = new ArrayList<>();
        for (BridgeConfig config : ready.configs()) {
            BridgeNames names = BridgeNames.of(config, hostname);
            Bridge bridge = new Bridge(
                    config,
                    names,
                    engine,
                    access.apply(names.localClientId(), config.local().username()),
                    group.next(),
                    tlsHandlers(config, ready.contexts().get(config.name())));
            bridges.add(bridge);
            bridge.start();
        }
        return new Bridges(group, bridges);
    }

    /**
     * A TLS bridge's handler for each connection attempt, from the one context: made for the address being tried (SNI,
     * and the host name check unless {@code bridge_insecure}); none for a plain bridge.
     */
    private static RemoteConnection.TlsHandlers tlsHandlers(BridgeConfig config, @Nullable SslContext context) {
        if (context == null) {
            return RemoteConnection.TlsHandlers.NONE;
        }
        boolean insecure = config.tls().map(BridgeConfig.Tls::insecure).orElse(false);
        return (channel, address) -> Optional.of(BridgeTls.handler(context, channel.alloc(), address, insecure));
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
